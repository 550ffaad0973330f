import { PGlite } from '@electric-sql/pglite';
import type { PGliteStoreOptions } from '../drivers/pglite';
import { pgliteCaller } from '../internal/sql-callers';
import { migrate } from '../migrate';
import type { ChatKitStoreContext } from '../ports';
import { createSqlSessionStore } from './sql';
import type { AgentSessionStore } from './types';

/** An Agents SDK session store on PGlite. Exposes the PGlite instance as `db`. */
export type PGliteSessionStore = AgentSessionStore<ChatKitStoreContext> & { readonly db: PGlite };

/**
 * Agents SDK sessions on PGlite, with the same SQL functions and row-level security as on Supabase. Share the ChatKit
 * store's instance with `{ db: store.db }`; without `db` it opens its own (closed by `close()`).
 */
export async function createPGliteSessionStore(
  options: PGliteStoreOptions = {},
): Promise<PGliteSessionStore> {
  const db = options.db ?? (options.dataDir === undefined ? new PGlite() : new PGlite(options.dataDir));
  await migrate(db);
  const store = createSqlSessionStore(pgliteCaller(db, options.role ?? 'authenticated'), {
    ...options,
    close: async () => {
      if (options.db === undefined) await db.close();
    },
  });
  return Object.assign(store, { db });
}
