import type { ThreadStreamEvent } from '../chatkit/events';
import type { ThreadItem } from '../chatkit/model';
import { RelayKitError } from '../errors';
import type { SimpleChatEvent, SimpleSessionData, SimpleUsage } from '../simple/events';
import { approvalRequestOf } from '../widgets/approval';
import type { CompletedResponse } from './options';

/** Options of {@link chatKitToSimpleStream}. */
export interface ChatKitToSimpleStreamOptions {
  sessionId: string;
  /** When given, a `session` event with these fields is emitted first. */
  session?: Omit<SimpleSessionData, 'sessionId'>;
  /**
   * Read once the ChatKit events end; when it returns a completed Responses `response`, a `response_done` event
   * (id, model, usage in camelCase) is emitted before `done`. Wire it to `onResponseDone` of `agentsRunToChatKit`
   * (any model) or `onResponseCompleted` of `responsesToChatKit`.
   */
  response?: () => CompletedResponse | null | undefined;
}

const count = (value: unknown): number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.floor(value) : 0;

/** One details object of the Agents SDK usage (an object, or one per request). */
function details(value: unknown): Record<string, unknown> | undefined {
  if (Array.isArray(value)) {
    const sum: Record<string, number> = {};
    for (const entry of value)
      if (typeof entry === 'object' && entry !== null)
        for (const [key, n] of Object.entries(entry))
          if (typeof n === 'number') sum[key] = (sum[key] ?? 0) + n;
    return sum;
  }
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

/**
 * Converts a Responses `usage` object, or the Agents SDK's provider-neutral usage (`inputTokens`,
 * `inputTokensDetails`, … of `response_done`), into the simple stream's camelCase usage (null when absent).
 */
export function toSimpleUsage(usage: unknown): SimpleUsage | null {
  if (typeof usage !== 'object' || usage === null) return null;
  const raw = usage as Record<string, unknown>;
  const neutral = typeof raw.inputTokens === 'number';
  const input = count(neutral ? raw.inputTokens : raw.input_tokens);
  const output = count(neutral ? raw.outputTokens : raw.output_tokens);
  const simple: SimpleUsage = {
    inputTokens: input,
    outputTokens: output,
    totalTokens: count(neutral ? raw.totalTokens : raw.total_tokens) || input + output,
  };
  const inputDetails = details(neutral ? raw.inputTokensDetails : raw.input_tokens_details);
  const outputDetails = details(neutral ? raw.outputTokensDetails : raw.output_tokens_details);
  if (inputDetails && typeof inputDetails.cached_tokens === 'number')
    simple.cachedInputTokens = count(inputDetails.cached_tokens);
  if (outputDetails && typeof outputDetails.reasoning_tokens === 'number')
    simple.reasoningTokens = count(outputDetails.reasoning_tokens);
  return simple;
}

/** The `approval_required` event of an approval widget item (null for any other item). */
function approvalRequired(item: ThreadItem, sessionId: string): SimpleChatEvent | null {
  const request = item.type === 'widget' ? approvalRequestOf(item) : null;
  if (!request) return null;
  return {
    event: 'approval_required',
    data: {
      sessionId,
      approvalId: request.approvalId,
      callId: request.callId,
      tool: request.tool,
      arguments: request.arguments,
      itemId: item.id,
    },
  };
}

/**
 * Translates ChatKit stream events into the simple chat stream for clients without an SDK (Dart, Swift, curl):
 * `session` (when given), then `chunk` per text delta, `tool` when a hosted tool starts or completes (a client tool
 * call is reported as `started`), `text_done` per finished assistant message, `approval_required` per tool call
 * waiting for the user's approval (an approval widget, or one replaced by its open state again when a resumed run
 * gave its approval back), then `response_done` and `done`.
 * The stream ends with `done`, or with one `error` event when the ChatKit stream reports an error or the source
 * throws a RelayKitError. Other errors propagate. Frames carry no `id`: the encoder numbers them.
 */
export async function* chatKitToSimpleStream(
  events: AsyncIterable<ThreadStreamEvent> | Iterable<ThreadStreamEvent>,
  options: ChatKitToSimpleStreamOptions,
): AsyncGenerator<SimpleChatEvent, void, undefined> {
  const sessionId = options.sessionId;
  if (typeof sessionId !== 'string' || sessionId === '')
    throw new TypeError('chatKitToSimpleStream: sessionId is required');
  if (options.session !== undefined) yield { event: 'session', data: { sessionId, ...options.session } };
  const toolNames = new Map<string, string>();
  const completedTools = new Set<string>();
  try {
    for await (const event of events) {
      switch (event.type) {
        case 'thread.item.updated': {
          const update = event.update;
          if (update.type === 'assistant_message.content_part.text_delta') {
            if (update.delta !== '') yield { event: 'chunk', data: { text: update.delta, sessionId } };
          } else if (update.type === 'workflow.task.added' || update.type === 'workflow.task.updated') {
            const task = update.task;
            if (task.type === 'thought') break;
            const key = `${event.item_id}:${update.task_index}`;
            const name = toolNames.get(key) ?? task.title ?? task.type;
            if (update.type === 'workflow.task.added') {
              toolNames.set(key, name);
              yield { event: 'tool', data: { name, status: 'started', sessionId } };
            }
            if (task.status_indicator === 'complete' && !completedTools.has(key)) {
              completedTools.add(key);
              yield { event: 'tool', data: { name, status: 'completed', sessionId } };
            }
          }
          break;
        }
        case 'thread.item.replaced': {
          // An approval given back (the resumed run failed before it did anything) waits for an answer again.
          const required = approvalRequired(event.item, sessionId);
          if (required) yield required;
          break;
        }
        case 'thread.item.done': {
          const item = event.item;
          if (item.type === 'assistant_message') {
            yield {
              event: 'text_done',
              data: { text: item.content.map((part) => part.text).join(''), sessionId },
            };
          } else if (item.type === 'client_tool_call') {
            yield { event: 'tool', data: { name: item.name, status: 'started', sessionId } };
          } else {
            const required = approvalRequired(item, sessionId);
            if (required) yield required;
          }
          break;
        }
        case 'error':
          yield {
            event: 'error',
            data: {
              message: event.message ?? 'The stream failed.',
              code: 'provider_error',
              retryable: event.allow_retry,
            },
          };
          return;
        default:
          break;
      }
    }
  } catch (error) {
    if (!RelayKitError.isInstance(error)) throw error;
    yield { event: 'error', data: { message: error.message, code: error.code, retryable: error.retryable } };
    return;
  }
  const response = options.response?.();
  if (response) {
    yield {
      event: 'response_done',
      data: {
        sessionId,
        response: { id: response.id, usage: toSimpleUsage(response.usage), model: response.model ?? '' },
      },
    };
  }
  yield { event: 'done', data: { sessionId } };
}
