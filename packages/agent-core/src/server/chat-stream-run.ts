import {
  type CompletedResponse,
  ConfigurationError,
  chatKitToSimpleStream,
  createChatKitEventDecoder,
  ProviderError,
  RelayKitError,
  type RelayKitErrorOptions,
  RequestError,
  type SimpleChatEvent,
  StoreError,
  type ThreadStreamEvent,
} from '@relaykit/sse-protocol';
import { APPROVAL_ACTION_TYPE } from '@relaykit/sse-protocol/widgets';
import { errorResponse } from '../http/errors';
import { knownRunError } from '../models/provider-errors';
import { THREAD_LAST_RUN_KEY } from './agents-respond';
import type { ChatKitServer } from './types';

/** What starts one simple chat run (the fields of `ChatStreamRequest` the run itself needs). */
export interface ChatStreamRunInput {
  message?: string | undefined;
  /** Answers an `approval_required` event (with `threadId`) instead of sending `message`. */
  approval?: { approvalId: string; callId: string; decision: 'approve' | 'reject' } | undefined;
  threadId?: string | undefined;
  agent?: string | undefined;
  metadata?: Record<string, unknown> | undefined;
  sessionId: string;
  userId?: string | undefined;
  /** Aborts the ChatKit run (the server saves partial text, as on a client disconnect). */
  signal?: AbortSignal | undefined;
}

/** A started run: its simple events, and `stop()` to cancel it (resolves once partial text is saved). */
export interface ChatStreamRun {
  readonly kind: 'run';
  readonly sessionId: string;
  readonly threadId: string;
  /** `session`, `chunk`, `tool`, `text_done`, `response_done`, then `done` or one `error` (`cancelled` after `stop()`). */
  readonly events: AsyncGenerator<SimpleChatEvent, void, undefined>;
  /** Cancels the ChatKit stream; resolves after the server's cancellation save. Idempotent. */
  stop(reason?: unknown): Promise<void>;
  /** The agent that answered, known once `events` has ended. */
  agent(): string;
  /**
   * The error the run ended with (what its final `error` event reports, with `retryAfterMs` and details), when it is
   * a known RelayKit error; known once `events` has ended.
   */
  failure(): RelayKitError | undefined;
}

/** The server answered before any stream (a JSON error, or a non-streaming answer): return it as it is. */
export interface ChatStreamEarlyAnswer {
  readonly kind: 'response';
  readonly response: Response;
}

/**
 * The RelayKit error for a simple `error` event's code: the subclass that owns the code (`RequestError`,
 * `ConfigurationError`, `ProviderError`, `StoreError`), plain `RelayKitError` for `internal`, and `provider_error`
 * for a code RelayKit does not know. Answer it with `errorResponse`, the one error → status mapping.
 */
export function chatStreamError(
  code: string,
  message: string,
  options: RelayKitErrorOptions = {},
): RelayKitError {
  switch (code) {
    case 'invalid_request':
    case 'unauthorized':
    case 'forbidden':
    case 'not_found':
    case 'conflict':
    case 'payload_too_large':
    case 'quota_exceeded':
    case 'cancelled':
      return new RequestError(code, message, options);
    case 'configuration':
      return new ConfigurationError(message, options);
    case 'rate_limited':
    case 'provider_error':
    case 'provider_unavailable':
    case 'content_policy':
    case 'timeout':
      return new ProviderError(code, message, options);
    case 'store_error':
    case 'store_unavailable':
      return new StoreError(code, message, options);
    case 'internal':
      return new RelayKitError('internal', message, options);
    default:
      return new ProviderError('provider_error', message, options);
  }
}

/**
 * Reads a ChatKit SSE body as events through our own reader of the raw bytes, so that `stop()` can cancel the
 * body directly: the server's cancel hook aborts the run and, before the cancel resolves, saves partial text.
 */
function chatKitEventReader(body: ReadableStream<Uint8Array>) {
  const raw = body.getReader();
  let stopping: Promise<void> | undefined;
  const stop = (reason?: unknown): Promise<void> => {
    stopping ??= raw.cancel(reason).catch(() => undefined);
    return stopping;
  };
  const source = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await raw.read();
      try {
        if (done) controller.close();
        else controller.enqueue(value);
      } catch {
        // The decoder side was cancelled meanwhile; nothing more to deliver.
      }
    },
    cancel: (reason) => stop(reason),
  });
  const reader = source.pipeThrough(createChatKitEventDecoder()).getReader();
  return { reader, stop, stopped: () => stopping !== undefined };
}

