/**
 * `sseResponse()`: a streaming `Response` with the right headers and heartbeats while idle.
 */
import { SSE_HEARTBEAT } from './encode';

/** The headers every RelayKit SSE response carries (they win over headers passed in `init`). */
export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
};

/** The default idle time before a heartbeat, in milliseconds. */
export const DEFAULT_HEARTBEAT_MS = 15_000;

/** Options of {@link sseResponse}. */
export interface SSEResponseInit {
  /**
   * Send `: ping\n\n` after this many milliseconds without output, to keep proxies and mobile networks from
   * closing an idle connection. Default 15 000; `0` turns heartbeats off.
   */
  heartbeatMs?: number;
  /** Extra headers (the SSE headers above always win). */
  headers?: HeadersInit;
  /** HTTP status, default 200. */
  status?: number;
  /** Aborting ends the response body cleanly and cancels the source stream with the abort reason. */
  signal?: AbortSignal;
}

const LF = 10;
const CR = 13;

/** True when a chunk ends with a blank line, i.e. at a frame boundary where a heartbeat may go. */
function endsFrame(chunk: Uint8Array): boolean {
  const last = chunk[chunk.length - 1];
  const before = chunk[chunk.length - 2];
  return (last === LF || last === CR) && (before === LF || before === CR);
}

/**
 * Wraps a stream of SSE bytes in a `Response` with `content-type: text/event-stream; charset=utf-8`,
 * `cache-control: no-cache, no-transform` and `x-accel-buffering: no`. While the source is idle for `heartbeatMs`,
 * a `: ping` comment is sent, but only at a frame boundary, so a heartbeat never splits a frame. The heartbeat
 * timer stops when the source ends, fails, the client cancels the body, or `signal` aborts; a client disconnect
 * cancels the source.
 */
export function sseResponse(stream: ReadableStream<Uint8Array>, init: SSEResponseInit = {}): Response {
  const heartbeatMs = init.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const heartbeat = new TextEncoder().encode(SSE_HEARTBEAT);
  const { signal } = init;
  const reader = stream.getReader();
  let output!: ReadableStreamDefaultController<Uint8Array>;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let atBoundary = true;
  let finished = false;

  const stop = () => {
    finished = true;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    signal?.removeEventListener('abort', onAbort);
  };
  /** (Re)starts the idle timer; called after every chunk written. */
  const arm = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (finished || heartbeatMs <= 0) return;
    timer = setTimeout(() => {
      timer = undefined;
      if (finished) return;
      if (atBoundary) output.enqueue(heartbeat);
      arm();
    }, heartbeatMs);
  };
  function onAbort() {
    if (finished) return;
    stop();
    reader.cancel(signal?.reason).catch(() => {});
    output.close();
  }

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      output = controller;
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      arm();
    },
    async pull(controller) {
      for (;;) {
        if (finished) return;
        let result: ReadableStreamReadResult<Uint8Array>;
        try {
          result = await reader.read();
        } catch (error) {
          if (finished) return;
          stop();
          controller.error(error);
          return;
        }
        if (finished) return;
        if (result.done) {
          stop();
          controller.close();
          return;
        }
        const chunk = result.value;
        if (chunk.length === 0) continue;
        atBoundary = endsFrame(chunk);
        controller.enqueue(chunk);
        arm();
        return;
      }
    },
    cancel(reason) {
      stop();
      return reader.cancel(reason);
    },
  });

  const headers = new Headers(init.headers);
  for (const [name, value] of Object.entries(SSE_HEADERS)) headers.set(name, value);
  return new Response(body, { status: init.status ?? 200, headers });
}
