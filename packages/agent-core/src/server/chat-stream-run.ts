import {
  type ChatKitRequest,
  type CompletedResponse,
  ConfigurationError,
  chatKitToSimpleStream,
  ProviderError,
  RelayKitError,
  type RelayKitErrorOptions,
  RequestError,
  type SimpleChatEvent,
  StoreError,
  type ThreadStreamEvent,
  type ThreadStreamEventInput,
} from '@relaykit/sse-protocol';
import { APPROVAL_ACTION_TYPE } from '@relaykit/sse-protocol/widgets';
import { knownRunError } from '../models/provider-errors';
import { THREAD_LAST_RUN_KEY } from './agents-respond';
import { runErrorOf } from './pipeline';
import type { ChatKitCore } from './types';

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
 * Starts a simple chat run on a ChatKit server's core: runs `threads.create` or `threads.add_user_message` with
 * `server.run` and translates its typed events into simple events, with no bytes in between. The routed agent is
 * known before the first (`session`) event; usage, model and response id come from the run's record on the thread
 * (`metadata.last_run`, set by the agents responder) once the events end, with no store read; a failed run reports its
 * error's own code. Errors found before the stream (unknown thread, bad metadata, rate limit) reject with their
 * RelayKit error.
 */
export async function startChatStreamRun<TContext>(
  server: Pick<ChatKitCore<TContext>, 'run'>,
  request: ChatStreamRunInput,
  context: TContext,
): Promise<ChatStreamRun> {
  const metadata = { ...(request.metadata ?? {}), ...(request.agent ? { agentType: request.agent } : {}) };
  if (request.approval ? !request.threadId : typeof request.message !== 'string')
    throw new RequestError(
      'invalid_request',
      request.approval ? 'An approval needs the threadId of its run.' : 'A message is required.',
    );
  const input = {
    content: [{ type: 'input_text', text: request.message ?? '' }],
    attachments: [],
    inference_options: {},
  };
  const chatKitRequest = (
    request.approval
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
        : { type: 'threads.create', params: { input }, metadata }
  ) as ChatKitRequest;
  const abort = new AbortController();
  const onRequestAbort = () => abort.abort(request.signal?.reason);
  if (request.signal?.aborted) onRequestAbort();
  else request.signal?.addEventListener('abort', onRequestAbort, { once: true });
  const result = await server.run(chatKitRequest, context, { signal: abort.signal });
  if (result.kind !== 'stream' || !result.thread) {
    request.signal?.removeEventListener('abort', onRequestAbort);
    throw new ProviderError('provider_error', 'The ChatKit request did not start a run.', {
      retryable: true,
    });
  }
  const thread = result.thread;
  const source = result.events[Symbol.asyncIterator]();
  const sessionId = request.sessionId;
  const userId = request.userId ?? String((context as { userId?: unknown }).userId ?? '');
  const threadId = thread.id;
  let agent = result.route?.agent.type ?? request.agent ?? 'default';
  let completed: CompletedResponse | null = null;
  let failed: RelayKitError | undefined;

  /** Pulls the rest of the run (after an abort: until its cancellation save is done). */
  let draining: Promise<void> | undefined;
  const drain = (): Promise<void> => {
    draining ??= (async () => {
      try {
        while (!(await source.next()).done) {
          // The run's remaining events (bookkeeping after an error, or the cancellation save) are not sent.
        }
      } catch {
        // The run already reported its failure.
      }
    })();
    return draining;
  };
  const stop = async (reason?: unknown): Promise<void> => {
    abort.abort(reason);
    await drain();
  };

  /** Ends the run's events: the request's abort listener goes, and a finished run reports what it recorded. */
  let ended = false;
  const end = (finishedRun: boolean) => {
    if (ended) return;
    ended = true;
    request.signal?.removeEventListener('abort', onRequestAbort);
    if (!finishedRun) return;
    if (abort.signal.aborted) {
      failed = new RequestError('cancelled', 'The chat run was stopped.');
      throw failed;
    }
    const run = thread.metadata?.[THREAD_LAST_RUN_KEY] as
      | { agent?: string; model?: string; response_id?: string; usage?: Record<string, unknown> }
      | undefined;
    if (run?.agent) agent = run.agent;
    if (run?.response_id)
      completed = {
        id: run.response_id,
        model: run.model ?? '',
        usage: run.usage ?? null,
      } as CompletedResponse;
  };
  /**
   * The run's ChatKit events for the simple translation: a failed run's `error` event becomes its known RelayKit
   * error (thrown, so the simple `error` event carries its own code). A plain iterator rather than a generator: one
   * promise per event, no generator of its own on the text-delta path.
   */
  const chatKitEvents: AsyncIterableIterator<ThreadStreamEvent> = {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next(): Promise<IteratorResult<ThreadStreamEvent>> {
      if (ended) return { done: true, value: undefined };
      let next: IteratorResult<ThreadStreamEventInput>;
      try {
        next = await source.next();
      } catch (error) {
        end(false);
        throw error;
      }
      if (next.done) {
        end(true);
        return { done: true, value: undefined };
      }
      const value = next.value;
      if (value.type === 'error') {
        const failure = knownRunError(runErrorOf(value));
        if (failure) {
          failed = failure;
          try {
            await drain();
          } finally {
            end(false);
          }
          throw failure;
        }
      }
      return { done: false, value: value as ThreadStreamEvent };
    },
    async return(): Promise<IteratorResult<ThreadStreamEvent>> {
      end(false);
      return { done: true, value: undefined };
    },
  };
  const events = chatKitToSimpleStream(chatKitEvents, {
    sessionId,
    session: { threadId, userId, agent },
    response: () => completed,
  });
  return { kind: 'run', sessionId, threadId, events, stop, agent: () => agent, failure: () => failed };
}
