import type { ChatKitStore } from '@relaykit/chatkit-store';
import {
  type CompletedChatCompletion,
  type CompletedResponse,
  chatCompletionsToChatKit,
  createResponsesTranslator,
  providerError,
  type ThreadItem,
  type ThreadMetadata,
  type ThreadStreamEventInput,
  type UserMessageItem,
} from '@relaykit/sse-protocol';
import { type UsageRecorder, usageFromChatCompletions, usageFromResponses } from '@relaykit/usage-tracker';
import type OpenAI from 'openai';
import { type HistoryConverterOptions, threadItemsToAgentInput } from '../history/convert';
import { THREAD_LAST_RUN_KEY, usageRequestId } from './agents-respond';
import { agentsUserId, NO_MODEL, recordFailedRun } from './run-failures';
import { type ChatKitRespond, trustResponderEvents } from './types';

/** The `openai` SDK's per-request options (headers, timeout, retries, idempotency key…); `signal` is the run's. */
export type OpenAIRequestOptions = NonNullable<Parameters<OpenAI['responses']['create']>[1]>;

/** Every Responses API parameter except `input` and `stream`, which the fast path sets. */
export type OpenAIResponsesParams = Omit<OpenAI.Responses.ResponseCreateParamsStreaming, 'input' | 'stream'>;

/** Every Chat Completions parameter except `messages` and `stream`, which the fast path sets. */
export type OpenAIChatCompletionsParams = Omit<
  OpenAI.Chat.ChatCompletionCreateParamsStreaming,
  'messages' | 'stream'
>;

/** What a `params` function gets for one turn. */
export interface OpenAIRespondTurn<TContext> {
  thread: ThreadMetadata;
  /** The user message (`null` after a client tool output). */
  input: UserMessageItem | null;
  context: TContext;
  /** The request's `metadata`. */
  requestMetadata: Record<string, unknown>;
}

/** Fixed parameters, or a function of the turn (model per user, metadata-driven settings). */
export type OpenAIRespondParams<TParams, TContext> =
  | TParams
  | ((turn: OpenAIRespondTurn<TContext>) => TParams | Promise<TParams>);

interface OpenAIRespondCommon<TContext> {
  /** The client for a request: an `OpenAI` instance, or a function of the context (`modelAccess.clientFor`). */
  client: OpenAI | ((context: TContext) => OpenAI | Promise<OpenAI>);
  /**
   * System instructions. Responses: sent as `instructions` unless `params.instructions` is set. Chat Completions:
   * the first message (`role: 'system'`).
   */
  instructions?: string;
  /** Per-request options of the `openai` call (headers, timeout, `maxRetries`…). The run's signal is added. */
  requestOptions?: OpenAIRequestOptions;
  /**
   * Tool names the ChatKit client runs (`onClientTool`): the model's calls to them become pending
   * `client_tool_call` items, and `threads.add_client_tool_output` continues with the client's result. Default: the
   * names of every function tool in `params.tools`. The fast path runs no tools itself (one model call per turn).
   */
  clientToolNames?: readonly string[];
  /** The name recorded as the answering agent (`thread.metadata.last_run.agent`, the simple stream). Default `assistant`. */
  name?: string;
  /** How many recent items are sent as history. Default 40. */
  historyLimit?: number;
  /** History conversion hooks (attachments, tags), as for the agents responder. */
  history?: HistoryConverterOptions;
  /** Records the usage of every model call (`kind: 'chat'`); `createUsageRecorder()` of `@relaykit/usage-tracker` fits. */
  usage?: Pick<UsageRecorder, 'recordUsage'>;
  /** The user a turn is for (usage rows). Default: the context's `userId`. */
  userId?: (context: TContext) => string;
  /** Called when recording usage fails (the answer has already streamed, so the turn is not failed). */
  onUsageError?: (error: unknown, context: TContext) => void;
}

/** {@link createOpenAIRespond} on the Responses API. */
export interface OpenAIResponsesRespondOptions<TContext> extends OpenAIRespondCommon<TContext> {
  /** Default `responses`. */
  api?: 'responses';
  /** `client.responses.create` parameters (`model` at least); every one is passed through as given. */
  params: OpenAIRespondParams<OpenAIResponsesParams, TContext>;
}

