import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import {
  createSqlFunctionStore,
  roleParameters,
  SET_ROLE_TEXT,
  type SqlStoreRole,
  sqlCallText,
} from '../internal/sql-store';
import { migrate } from '../migrate';
import type { ChatKitStore, ChatKitStoreContext, ChatKitStoreOptions } from '../ports';

/**
 * `postgresql.conf` lines that keep an embedded PGlite small (measured in `bench/`). PGlite's WebAssembly heap grows to
 * the largest it ever needed and never shrinks, and an in-memory database keeps its files and WAL in memory too, so the
 * server defaults (128 MB `shared_buffers`, 64 MB `maintenance_work_mem`, up to 1 GB of WAL between checkpoints) cost
 * RSS for good. A chat store's working set is small: these bound each of them. `createPGliteStore` uses them when it
 * opens PGlite itself; pass them as `postgresqlconf` when you open your own.
 */
export const PGLITE_MEMORY_SETTINGS: readonly string[] = [
  'shared_buffers = 16MB',
  'temp_buffers = 1MB',
  'work_mem = 2MB',
  'maintenance_work_mem = 8MB',
  'max_wal_size = 64MB',
  'min_wal_size = 32MB',
];

/** Options of {@link createPGliteStore}. */
export interface PGliteStoreOptions extends ChatKitStoreOptions {
  /** Where PGlite keeps its files (e.g. `./.chatkit`, `idb://chatkit`). Default: in memory. */
  dataDir?: string;
  /**
   * Options for the PGlite the store opens (not used with `db`). Default `postgresqlconf`:
   * {@link PGLITE_MEMORY_SETTINGS}; anything given here is passed to PGlite as is.
   */
  pgliteOptions?: PGliteOptions;
  /** Use this PGlite instance instead of opening one (it is migrated, and not closed by `close()`). */
  db?: PGlite;
  /** `authenticated` (default; RLS enforced) or `service` (`service_role`, RLS bypassed; still scoped by userId). */
  role?: SqlStoreRole;
}

/** A ChatKitStore backed by PGlite. Exposes the PGlite instance as `db`. */
export type PGliteStore = ChatKitStore<ChatKitStoreContext> & { readonly db: PGlite };

/**
 * The embedded default: Postgres in WASM (PGlite) running the package's own migrations, so the store has the same SQL
 * functions and row-level security as on Supabase. Always `await store.close()` (PGlite otherwise delays exit).
 */
export async function createPGliteStore(options: PGliteStoreOptions = {}): Promise<PGliteStore> {
  const pgliteOptions: PGliteOptions = {
    postgresqlconf: [...PGLITE_MEMORY_SETTINGS],
    ...options.pgliteOptions,
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
  };
  const db = options.db ?? new PGlite(pgliteOptions);
  await migrate(db);
  const role = options.role ?? 'authenticated';
  const store = createSqlFunctionStore<ChatKitStoreContext>(
    (fn, args, context) =>
      db.transaction(async (tx) => {
        await tx.query(SET_ROLE_TEXT, roleParameters(role, context.userId));
        const { text, params } = sqlCallText(fn, args);
        return (await tx.query<{ result: unknown }>(text, params)).rows[0]?.result ?? null;
      }),
    {
      ...options,
      close: async () => {
        if (options.db === undefined) await db.close();
      },
    },
  );
  return Object.assign(store, { db });
}
