import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SSE_HEADERS, sseResponse } from './response';

const utf8 = new TextEncoder();
const text = new TextDecoder();

/** A source stream the test writes to by hand, recording whether (and why) it was cancelled. */
function controlledSource() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const state: { cancelled: boolean; reason?: unknown } = { cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
    cancel(reason) {
      state.cancelled = true;
      state.reason = reason;
    },
  });
  return {
    stream,
    state,
    write: (chunk: string) => controller.enqueue(utf8.encode(chunk)),
    close: () => controller.close(),
  };
}

/** Lets pending promise callbacks (stream plumbing) run. */
const settle = () => vi.advanceTimersByTimeAsync(0);

describe('sseResponse', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sets the SSE headers (over conflicting ones), keeps extra headers and the status', async () => {
    const source = controlledSource();
    const response = sseResponse(source.stream, {
      status: 201,
      headers: { 'content-type': 'application/json', 'x-request-id': 'r1' },
      heartbeatMs: 0,
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache, no-transform');
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    expect(response.headers.get('x-request-id')).toBe('r1');
    expect(Object.keys(SSE_HEADERS)).toHaveLength(3);
    source.write('data: a\n\n');
    source.close();
    expect(await response.text()).toBe('data: a\n\n');
  });

  it('sends heartbeats only while idle and only at frame boundaries, and stops them when the source ends', async () => {
    const source = controlledSource();
    const reader = sseResponse(source.stream, { heartbeatMs: 1000 }).body!.getReader();
    const received: string[] = [];
    const pump = (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        received.push(text.decode(value));
      }
    })();

    await vi.advanceTimersByTimeAsync(1000);
    expect(received).toEqual([': ping\n\n']);

    source.write('data: par');
    await settle();
    await vi.advanceTimersByTimeAsync(3000);
    expect(received).toEqual([': ping\n\n', 'data: par']); // no heartbeat inside an unfinished frame

    source.write('tial\n\n');
    await settle();
    await vi.advanceTimersByTimeAsync(999);
    expect(received).toEqual([': ping\n\n', 'data: par', 'tial\n\n']); // output resets the idle timer
    await vi.advanceTimersByTimeAsync(1);
    expect(received.at(-1)).toBe(': ping\n\n');

    source.close();
    await pump;
    expect(vi.getTimerCount()).toBe(0);
  });

  it('clears the timer and cancels the source when the client cancels the body', async () => {
    const source = controlledSource();
    const response = sseResponse(source.stream, { heartbeatMs: 1000 });
    await settle();
    expect(vi.getTimerCount()).toBe(1);
    await response.body!.cancel('client went away');
    expect(vi.getTimerCount()).toBe(0);
    expect(source.state).toEqual({ cancelled: true, reason: 'client went away' });
  });

  it('ends the body cleanly and cancels the source when the signal aborts', async () => {
    const source = controlledSource();
    const abort = new AbortController();
    const response = sseResponse(source.stream, { heartbeatMs: 1000, signal: abort.signal });
    const body = response.text();
    source.write('data: 1\n\n');
    await settle();
    abort.abort('server shutting down');
    expect(await body).toBe('data: 1\n\n');
    expect(vi.getTimerCount()).toBe(0);
    expect(source.state).toEqual({ cancelled: true, reason: 'server shutting down' });
  });

  it('passes a source error on to the body and clears the timer', async () => {
    const failing = new ReadableStream<Uint8Array>({
      pull() {
        throw new Error('upstream broke');
      },
    });
    const response = sseResponse(failing, { heartbeatMs: 1000 });
    await expect(response.text()).rejects.toThrow('upstream broke');
    expect(vi.getTimerCount()).toBe(0);
  });
});
