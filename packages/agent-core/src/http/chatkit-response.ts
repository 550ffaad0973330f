import { encodeChatKitEvent, sseResponse } from '@relaykit/sse-protocol';
import type { ChatKitResult } from '../server/types';
import { frameStream } from './frame-stream';

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
 * `text/event-stream` (`data: {…}` per event, hidden items dropped; the frames of one burst of events go out as one
 * chunk). Cancelling the body aborts `abort` and waits
 * until the run has saved its partial answer and ended.
 */
export function chatKitResponse(result: ChatKitResult, options: ChatKitResponseOptions = {}): Response {
  if (result.kind === 'json')
    return new Response(JSON.stringify(result.value), {
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
  const body = frameStream(result.events[Symbol.asyncIterator](), encodeChatKitEvent, {
    ...(options.onError ? { onError: options.onError } : {}),
    async onCancel(reason, pumped) {
      options.abort?.abort(reason);
      await pumped;
    },
  });
  return sseResponse(body, { heartbeatMs: options.heartbeatMs ?? 0 });
}
