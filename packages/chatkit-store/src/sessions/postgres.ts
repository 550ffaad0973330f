import type { PostgresStoreOptions } from '../drivers/postgres';
import { openPostgres } from '../internal/postgres-connection';
import type { ChatKitStoreContext } from '../ports';
import { createSqlSessionStore } from './sql';
import type { AgentSessionStore } from './types';

/**
 * Agents SDK sessions on Postgres (postgres.js): the options of `createPostgresStore` (a connection string, or a client
 * to share, e.g. the one the ChatKit store uses). Run `migrate(sql)` (or the Supabase migrations) first. Each call is
 * one transaction as the user (`authenticated`, so RLS applies, unless `role: 'service'`).
 */
export function createPostgresSessionStore(
  options: PostgresStoreOptions,
): AgentSessionStore<ChatKitStoreContext> {
  const { call, close } = openPostgres(options);
  return createSqlSessionStore(call, { ...options, close });
}
