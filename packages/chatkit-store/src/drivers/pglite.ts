import type { PGlite, PGliteOptions } from '@electric-sql/pglite';
import { openPGlite } from '../internal/pglite-connection';
import { createSqlFunctionStore, type SqlStoreRole } from '../internal/sql-store';
import type { ChatKitStore, ChatKitStoreContext, ChatKitStoreOptions } from '../ports';

export { PGLITE_MEMORY_SETTINGS } from '../internal/pglite-connection';
export { createPGliteSessionStore, type PGliteSessionStore } from '../sessions/pglite';

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
  const { db, call, close } = await openPGlite(options);
  const store = createSqlFunctionStore<ChatKitStoreContext>(call, { ...options, close });
  return Object.assign(store, { db });
}
