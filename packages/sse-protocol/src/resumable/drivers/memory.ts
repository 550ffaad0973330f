import {
  BufferedStreamWriter,
  resolveWriteBuffer,
  type WriteBufferOptions,
} from '../internal/buffered-writer';
import {
  assertStreamId,
  cancelledError,
  closedError,
  conflict,
  notFound,
  parseAfter,
  type ResolvedTtl,
  resolveTtl,
} from '../internal/shared';
import type {
  CreateStreamOptions,
  ReadStreamOptions,
  StreamLog,
  StreamLogEntry,
  StreamState,
  StreamStatus,
  StreamWriter,
} from '../ports';

/** Options of {@link createMemoryStreamLog}. */
export interface MemoryStreamLogOptions extends WriteBufferOptions {
  /** Clock used for TTLs, in epoch milliseconds. Default `Date.now`. */
  now?: () => number;
}

interface MemoryStream {
  state: StreamState;
  events: string[];
  ttl: ResolvedTtl;
  expiresAt: number;
  wakers: Set<() => void>;
}

/**
 * A `StreamLog` in the process's memory: for tests, single-instance servers and development.
 * Readers on other instances cannot see it; use the Redis or Postgres driver for that.
 */
export function createMemoryStreamLog(options: MemoryStreamLogOptions = {}): StreamLog {
  const now = options.now ?? Date.now;
  const buffer = resolveWriteBuffer(options, { flushIntervalMs: 0, maxBatchEvents: 256 });
  const streams = new Map<string, MemoryStream>();
  let closed = false;

  function live(streamId: string): MemoryStream | undefined {
    const stream = streams.get(streamId);
    if (stream === undefined) return undefined;
    if (stream.expiresAt <= now()) {
      streams.delete(streamId);
      wake(stream);
      return undefined;
    }
    return stream;
  }

  function wake(stream: MemoryStream): void {
    const wakers = [...stream.wakers];
    stream.wakers.clear();
    for (const waker of wakers) waker();
  }

  function finish(stream: MemoryStream, state: StreamState): void {
    stream.state = state;
    stream.expiresAt = now() + stream.ttl.doneTtlMs;
  }

  return {
    async create(streamId: string, createOptions?: CreateStreamOptions): Promise<StreamWriter> {
      assertStreamId(streamId);
      const ttl = resolveTtl(createOptions);
      if (live(streamId) !== undefined) throw conflict(streamId, 'already exists');
      streams.set(streamId, {
        state: 'active',
        events: [],
        ttl,
        expiresAt: now() + ttl.activeTtlMs,
        wakers: new Set(),
      });
      return new BufferedStreamWriter(
        streamId,
        async (id, first, events, finishAs) => {
          const stream = live(id);
          if (stream === undefined) throw notFound(id);
          if (stream.state !== 'active') return stream.state;
          if (first !== stream.events.length + 1)
            throw conflict(id, `expected sequence ${stream.events.length + 1}`);
          stream.events.push(...events);
          stream.expiresAt = now() + stream.ttl.activeTtlMs;
          if (finishAs !== null) finish(stream, finishAs);
          wake(stream);
          return stream.state;
        },
        buffer,
      );
    },

    read(streamId: string, readOptions: ReadStreamOptions = {}): AsyncIterable<StreamLogEntry> {
      assertStreamId(streamId);
      let after = parseAfter(readOptions.after);
      const signal = readOptions.signal;
      return {
        async *[Symbol.asyncIterator]() {
          while (true) {
            if (signal?.aborted) return;
            if (closed) throw closedError();
            const stream = live(streamId);
            if (stream === undefined) throw notFound(streamId);
            while (after < stream.events.length) {
              after += 1;
              yield { sequence: after, data: stream.events[after - 1] as string };
              if (signal?.aborted) return;
            }
            if (stream.state === 'done') return;
            if (stream.state === 'cancelled') throw cancelledError(streamId);
            await new Promise<void>((resolve) => {
              let timer: ReturnType<typeof setTimeout> | undefined;
              const settle = () => {
                if (timer !== undefined) clearTimeout(timer);
                stream.wakers.delete(settle);
                signal?.removeEventListener('abort', settle);
                resolve();
              };
              stream.wakers.add(settle);
              signal?.addEventListener('abort', settle, { once: true });
              // The TTL of an abandoned active stream may run out while we wait.
              const remaining = stream.expiresAt - now();
              if (remaining < 2 ** 31) timer = setTimeout(settle, Math.max(remaining, 0) + 1);
            });
          }
        },
      };
    },

    async status(streamId: string): Promise<StreamStatus | null> {
      assertStreamId(streamId);
      const stream = live(streamId);
      if (stream === undefined) return null;
      return { streamId, state: stream.state, lastSequence: stream.events.length };
    },

    async cancel(streamId: string): Promise<StreamState> {
      assertStreamId(streamId);
      const stream = live(streamId);
      if (stream === undefined) throw notFound(streamId);
      if (stream.state === 'active') {
        finish(stream, 'cancelled');
        wake(stream);
      }
      return stream.state;
    },

    async close(): Promise<void> {
      closed = true;
      for (const stream of streams.values()) wake(stream);
      streams.clear();
    },
  };
}
