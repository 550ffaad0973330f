import postgres, { type Sql } from 'postgres';
import type { PostgresStoreOptions } from '../drivers/postgres';
import { postgresCaller } from '../internal/sql-callers';
import type { ChatKitStoreContext } from '../ports';
import { createSqlSessionStore } from './sql';
import type { AgentSessionStore } from './types';

/**
 * Agents SDK sessions on Postgres (postgres.js): the options of `createPostgresStore` (a connection string, or a client
 * to share, e.g. the ChatKit store's). Run `migrate(sql)` (or the Supabase migrations) first. Each call is one
 * transaction as the user (`authenticated` with RLS by default).
 */
export function createPostgresSessionStore(
  options: PostgresStoreOptions,
): AgentSessionStore<ChatKitStoreContext> {
  const owned = options.sql === undefined;
  const sql: Sql =
    options.sql ?? postgres(options.connectionString as string, { onnotice: () => {}, max: 10 });
  return createSqlSessionStore(postgresCaller(sql, options.role ?? 'authenticated'), {
    ...options,
    close: async () => {
      if (owned) await sql.end({ timeout: 5 });
    },
  });
}