/** {@link createOpenAIRespond} on Chat Completions (OpenAI-compatible servers, gateways, Azure deployments). */
export interface OpenAIChatCompletionsRespondOptions<TContext> extends OpenAIRespondCommon<TContext> {
  api: 'chat_completions';
  /**
   * `client.chat.completions.create` parameters (`model` at least); every one is passed through as given.
   * `stream_options.include_usage` is set to `true` unless given.
   */
  params: OpenAIRespondParams<OpenAIChatCompletionsParams, TContext>;
}

/** Options of {@link createOpenAIRespond}. */
export type OpenAIRespondOptions<TContext> =
  | OpenAIResponsesRespondOptions<TContext>
  | OpenAIChatCompletionsRespondOptions<TContext>;

type Json = Record<string, unknown>;

/** A protocol content part of the history (`input_text`, `input_image`, `input_file`, `output_text`). */
function responsesPart(part: Json): Json {
  if (part.type === 'input_image') {
    const image = part.image;
    const source =
      typeof image === 'string'
        ? { image_url: image }
        : typeof (image as Json | undefined)?.id === 'string'
          ? { file_id: (image as Json).id }
          : { image_url: part.image_url ?? (image as Json | undefined)?.url };
    return { type: 'input_image', detail: part.detail ?? 'auto', ...source };
  }
  if (part.type === 'input_file') {
    const file = part.file;
    const source =
      typeof file === 'string'
        ? file.startsWith('data:')
          ? { file_data: file }
          : { file_url: file }
        : typeof (file as Json | undefined)?.id === 'string'
          ? { file_id: (file as Json).id }
          : typeof (file as Json | undefined)?.url === 'string'
            ? { file_url: (file as Json).url }
            : {};
    return {
      type: 'input_file',
      ...(typeof part.filename === 'string' ? { filename: part.filename } : {}),
      ...source,
    };
  }
  return part;
}

const textOf = (content: unknown): string =>
  Array.isArray(content)
    ? content.map((part: Json) => (typeof part.text === 'string' ? part.text : '')).join('')
    : typeof content === 'string'
      ? content
      : '';

/** History (Agents SDK protocol items, as `threadItemsToAgentInput` makes them) → Responses `input` items. */
export function historyToResponsesInput(items: readonly unknown[]): OpenAI.Responses.ResponseInputItem[] {
  return items.map((raw) => {
    const item = raw as Json;
    if (item.type === 'function_call')
      return { type: 'function_call', call_id: item.callId, name: item.name, arguments: item.arguments };
    if (item.type === 'function_call_result')
      return { type: 'function_call_output', call_id: item.callId, output: item.output };
    if (item.role === 'assistant') return { role: 'assistant', content: textOf(item.content) };
    const content = Array.isArray(item.content)
      ? item.content.map((part) => responsesPart(part))
      : item.content;
    return { role: item.role, content };
  }) as OpenAI.Responses.ResponseInputItem[];
}

/** A user content part → Chat Completions (`text`, `image_url`, `file`). */
function chatPart(part: Json): Json {
  const converted = responsesPart(part);
  if (converted.type === 'input_text') return { type: 'text', text: converted.text };
  if (converted.type === 'input_image')
    return { type: 'image_url', image_url: { url: converted.image_url, detail: converted.detail } };
  if (converted.type === 'input_file')
    return {
      type: 'file',
      file: {
        ...(converted.file_data ? { file_data: converted.file_data } : {}),
        ...(converted.file_id ? { file_id: converted.file_id } : {}),
        ...(converted.filename ? { filename: converted.filename } : {}),
      },
    };
  return converted;
}

/**
 * History (Agents SDK protocol items) → Chat Completions `messages`: consecutive function calls become one
 * assistant message with `tool_calls`, each result a `tool` message.
 */
