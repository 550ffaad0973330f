import type { Redis } from 'ioredis';
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
  resolveTtl,
  storeFailure,
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

/** Options of {@link createRedisStreamLog}. */
export interface RedisStreamLogOptions extends WriteBufferOptions {
  /** An ioredis client for writes and replays. The driver never closes it. */
  redis: Redis;
  /** Prefix of every key. Default `relaykit:stream:`. */
  keyPrefix?: string;
  /** How long one `XREAD BLOCK` waits before the reader re-checks the stream, in milliseconds. Default 5000. */
  blockMs?: number;
  /** Events per `XREAD`. Default 1000. */
  readCount?: number;
}

// Keys: <prefix>{<id>}:meta (hash: state, last, done_ttl, active_ttl) and <prefix>{<id>}:events (stream).
// Stream entry ids are `0-<sequence>`, so XREAD from `0-<Last-Event-ID>` resumes exactly. A finished stream gets one
// terminal entry `end <state>` that wakes every blocked reader.
const CREATE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('DEL', KEYS[2])
redis.call('HSET', KEYS[1], 'state', 'active', 'last', 0, 'done_ttl', ARGV[1], 'active_ttl', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`;

const APPEND = `
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return {'missing', '0'} end
local last = tonumber(redis.call('HGET', KEYS[1], 'last'))
if state ~= 'active' then return {state, tostring(last)} end
if tonumber(ARGV[1]) ~= last + 1 then return {'gap', tostring(last)} end
for i = 3, #ARGV do
  last = last + 1
  redis.call('XADD', KEYS[2], '0-' .. last, 'd', ARGV[i])
end
redis.call('HSET', KEYS[1], 'last', last)
local ttl = redis.call('HGET', KEYS[1], 'active_ttl')
if ARGV[2] ~= '' then
  state = ARGV[2]
  redis.call('HSET', KEYS[1], 'state', state)
  redis.call('XADD', KEYS[2], '0-' .. (last + 1), 'end', state)
  ttl = redis.call('HGET', KEYS[1], 'done_ttl')
end
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
return {state, tostring(last)}`;

const CANCEL = `
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return 'missing' end
if state ~= 'active' then return state end
local last = tonumber(redis.call('HGET', KEYS[1], 'last'))
redis.call('HSET', KEYS[1], 'state', 'cancelled')
redis.call('XADD', KEYS[2], '0-' .. (last + 1), 'end', 'cancelled')
local ttl = redis.call('HGET', KEYS[1], 'done_ttl')
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
return 'cancelled'`;

type XReadReply = [key: string, entries: [id: string, fields: string[]][]][] | null;

/**
 * A `StreamLog` on Redis Streams: `XADD` per event (one Lua call per batch), `XREAD BLOCK` for live readers,
 * each blocking reader on its own duplicated connection. Works with Redis 5+ and Redis Cluster (keys share a hash tag).
 */
export function createRedisStreamLog(options: RedisStreamLogOptions): StreamLog {
  const redis = options.redis;
  const prefix = options.keyPrefix ?? 'relaykit:stream:';
  const blockMs = options.blockMs ?? 5000;
  const readCount = options.readCount ?? 1000;
  const buffer = resolveWriteBuffer(options, { flushIntervalMs: 5, maxBatchEvents: 256 });
  const readers = new Set<Redis>();
  let closed = false;
  const keys = (streamId: string): [string, string] => [
    `${prefix}{${streamId}}:meta`,
    `${prefix}{${streamId}}:events`,
  ];

  async function run<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw storeFailure(`redis stream log: ${what} failed`, error);
    }
  }

  return {
    async create(streamId: string, createOptions?: CreateStreamOptions): Promise<StreamWriter> {
      assertStreamId(streamId);
      const ttl = resolveTtl(createOptions);
      const created = await run('create', () =>
        redis.eval(CREATE, 2, ...keys(streamId), ttl.doneTtlMs, ttl.activeTtlMs),
      );
      if (created !== 1) throw conflict(streamId, 'already exists');
      return new BufferedStreamWriter(
        streamId,
        async (id, first, events, finish) => {
          const [state, last] = (await redis.eval(
            APPEND,
            2,
            ...keys(id),
            first,
            finish ?? '',
            ...events,
          )) as [string, string];
          if (state === 'missing') throw notFound(id);
          if (state === 'gap') throw conflict(id, `expected sequence ${Number(last) + 1}, got ${first}`);
          return state as StreamState;
        },
        buffer,
      );
    },

    read(streamId: string, readOptions: ReadStreamOptions = {}): AsyncIterable<StreamLogEntry> {
      assertStreamId(streamId);
      const after = parseAfter(readOptions.after);
      const signal = readOptions.signal;
      const [metaKey, eventsKey] = keys(streamId);
      return {
        async *[Symbol.asyncIterator]() {
          if (signal?.aborted) return;
          if (closed) throw closedError();
          const [state, last] = await run('read', () => redis.hmget(metaKey, 'state', 'last'));
          if (state === null || state === undefined) throw notFound(streamId);
          if (state !== 'active' && after >= Number(last)) {
            // Resuming at (or past) the end of a finished stream: nothing to replay, so no end entry to meet.
            if (state === 'cancelled') throw cancelledError(streamId);
            return;
          }
          const blocking = redis.duplicate();
          readers.add(blocking);
          const onAbort = () => blocking.disconnect();
          signal?.addEventListener('abort', onAbort, { once: true });
          let cursor = after;
          try {
            while (true) {
              let reply: XReadReply;
              try {
                reply = (await blocking.xread(
                  'COUNT',
                  readCount,
                  'BLOCK',
                  blockMs,
                  'STREAMS',
                  eventsKey,
                  `0-${cursor}`,
                )) as XReadReply;
              } catch (error) {
                if (signal?.aborted) return;
                if (closed) throw closedError();
                throw storeFailure('redis stream log: XREAD failed', error);
              }
              if (signal?.aborted) return;
              if (reply === null) {
                const state = await run('read', () => redis.hget(metaKey, 'state'));
                if (state === null) throw notFound(streamId);
                continue;
              }
              for (const [, entries] of reply) {
                for (const [id, fields] of entries) {
                  const sequence = Number(id.slice(2));
                  cursor = sequence;
                  if (fields[0] === 'end') {
                    if (fields[1] === 'cancelled') throw cancelledError(streamId);
                    return;
                  }
                  yield { sequence, data: fields[1] as string };
                  if (signal?.aborted) return;
                }
              }
            }
          } finally {
            signal?.removeEventListener('abort', onAbort);
            readers.delete(blocking);
            blocking.disconnect();
          }
        },
      };
    },

    async status(streamId: string): Promise<StreamStatus | null> {
      assertStreamId(streamId);
      const [state, last] = await run('status', () => redis.hmget(keys(streamId)[0], 'state', 'last'));
      if (state === null || state === undefined) return null;
      return { streamId, state: state as StreamState, lastSequence: Number(last) };
    },

    async cancel(streamId: string): Promise<StreamState> {
      assertStreamId(streamId);
      const state = (await run('cancel', () => redis.eval(CANCEL, 2, ...keys(streamId)))) as string;
      if (state === 'missing') throw notFound(streamId);
      return state as StreamState;
    },

    async close(): Promise<void> {
      closed = true;
      for (const reader of readers) reader.disconnect();
      readers.clear();
    },
  };
}
