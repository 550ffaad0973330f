import type { Sql } from 'postgres';
import { RequestError } from '../../errors';
import { postgresError } from '../../errors/postgres';
import { parseJsonText } from '../../sse/json';
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

/** The NOTIFY channel the migration's functions signal on. */
export const STREAM_LOG_CHANNEL = 'relaykit_stream_log';

/** Options of {@link createPostgresStreamLog}. */
export interface PostgresStreamLogOptions extends WriteBufferOptions {
  /**
   * A postgres.js client on a database where `sql/0001_stream_log.sql` ran. The driver never ends it;
   * it opens one extra connection of this client for `LISTEN`.
   */
  sql: Sql;
  /** Events per read round trip. Default 1000. */
  readLimit?: number;
  /**
   * Readers re-check the log this often even without a notification (a safety net for a dropped LISTEN
   * connection), in milliseconds. Default 2000.
   */
  pollIntervalMs?: number;
}

/** The Postgres driver adds housekeeping to the port. */
export interface PostgresStreamLog extends StreamLog {
  /** Deletes expired streams and their events; returns how many streams were deleted. Run it on a schedule. */
  prune(): Promise<number>;
}

/** A NOTIFY payload (see the migration): events are included when the batch fits in a notification. */
interface Notice {
  s: string;
  st: StreamState;
  f?: number;
  l?: number;
  e?: string[];
}

function parseNotice(payload: string): Notice | null {
  try {
    const notice = parseJsonText(payload) as Notice;
    return typeof notice === 'object' && notice !== null && typeof notice.s === 'string' ? notice : null;
  } catch {
    return null;
  }
}

interface ReadResult {
  state: StreamState;
  last: number;
  events: [number, string][];
}

/**
 * A `StreamLog` on Postgres: the migration's SQL functions do every operation in one round trip, events are
 * inserted in batches (one row per flush of the write buffer, by default every 25 ms or 500 events), and readers
 * wake on `LISTEN relaykit_stream_log`. Works on Supabase with the service role.
 */