export function historyToChatMessages(items: readonly unknown[]): OpenAI.Chat.ChatCompletionMessageParam[] {
  const messages: Json[] = [];
  for (const raw of items) {
    const item = raw as Json;
    if (item.type === 'function_call') {
      const call = {
        id: item.callId,
        type: 'function',
        function: { name: item.name, arguments: item.arguments },
      };
      const last = messages.at(-1);
      if (last?.role === 'assistant' && Array.isArray(last.tool_calls)) last.tool_calls.push(call);
      else messages.push({ role: 'assistant', content: null, tool_calls: [call] });
    } else if (item.type === 'function_call_result') {
      messages.push({ role: 'tool', tool_call_id: item.callId, content: String(item.output ?? '') });
    } else if (item.role === 'assistant') {
      messages.push({ role: 'assistant', content: textOf(item.content) });
    } else {
      const parts = Array.isArray(item.content) ? item.content.map((part) => chatPart(part)) : [];
      const textOnly = parts.every((part) => part.type === 'text');
      messages.push({
        role: item.role === 'system' ? 'system' : 'user',
        content: textOnly ? parts.map((part) => part.text).join('') : parts,
      });
    }
  }
  return messages as unknown as OpenAI.Chat.ChatCompletionMessageParam[];
}

/** Chat Completions usage in the Responses shape `thread.metadata.last_run.usage` keeps for every model. */
function responsesShapedChatUsage(usage: Json): Json {
  const input = typeof usage.prompt_tokens === 'number' ? usage.prompt_tokens : 0;
  const output = typeof usage.completion_tokens === 'number' ? usage.completion_tokens : 0;
  return {
    input_tokens: input,
    input_tokens_details: (usage.prompt_tokens_details as Json | null) ?? {},
    output_tokens: output,
    output_tokens_details: (usage.completion_tokens_details as Json | null) ?? {},
    total_tokens: typeof usage.total_tokens === 'number' ? usage.total_tokens : input + output,
  };
}

/** A Responses answer's finish reason: why it is incomplete (`max_output_tokens`, `content_filter`), else its status. */
function responsesFinishReason(response: CompletedResponse): string | null {
  const reason = (response.incomplete_details as Json | null | undefined)?.reason;
  if (typeof reason === 'string') return reason;
  return typeof response.status === 'string' ? response.status : null;
}

function functionToolNames(tools: unknown): string[] {
  if (!Array.isArray(tools)) return [];
  return tools.flatMap((tool: Json) => {
    if (tool.type !== 'function') return [];
    const name = typeof tool.name === 'string' ? tool.name : (tool.function as Json | undefined)?.name;
    return typeof name === 'string' ? [name] : [];
  });
}

/** One finished model call of a turn, whichever API answered. */
interface FinishedCall {
  id: string;
  model: string | undefined;
  /** Usage in the API's own shape. */
  usage: Json | null;
  finishReason?: string | null;
}

/**
 * The packaged fast path: a ChatKit responder that serves one plain `openai` SDK stream per turn, without the
 * Agents SDK: the thread's recent history (as for the agents responder) goes to `client.responses.create` or, with
 * `api: 'chat_completions'`, to `client.chat.completions.create` (with `stream_options.include_usage`), and the
 * stream is translated by `responsesToChatKit` / `chatCompletionsToChatKit` into ChatKit events. Works for the
 * ChatKit stream and the simple stream (`createChatStream`) alike: the answer's model, response id, usage and
 * finish reason are recorded in `thread.metadata.last_run`, usage rows go to `usage`, the run's signal cancels the
 * call (the server keeps the partial text), and a failed call is a typed error (`providerError` of
 * `@relaykit/sse-protocol`) that becomes the ChatKit `error` event.
 *
 * Every parameter of the `openai` call is passed through (`params`, `requestOptions`); tool calls to
 * `clientToolNames` become client tool calls. Use the agents responder for server tools, handoffs and guardrails.
 */
