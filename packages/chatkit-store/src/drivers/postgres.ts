import postgres, { type Sql } from 'postgres';
import {
  createSqlFunctionStore,
  roleParameters,
  SET_ROLE_TEXT,
  type SqlStoreRole,
  sqlCallText,
} from '../internal/sql-store';
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
  const owned = options.sql === undefined;
  const sql: Sql =
    options.sql ?? postgres(options.connectionString as string, { onnotice: () => {}, max: 10 });
  const role = options.role ?? 'authenticated';
  return createSqlFunctionStore<ChatKitStoreContext>(
    async (fn, args, context) => {
      const { text, params } = sqlCallText(fn, args);
      const results = (await sql.begin((tx) => [
        tx.unsafe(SET_ROLE_TEXT, roleParameters(role, context.userId)),
        tx.unsafe(text, params as never[]),
      ])) as unknown as [unknown, { result: unknown }[]];
      return results[1][0]?.result ?? null;
    },
    {
      ...options,
      close: async () => {
        if (owned) await sql.end({ timeout: 5 });
      },
    },
  );
}
