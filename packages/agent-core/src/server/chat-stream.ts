import {
  createSimpleChatEncoder,
  type SimpleChatEvent,
  type SimpleUsage,
  type StreamLog,
  sseResponse,
} from '@relaykit/sse-protocol';
import { errorResponse } from '../http/errors';
import { requestIdOfContext } from '../http/request-id';
import { startResumableChatStream } from './chat-stream-resumable';
import { chatStreamError, startChatStreamRun } from './chat-stream-run';
import type { ChatKitServer } from './types';

/** One message of the simple chat endpoint (mobile clients, curl). */
export interface ChatStreamRequest {
  /** The user's text. */
  message: string;
  /** Continue this thread; without it a new thread is created. */
  threadId?: string;
  /** Agent type to answer (sent as `metadata.agentType`). */
  agent?: string;
  /** Request metadata for routing and context builders (e.g. `{ eventId }`). */
  metadata?: Record<string, unknown>;
  /** `false` answers one JSON document `{ threadId, sessionId, agent, message, usage }` instead of SSE. Default true. */
  stream?: boolean;
  /** Names the stream in every event. Default a random UUID. */
  sessionId?: string;
  /** The user id reported in the `session` event. Default the context's `userId`. */
  userId?: string;
  /**
   * Aborts the run (client disconnect). With `streamLog` it only ends this response's reading of the log: the
   * run goes on, and only `stopChatStream` (any instance) cancels it.
   */
  signal?: AbortSignal;
  /**
   * Makes the run resumable: every simple event is written to this log under the session (`sessionId`, a random
   * UUID when absent, owned by the context's `userId`), the run keeps going when the client disconnects (kept
   * alive with the context's `waitUntil` when it has one), and the response reads the log (SSE `id:` = log
   * sequence). Resume with `resumeChatStream`, stop with `stopChatStream`. Ignored with `stream: false`.
   */
  streamLog?: StreamLog;
  /** SSE heartbeat interval. Default 15 000 ms. */
  heartbeatMs?: number;
}

/** The non-streaming answer of {@link createChatStream}. */
export interface ChatStreamResult {
  threadId: string;
  sessionId: string;
  agent: string;
  /** The assistant's final text (all assistant messages of the turn, joined by a blank line). */
  message: string;
  usage: SimpleUsage | null;
}

/**
 * The simple chat endpoint on top of a ChatKit server: one user message in, the simple SSE events out (`session`,
 * `chunk`, `tool`, `text_done`, `response_done` with usage when known, `done` or `error`), or with `stream: false` a
 * JSON `{ threadId, sessionId, agent, message, usage }`. Request errors found before the run (unknown thread, bad
 * metadata, rate limit) come back as the ChatKit server's JSON error response. With `stream: false` a run that fails
 * answers through `errorResponse` too: the status of its code, `{ error: { name, code, message, retryable, … } }` and
 * `Retry-After` when the provider said when to retry.
 *
 * With `request.streamLog` the run is resumable and stoppable from any instance (see {@link ChatStreamRequest}).
 */
export async function createChatStream<TContext>(
  server: ChatKitServer<TContext>,
  request: ChatStreamRequest,
  context: TContext,
): Promise<Response> {
  if (request.streamLog && request.stream !== false)
    return startResumableChatStream(server, request, request.streamLog, context);
  const started = await startChatStreamRun(
    server,
    { ...request, sessionId: request.sessionId ?? crypto.randomUUID() },
    context,
  );
  if (started.kind === 'response') return started.response;
  const { sessionId, threadId } = started;
  const simple = started.events;

  if (request.stream === false) {
    const texts: string[] = [];
    let usage: SimpleUsage | null = null;
    for await (const event of simple) {
      if (event.event === 'text_done') texts.push(event.data.text);
      else if (event.event === 'response_done') usage = event.data.response.usage ?? null;
      else if (event.event === 'error')
        return errorResponse(
          started.failure() ??
            chatStreamError(event.data.code, event.data.message, { retryable: event.data.retryable }),
          // The ChatKit server logged the run's failure once already; the answer names the same request id.
          { ...requestIdOption(context), onServerError: () => {} },
        );
    }
    const result: ChatStreamResult = {
      threadId,
      sessionId,
      agent: started.agent(),
      message: texts.join('\n\n'),
      usage,
    };
    return new Response(JSON.stringify(result), {
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
  }

  const source = new ReadableStream<SimpleChatEvent>({
    async pull(controller) {
      const next = await simple.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel(reason) {
      await started.stop(reason);
      await simple.return(undefined);
    },
  });
  return sseResponse(source.pipeThrough(createSimpleChatEncoder()), {
    heartbeatMs: request.heartbeatMs ?? 15_000,
  });
}

function requestIdOption(context: unknown): { requestId?: string } {
  const requestId = requestIdOfContext(context);
  return requestId ? { requestId } : {};
}
