import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { migrate } from '../migrate';
import type { SqlConnection } from './sql-connection';
import { roleParameters, SET_ROLE_TEXT, type SqlStoreRole, sqlCallText } from './sql-store';

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

/**
 * The given PGlite instance (left open by `close()`) or a new one (in memory, or at `dataDir`), migrated. Each call is
 * one transaction under the user's role and claims.
 */
export async function openPGlite(options: {
  db?: PGlite;
  dataDir?: string;
  pgliteOptions?: PGliteOptions;
  role?: SqlStoreRole;
}): Promise<SqlConnection & { db: PGlite }> {
  const db =
    options.db ??
    new PGlite({
      postgresqlconf: [...PGLITE_MEMORY_SETTINGS],
      ...options.pgliteOptions,
      ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
    });
  await migrate(db);
  const role = options.role ?? 'authenticated';
  return {
    db,
    call: (fn, args, context) =>
      db.transaction(async (tx) => {
        await tx.query(SET_ROLE_TEXT, roleParameters(role, context.userId));
        const { text, params } = sqlCallText(fn, args);
        return (await tx.query<{ result: unknown }>(text, params)).rows[0]?.result ?? null;
      }),
    close: async () => {
      if (options.db === undefined) await db.close();
    },
  };
}
