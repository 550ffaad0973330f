import type { PGlite } from '@electric-sql/pglite';
import type { PGliteStoreOptions } from '../drivers/pglite';
import { openPGlite } from '../internal/pglite-connection';
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
  const { db, call, close } = await openPGlite(options);
  return Object.assign(createSqlSessionStore(call, { ...options, close }), { db });
}