/**
 * Starts a simple chat run on a ChatKit server: sends `threads.create` or `threads.add_user_message` through
 * `server.process`, waits for `thread.created` of a new thread, and returns the run's simple events. Errors found
 * before the stream (unknown thread, bad metadata, rate limit) come back as the server's JSON response.
 */
export async function startChatStreamRun<TContext>(
  server: ChatKitServer<TContext>,
  request: ChatStreamRunInput,
  context: TContext,
): Promise<ChatStreamRun | ChatStreamEarlyAnswer> {
  const metadata = { ...(request.metadata ?? {}), ...(request.agent ? { agentType: request.agent } : {}) };
  if (request.approval ? !request.threadId : typeof request.message !== 'string')
    return {
      kind: 'response',
      response: errorResponse(
        new RequestError(
          'invalid_request',
          request.approval ? 'An approval needs the threadId of its run.' : 'A message is required.',
        ),
      ),
    };
  const input = {
    content: [{ type: 'input_text', text: request.message ?? '' }],
    attachments: [],
    inference_options: {},
  };
  const body = request.approval
    ? {
        type: 'threads.custom_action',
        params: {
          thread_id: request.threadId,
          item_id: null,
          action: { type: APPROVAL_ACTION_TYPE, payload: request.approval },
        },
        metadata,
      }
    : request.threadId
      ? { type: 'threads.add_user_message', params: { thread_id: request.threadId, input }, metadata }
      : { type: 'threads.create', params: { input }, metadata };
  // The ChatKit `error` event carries only `stream.error`/`custom`; keep the run's own error to report its code.
  let runError: RelayKitError | undefined;
  let failed: RelayKitError | undefined;
  const onRunError = (error: unknown) => {
    runError = knownRunError(error);
  };
  const response = await server.process(
    body,
    context,
    request.signal ? { signal: request.signal, onRunError } : { onRunError },
  );
  if (!response.ok || !response.body || !response.headers.get('content-type')?.includes('text/event-stream'))
    return { kind: 'response', response };

  const { reader, stop, stopped } = chatKitEventReader(response.body);
  const sessionId = request.sessionId;
  const userId = request.userId ?? String((context as { userId?: unknown }).userId ?? '');
  let threadId = request.threadId ?? '';
  const buffered: ThreadStreamEvent[] = [];
  if (!threadId) {
    const first = await reader.read();
    if (first.done || (first.value as ThreadStreamEvent).type !== 'thread.created') {
      await stop();
      return {
        kind: 'response',
        response: errorResponse(
          new ProviderError('provider_error', 'The ChatKit stream did not start with thread.created.', {
            retryable: true,
          }),
        ),
      };
    }
    threadId = (first.value as Extract<ThreadStreamEvent, { type: 'thread.created' }>).thread.id;
    buffered.push(first.value as ThreadStreamEvent);
  }
  let agent = request.agent ?? 'default';
  let completed: CompletedResponse | null = null;
  async function* chatKitEvents(): AsyncGenerator<ThreadStreamEvent> {
    yield* buffered;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if ((value as ThreadStreamEvent).type === 'error' && runError) {
        const failure = runError;
        failed = failure;
        while (!(await reader.read()).done) {
          // Let the server finish its bookkeeping after the error event; the simple stream ends here.
        }
        throw failure;
      }
      yield value as ThreadStreamEvent;
    }
    if (stopped()) {
      failed = new RequestError('cancelled', 'The chat run was stopped.');
      throw failed;
    }
    const thread = await server.store.loadThread(threadId, context).catch(() => null);
    const run = thread?.metadata?.[THREAD_LAST_RUN_KEY] as
      | { agent?: string; model?: string; response_id?: string; usage?: Record<string, unknown> }
      | undefined;
    if (run?.agent) agent = run.agent;
    if (run?.response_id)
      completed = {
        id: run.response_id,
        model: run.model ?? '',
        usage: run.usage ?? null,
      } as CompletedResponse;
  }
  const events = chatKitToSimpleStream(chatKitEvents(), {
    sessionId,
    session: { threadId, userId, agent },
    response: () => completed,
  });
  return { kind: 'run', sessionId, threadId, events, stop, agent: () => agent, failure: () => failed };
}
