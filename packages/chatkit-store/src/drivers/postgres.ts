import type { Sql } from 'postgres';
import { openPostgres } from '../internal/postgres-connection';
import { createSqlFunctionStore, type SqlStoreRole } from '../internal/sql-store';
import type { ChatKitStore, ChatKitStoreContext, ChatKitStoreOptions } from '../ports';

export { createPostgresSessionStore } from '../sessions/postgres';

/** Options of {@link createPostgresStore}: a connection string (the store opens and closes a pool) or a postgres.js client. */
export type PostgresStoreOptions = ChatKitStoreOptions & {
  /**
   * `authenticated` (default): every call runs under `set local role authenticated` with the user's claims, so RLS
   * holds even on a superuser connection. `service`: `service_role` (RLS bypassed; the functions still scope by userId).
   */
  role?: SqlStoreRole;
} & ({ connectionString: string; sql?: never } | { sql: Sql; connectionString?: never });

/**
 * A ChatKitStore on Postgres (postgres.js). Run `migrate(sql)` (or the Supabase migrations) first. Each call is one
 * transaction: the role/claims statement and the chatkit_* function call, pipelined.
 */
export function createPostgresStore(options: PostgresStoreOptions): ChatKitStore<ChatKitStoreContext> {
  const { call, close } = openPostgres(options);
  return createSqlFunctionStore<ChatKitStoreContext>(call, { ...options, close });
}
