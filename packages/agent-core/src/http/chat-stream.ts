import {
  encodeSimpleChatEvent,
  type SimpleChatEvent,
  type SimpleUsage,
  sseResponse,
} from '@relaykit/sse-protocol';
import type { ChatStreamRequest, ChatStreamResult } from '../server/chat-stream';
import { startResumableChatStream } from '../server/chat-stream-resumable';
import { chatStreamError, startChatStreamRun } from '../server/chat-stream-run';
import type { ChatKitServer } from '../server/types';
import { errorResponse } from './errors';
import { frameStream } from './frame-stream';
import { serverErrorOptions } from './request-id';

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
  if (request.streamLog && request.stream !== false) {
    const answer = await startResumableChatStream(server, request, request.streamLog, context);
    return answer instanceof Response
      ? answer
      : errorResponse(answer.error, serverErrorOptions(undefined, context));
  }
  let started: Awaited<ReturnType<typeof startChatStreamRun<TContext>>>;
  try {
    started = await startChatStreamRun(
      server,
      { ...request, sessionId: request.sessionId ?? crypto.randomUUID() },
      context,
    );
  } catch (error) {
    // Found before the run (unknown thread, bad metadata, rate limit): the error's JSON answer, with the request id.
    return errorResponse(error, serverErrorOptions(undefined, context));
  }
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
          { ...serverErrorOptions(undefined, context), onServerError: () => {} },
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

  // Frame ids count every frame (an event's own `id` wins), as `createSimpleChatEncoder` numbers them.
  let count = 0;
  const encode = (event: SimpleChatEvent) => {
    count += 1;
    return encodeSimpleChatEvent(event, { id: event.id ?? String(count) });
  };
  const body = frameStream(simple, encode, {
    // Pulled as the client reads (a slow reader slows the run rather than filling memory).
    highWaterMark: 1,
    async onCancel(reason) {
      await started.stop(reason);
      await simple.return(undefined);
    },
  });
  return sseResponse(body, {
    heartbeatMs: request.heartbeatMs ?? 15_000,
  });
}