export function createPostgresStreamLog(options: PostgresStreamLogOptions): PostgresStreamLog {
  const sql = options.sql;
  const readLimit = options.readLimit ?? 1000;
  const pollIntervalMs = options.pollIntervalMs ?? 2000;
  const buffer = resolveWriteBuffer(options, { flushIntervalMs: 25, maxBatchEvents: 500 });
  const wakers = new Map<string, Set<(notice?: Notice) => void>>();
  let listening: Promise<{ unlisten(): Promise<void> }> | undefined;
  let closed = false;

  function listen(): Promise<unknown> {
    if (listening === undefined) {
      const attempt = sql.listen(STREAM_LOG_CHANNEL, (payload) => {
        const notice = parseNotice(payload);
        if (notice === null) return;
        const set = wakers.get(notice.s);
        if (set !== undefined) for (const wake of [...set]) wake(notice);
      });
      listening = attempt;
      // A failed LISTEN is retried by the next reader instead of failing every reader from now on.
      attempt.catch(() => {
        if (listening === attempt) listening = undefined;
      });
    }
    return listening;
  }

  async function run<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw postgresError(error, { operation: `stream log ${what}` });
    }
  }

  return {
    async create(streamId: string, createOptions?: CreateStreamOptions): Promise<StreamWriter> {
      assertStreamId(streamId);
      const ttl = resolveTtl(createOptions);
      const [row] = await run(
        'create',
        () =>
          sql<
            { created: boolean }[]
          >`select public.relaykit_stream_log_create(${streamId}, ${ttl.doneTtlMs}, ${ttl.activeTtlMs}) as created`,
      );
      if (row?.created !== true) throw conflict(streamId, 'already exists');
      return new BufferedStreamWriter(
        streamId,
        async (id, first, events, finish) => {
          if (events.some((event) => event.includes('\u0000'))) {
            // Postgres text cannot hold NUL; JSON payloads never contain a raw one (JSON.stringify escapes it).
            throw new RequestError('invalid_request', `stream ${id}: an event contains a NUL character`);
          }
          const [result] = await run(
            'append',
            () => sql<{ state: string }[]>`
              select public.relaykit_stream_log_append(${id}, ${first}, ${sql.array([...events])}::text[], ${finish}::text) as state`,
          );
          const state = result?.state;
          if (state === 'missing') throw notFound(id);
          if (state === 'gap') throw conflict(id, `sequence ${first} does not follow the last written event`);
          return state as StreamState;
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
          if (signal?.aborted) return;
          // Notifications that arrived since the last look; a caught-up reader takes its events from them.
          const inbox: Notice[] = [];
          let resume: (() => void) | undefined;
          const wake = (notice?: Notice) => {
            if (notice !== undefined) inbox.push(notice);
            resume?.();
          };
          const set = wakers.get(streamId) ?? new Set<(notice?: Notice) => void>();
          wakers.set(streamId, set);
          set.add(wake);
          const onAbort = () => wake();
          signal?.addEventListener('abort', onAbort, { once: true });
          try {
            await run('listen', listen);
            let query = true;
            while (!signal?.aborted) {
              if (closed) throw closedError();
              if (query) {
                query = false;
                const [row] = await run(
                  'read',
                  () =>
                    sql<
                      { result: string | null }[]
                    >`select public.relaykit_stream_log_read(${streamId}, ${after}, ${readLimit})::text as result`,
                );
                // Read as text and parsed here: the driver's default JSON.parse has the V8 escaped-key defect.
                const result = row?.result == null ? null : (parseJsonText(row.result) as ReadResult);
                if (result === null) throw notFound(streamId);
                for (const [sequence, data] of result.events) {
                  after = sequence;
                  yield { sequence, data };
                  if (signal?.aborted) return;
                }
                if (result.events.length >= readLimit) {
                  query = true;
                  continue;
                }
                if (after >= result.last) {
                  if (result.state === 'done') return;
                  if (result.state === 'cancelled') throw cancelledError(streamId);
                }
              }
              while (inbox.length > 0 && !query) {
                const notice = inbox.shift() as Notice;
                const last = notice.l ?? Number.POSITIVE_INFINITY;
                if (notice.e !== undefined && notice.f !== undefined && notice.f <= after + 1) {
                  for (let index = after + 1 - notice.f; index < notice.e.length; index++) {
                    after = notice.f + index;
                    yield { sequence: after, data: notice.e[index] as string };
                    if (signal?.aborted) return;
                  }
                } else if (last > after) {
                  query = true; // a gap, a batch too large for a notification, or a cancel: read the table
                }
                if (!query && notice.st === 'done' && after >= last) return;
              }
              if (query || signal?.aborted) continue;
              await new Promise<void>((resolve) => {
                const timer = setTimeout(() => {
                  query = true; // the safety poll
                  settle();
                }, pollIntervalMs);
                function settle() {
                  clearTimeout(timer);
                  resume = undefined;
                  resolve();
                }
                resume = settle;
                if (inbox.length > 0 || closed) settle();
              });
            }
          } finally {
            signal?.removeEventListener('abort', onAbort);
            set.delete(wake);
            if (set.size === 0 && wakers.get(streamId) === set) wakers.delete(streamId);
          }
        },
      };
    },

    async status(streamId: string): Promise<StreamStatus | null> {
      assertStreamId(streamId);
      const rows = await run(
        'status',
        () => sql<{ state: StreamState; last_sequence: string }[]>`
          select state, last_sequence from public.relaykit_stream_logs
          where stream_id = ${streamId} and expires_at > now()`,
      );
      const row = rows[0];
      if (row === undefined) return null;
      return { streamId, state: row.state, lastSequence: Number(row.last_sequence) };
    },

    async cancel(streamId: string): Promise<StreamState> {
      assertStreamId(streamId);
      const [row] = await run(
        'cancel',
        () => sql<{ state: string }[]>`select public.relaykit_stream_log_cancel(${streamId}) as state`,
      );
      if (row?.state === 'missing') throw notFound(streamId);
      return row?.state as StreamState;
    },

    async prune(): Promise<number> {
      const [row] = await run(
        'prune',
        () => sql<{ deleted: number }[]>`select public.relaykit_stream_log_prune() as deleted`,
      );
      return row?.deleted ?? 0;
    },

    async close(): Promise<void> {
      closed = true;
      for (const set of wakers.values()) for (const wake of [...set]) wake();
      const handle = listening;
      listening = undefined;
      if (handle !== undefined) await (await handle.catch(() => undefined))?.unlisten();
    },
  };
}