export function createOpenAIRespond<TContext>(
  store: ChatKitStore<TContext>,
  options: OpenAIRespondOptions<TContext>,
): ChatKitRespond<TContext> {
  const userIdOf = (context: TContext) => agentsUserId(options, context);
  const historyLimit = options.historyLimit ?? 40;
  const name = options.name ?? 'assistant';
  const clientOf = (context: TContext) =>
    typeof options.client === 'function' ? options.client(context) : options.client;

  /** The model of the turn, once its parameters are known (for the usage row of a failed turn). */
  type TurnModel = { model?: string };

  // The translators' events are typed and valid: the server does not re-validate each one. One generator per turn
  // (no inner generator to delegate to): every delegation layer costs each text delta its own promise turns.
  return trustResponderEvents(
    async function* respond(thread, input, context, info): AsyncGenerator<ThreadStreamEventInput> {
      const known: TurnModel = {};
      try {
        const turn: OpenAIRespondTurn<TContext> = {
          thread,
          input,
          context,
          requestMetadata: info.requestMetadata,
        };
        const page = await store.loadThreadItems(thread.id, null, historyLimit, 'desc', context);
        const history = threadItemsToAgentInput([...page.data].reverse() as ThreadItem[], options.history);
        const requestOptions: OpenAIRequestOptions = { ...options.requestOptions, signal: info.signal };
        const generateId = (kind: Parameters<typeof store.generateItemId>[0]) =>
          store.generateItemId(kind, thread, context);
        const calls: FinishedCall[] = [];
        let model: string;
        try {
          const client = await clientOf(context);
          if (options.api === 'chat_completions') {
            const params =
              typeof options.params === 'function' ? await options.params(turn) : { ...options.params };
            model = params.model;
            known.model = model;
            const messages = historyToChatMessages(history);
            if (options.instructions) messages.unshift({ role: 'system', content: options.instructions });
            const stream = await client.chat.completions.create(
              {
                ...params,
                messages,
                stream: true,
                stream_options: { include_usage: true, ...params.stream_options },
              },
              requestOptions,
            );
            yield* chatCompletionsToChatKit(stream, {
              threadId: thread.id,
              generateId,
              clientToolNames: options.clientToolNames ?? functionToolNames(params.tools),
              onCompletionDone: (completion: CompletedChatCompletion) => {
                calls.push({
                  id: completion.id,
                  model: completion.model,
                  usage: completion.usage,
                  finishReason: completion.finishReason,
                });
              },
            });
          } else {
            const params =
              typeof options.params === 'function' ? await options.params(turn) : { ...options.params };
            model = String(params.model ?? '');
            known.model = model;
            const stream = await client.responses.create(
              {
                ...(options.instructions ? { instructions: options.instructions } : {}),
                ...params,
                input: historyToResponsesInput(history),
                stream: true,
              },
              requestOptions,
            );
            // `responsesToChatKit`'s loop, run here: a translator generator inside this one would cost every text
            // delta its own promise turns (the fast path sets no `imageUrl`).
            const translator = createResponsesTranslator({
              threadId: thread.id,
              generateId,
              clientToolNames: options.clientToolNames ?? functionToolNames(params.tools),
              onResponseCompleted: (response: CompletedResponse) => {
                calls.push({
                  id: response.id,
                  model: response.model,
                  usage: (response.usage as Json | null | undefined) ?? null,
                  finishReason: responsesFinishReason(response),
                });
              },
            });
            for await (const event of stream) {
              for (const out of translator.push(event)) yield out;
              if (translator.failed) break;
            }
            if (!translator.failed) for (const out of translator.finish()) yield out;
          }
        } catch (error) {
          throw providerError(error, { signal: info.signal });
        }

        const last = calls.at(-1);
        const chat = options.api === 'chat_completions';
        if (options.usage) {
          for (const call of calls) {
            if (!call.usage) continue;
            try {
              await options.usage.recordUsage({
                userId: userIdOf(context),
                kind: 'chat',
                model: call.model || model,
                usage: chat ? usageFromChatCompletions(call.usage) : usageFromResponses(call.usage),
                requestId: usageRequestId(call),
                metadata: { thread_id: thread.id, agent: name, response_id: call.id },
              });
            } catch (error) {
              options.onUsageError?.(error, context);
            }
          }
        }
        thread.metadata = {
          ...thread.metadata,
          [THREAD_LAST_RUN_KEY]: {
            agent: name,
            model: last?.model || model,
            responder: 'openai',
            api: chat ? 'chat_completions' : 'responses',
            ...(last?.id ? { response_id: last.id } : {}),
            ...(last?.usage ? { usage: chat ? responsesShapedChatUsage(last.usage) : last.usage } : {}),
            ...(last?.finishReason ? { finish_reason: last.finishReason } : {}),
          },
        };
      } catch (error) {
        // A failed turn (the store, the client, the call) is one usage error row; a cancelled one is none.
        if (!info.signal.aborted)
          await recordFailedRun(options, context, userIdOf(context), error, {
            model: known.model || NO_MODEL,
            metadata: { thread_id: thread.id, agent: name },
          });
        throw error;
      }
    },
  );
}
