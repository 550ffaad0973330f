import { ConfigurationError, RequestError, StoreError } from '@relaykit/sse-protocol';
import type { SqlConnection, SqlRows, SqlTransaction } from '../ports';

/**
 * How the worker opens its database, each time it starts (the first call, and again after a runaway statement
 * ended the previous worker). Everything here crosses a thread, so it is plain data (structured-cloneable).
 */
export interface PGliteWorkerDatabase {
  /**
   * A module that opens the database: a file URL or absolute path (or a package name resolvable from the process's
   * working directory) whose export `exportName` (default `default`) is `(options) => PGlite | Promise<PGlite>`. Use it
   * for extensions or a custom PGlite; without it the worker runs `new PGlite(dataDir, pgliteOptions)`.
   */
  module?: string;
  /** The export of `module` to call (default `default`). */
  exportName?: string;
  /** Passed to `module`'s factory (structured-cloneable). */
  options?: unknown;
  /**
   * Where PGlite keeps its files. Unset: in memory; then the worker runs `setupSql` once, keeps a snapshot of the
   * result (`dumpDataDir`), and every later worker starts from that snapshot (no `initdb`, no setup).
   */
  dataDir?: string;
  /** Structured-cloneable PGlite options (`relaxedDurability`, `initialMemory`, `username`, ...). */
  pgliteOptions?: Record<string, unknown>;
  /** SQL run after every open (idempotent when `dataDir` keeps the data: `create table if not exists ...`). */
  setupSql?: string;
  /**
   * Where the worker imports `PGlite` from when there is no `module`: a file URL or a package name resolvable from
   * the process's working directory. Default `@electric-sql/pglite`.
   */
  pgliteModule?: string;
}

/** Options of {@link pgliteWorkerConnection}. */
export interface PGliteWorkerConnectionOptions {
  /** How the worker opens its database (see {@link PGliteWorkerDatabase}). Default: an empty in-memory PGlite. */
  database?: PGliteWorkerDatabase;
  /**
   * Longest a transaction may run when its caller sets no `timeoutMs` (the Postgres tool pack passes its
   * `statementTimeoutMs`). Past it the worker is ended, the call fails with `timeout`, and the next call starts a new
   * worker. Default 10 000 ms.
   */
  timeoutMs?: number;
  /** Longest the worker may take to open its database (default 60 000 ms; PGlite needs ~2 s, more under load). */
  startTimeoutMs?: number;
  /** Passed to `new Worker` (e.g. `resourceLimits`); `eval` and `workerData` are the driver's. */
  workerOptions?: Record<string, unknown>;
  /** Called with every statement sent to the worker, before it runs (for logs and tests). */
  onStatement?: (text: string) => void;
}

/** A {@link SqlConnection} on a PGlite in its own worker thread; `close()` ends the worker. */
export type PGliteWorkerConnection = SqlConnection & {
  /** Closes the database and ends the worker (the next transaction would start a new one). */
  close(): Promise<void>;
  /** How many workers have been started so far (a new one after each runaway statement). */
  readonly starts: number;
};

interface WorkerError {
  message: string;
  code?: string;
  name?: string;
}

type WorkerReply =
  | { type: 'ready' }
  | { type: 'snapshot'; data: ArrayBuffer }
  | { type: 'failed'; error: WorkerError }
  | { type: 'closed' }
  | { id: number; rows: Record<string, unknown>[]; fields: { name: string; dataTypeID: number }[] }
  | { id: number; error: WorkerError };

