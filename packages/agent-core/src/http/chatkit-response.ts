import { encodeChatKitEvent, sseResponse } from '@relaykit/sse-protocol';
import type { ChatKitResult } from '../server/types';

const encoder = new TextEncoder();

/** Options of {@link chatKitResponse}. */
export interface ChatKitResponseOptions {
  /** Aborted when the client cancels the body: give its `signal` to `run`, so the run stops and saves. */
  abort?: AbortController;
  /** SSE heartbeat interval; default 0 (the reference sends no comments). */
  heartbeatMs?: number;
  /** Called when the events fail after the first byte (the body then errors). */
  onError?: (error: unknown) => void;
}

/**
 * The one place a ChatKit answer becomes HTTP: a JSON value is `200 application/json`, a stream of events is a
 * `text/event-stream` (`data: {…}` per event, hidden items dropped). Cancelling the body aborts `abort` and waits
 * until the run has saved its partial answer and ended.
 */
export function chatKitResponse(result: ChatKitResult, options: ChatKitResponseOptions = {}): Response {
  if (result.kind === 'json')
    return new Response(JSON.stringify(result.value), {
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
  const iterator = result.events[Symbol.asyncIterator]();
  let closed = false;
  let finished: Promise<void> = Promise.resolve();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      finished = (async () => {
        try {
          for (;;) {
            const next = await iterator.next();
            if (next.done) break;
            const frame = encodeChatKitEvent(next.value);
            if (frame !== '' && !closed) controller.enqueue(encoder.encode(frame));
          }
          if (!closed) {
            closed = true;
            controller.close();
          }
        } catch (error) {
          options.onError?.(error);
          if (!closed) {
            closed = true;
            controller.error(error);
          }
        }
      })();
    },
    async cancel(reason) {
      closed = true;
      options.abort?.abort(reason);
      await finished;
    },
  });
  return sseResponse(body, { heartbeatMs: options.heartbeatMs ?? 0 });
}