/** The worker's code, run with `eval: true` so no worker file has to be found next to a bundled copy of this module. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const toError = (error) => ({
  message: error && error.message ? String(error.message) : String(error),
  code: error && typeof error.code === 'string' ? error.code : undefined,
  name: error && error.name ? String(error.name) : undefined,
});
(async () => {
  let db;
  try {
    const database = workerData.database || {};
    if (database.module) {
      const loaded = await import(database.module);
      const open = loaded[database.exportName || 'default'];
      if (typeof open !== 'function') throw new Error('export ' + (database.exportName || 'default') + ' of ' + database.module + ' is not a function');
      db = await open(database.options);
    } else {
      const { PGlite } = await import(database.pgliteModule || '@electric-sql/pglite');
      const options = { ...database.pgliteOptions };
      if (workerData.snapshot) options.loadDataDir = new Blob([workerData.snapshot]);
      db = database.dataDir === undefined ? new PGlite(options) : new PGlite(database.dataDir, options);
    }
    if (db.waitReady) await db.waitReady;
    if (database.setupSql && !workerData.snapshot) await db.exec(database.setupSql);
    if (workerData.takeSnapshot) {
      const data = await (await db.dumpDataDir('none')).arrayBuffer();
      parentPort.postMessage({ type: 'snapshot', data }, [data]);
    }
  } catch (error) {
    parentPort.postMessage({ type: 'failed', error: toError(error) });
    return;
  }
  parentPort.on('message', async (message) => {
    if (message.type === 'close') {
      try { await db.close(); } catch {}
      parentPort.postMessage({ type: 'closed' });
      return;
    }
    try {
      const result = await db.query(message.text, message.params || []);
      const fields = (result.fields || []).map((field) => ({ name: field.name, dataTypeID: field.dataTypeID }));
      parentPort.postMessage({ id: message.id, rows: result.rows, fields });
    } catch (error) {
      parentPort.postMessage({ id: message.id, error: toError(error) });
    }
  });
  parentPort.postMessage({ type: 'ready' });
})();
`;

/** The part of `node:worker_threads`' Worker the driver uses. */
interface WorkerHandle {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: WorkerReply) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  on(event: 'exit', listener: (code: number) => void): void;
  terminate(): Promise<number>;
  ref(): void;
  unref(): void;
}

/** A database error from the worker, with its SQLSTATE `code`, for `toPostgresToolError`. */
function fromWorker(error: WorkerError): Error {
  return Object.assign(new Error(error.message), error.code === undefined ? {} : { code: error.code });
}

/**
 * A {@link SqlConnection} that runs PGlite in its own worker thread (Node's `worker_threads`), so the SQL tools can
 * be stopped: PGlite has no server-side cancel or `statement_timeout`, and a query blocks the thread it runs on. Here a
 * transaction that runs past its deadline, or whose caller aborts, ends the worker — the app's own threads and
 * databases never wait for it — and the next call starts a fresh worker that opens the database again.
 *
 * The worker starts on the first transaction. Transactions run one at a time (PGlite is one connection). A database
 * in memory is rebuilt from `setupSql` after each restart; with `dataDir` the data stays (a read-only transaction ended
 * mid-way leaves nothing to undo). Node, Deno and Bun (any runtime with `node:worker_threads`).
 *
 * @throws ConfigurationError when an option is invalid.
 */
export function pgliteWorkerConnection(options: PGliteWorkerConnectionOptions = {}): PGliteWorkerConnection {
  const defaultTimeoutMs = options.timeoutMs ?? 10_000;
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  for (const [name, value] of [
    ['timeoutMs', defaultTimeoutMs],
    ['startTimeoutMs', startTimeoutMs],
  ] as const)
    if (!Number.isInteger(value) || value < 1)
      throw new ConfigurationError(`pgliteWorkerConnection: ${name} must be a positive integer.`);

  interface Running {
    worker: WorkerHandle;
    ready: Promise<void>;
    pending: Map<number, { resolve(reply: WorkerReply): void; reject(error: unknown): void }>;
    /** Set once the worker is ending: every later request fails with it. */
    ended?: unknown;
  }
  let current: Running | undefined;
  let starts = 0;
  /** The in-memory database right after setup, to start the next worker from. */
  let snapshot: ArrayBuffer | undefined;
  const inMemory = options.database?.module === undefined && options.database?.dataDir === undefined;
  let nextId = 1;
  let queue: Promise<unknown> = Promise.resolve();

  const end = (running: Running, reason: unknown) => {
    if (running.ended !== undefined) return;
    running.ended = reason;
    if (current === running) current = undefined;
    for (const { reject } of running.pending.values()) reject(reason);
    running.pending.clear();
    void running.worker.terminate().catch(() => {});
  };

  async function start(): Promise<Running> {
    const { Worker } = (await import('node:worker_threads')) as unknown as {
      Worker: new (source: string, options: Record<string, unknown>) => WorkerHandle;
    };
    const worker = new Worker(WORKER_SOURCE, {
      ...options.workerOptions,
      eval: true,
      workerData: {
        database: options.database ?? {},
        snapshot,
        takeSnapshot: inMemory && snapshot === undefined,
      },
    });
    worker.unref();
    starts++;
    const running: Running = { worker, ready: Promise.resolve(), pending: new Map() };
    running.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new StoreError('store_unavailable', 'The SQL tool database did not open in time.')),
        startTimeoutMs,
      );
      worker.on('message', (reply) => {
        if ('type' in reply) {
          if (reply.type === 'ready') {
            clearTimeout(timer);
            resolve();
          } else if (reply.type === 'snapshot') {
            snapshot = reply.data;
          } else if (reply.type === 'failed') {
            clearTimeout(timer);
            reject(
              new ConfigurationError(`The SQL tool database could not be opened: ${reply.error.message}`, {
                cause: fromWorker(reply.error),
              }),
            );
          }
          return;
        }
        const waiter = running.pending.get(reply.id);
        running.pending.delete(reply.id);
        waiter?.resolve(reply);
      });
      const stopped = (cause?: unknown) => {
        clearTimeout(timer);
        const error = new StoreError('store_error', 'The SQL tool database stopped.', { cause });
        reject(error);
        end(running, error);
      };
      worker.on('error', (error) => stopped(error));
      worker.on('exit', (code) => stopped(new Error(`worker exited with code ${code}`)));
    });
    running.ready.catch(() =>
      end(running, new StoreError('store_unavailable', 'The SQL tool database is not open.')),
    );
    return running;
  }

  function request(running: Running, text: string, params: readonly unknown[]): Promise<SqlRows> {
    if (running.ended !== undefined) return Promise.reject(running.ended);
    const id = nextId++;
    options.onStatement?.(text);
    return new Promise<WorkerReply>((resolve, reject) => {
      running.pending.set(id, { resolve, reject });
      running.worker.postMessage({ id, text, params: [...params] });
    }).then((reply) => {
      if ('error' in reply) throw fromWorker(reply.error);
      if (!('rows' in reply))
        throw new StoreError('store_error', 'The SQL tool database answered out of turn.');
      return {
        rows: reply.rows,
        columns: reply.fields.map((field) => ({ name: field.name, typeOid: field.dataTypeID })),
      };
    });
  }

  /** Runs `step` after every earlier transaction (PGlite is one connection); a failure does not block the queue. */
  function serialize<T>(step: () => Promise<T>): Promise<T> {
    const run = queue.then(step, step);
    queue = run.catch(() => {});
    return run;
  }

  return {
    kind: 'pglite-worker',
    enforcesStatementTimeout: true,
    openTimeoutMs: startTimeoutMs,
    get starts() {
      return starts;
    },
    transaction(transactionOptions, fn) {
      return serialize(async () => {
        const { signal } = transactionOptions;
        if (signal?.aborted) throw new RequestError('cancelled', 'The call was cancelled.');
        if (current === undefined) current = await start();
        const running = current;
        try {
          await running.ready;
        } catch (error) {
          if (current === running) current = undefined;
          throw error;
        }
        running.worker.ref();
        const timeoutMs = transactionOptions.timeoutMs ?? defaultTimeoutMs;
        const timer = setTimeout(
          () =>
            end(
              running,
              new StoreError(
                'timeout',
                `The statement ran past its time limit (${timeoutMs} ms) and was stopped.`,
              ),
            ),
          timeoutMs,
        );
        const onAbort = () => end(running, new RequestError('cancelled', 'The call was cancelled.'));
        signal?.addEventListener('abort', onAbort, { once: true });
        const tx: SqlTransaction = { query: (text, params = []) => request(running, text, params) };
        try {
          await tx.query(transactionOptions.readOnly ? 'begin read only' : 'begin');
          const result = await fn(tx);
          await tx.query('commit');
          return result;
        } catch (error) {
          if (running.ended === undefined) await tx.query('rollback').catch(() => {});
          throw running.ended ?? error;
        } finally {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          if (running.ended === undefined) running.worker.unref();
        }
      });
    },
    close() {
      return serialize(async () => {
        const running = current;
        if (running === undefined) return;
        current = undefined;
        if (running.ended === undefined) {
          try {
            await running.ready;
            running.worker.ref();
            await new Promise<void>((resolve) => {
              running.worker.on('message', (reply) => {
                if ('type' in reply && reply.type === 'closed') resolve();
              });
              running.worker.on('exit', () => resolve());
              running.worker.postMessage({ type: 'close' });
            });
          } catch {
            // It never opened: nothing to close.
          }
        }
        end(running, new StoreError('store_unavailable', 'The SQL tool database was closed.'));
      });
    },
  };
}
