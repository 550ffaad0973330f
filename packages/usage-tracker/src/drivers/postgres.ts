import type { Sql } from 'postgres';
import { MIGRATIONS } from '../internal/migrations';
import { createSqlStores } from '../internal/sql-store';
import type { BudgetStore, RateLimitStore, UsageStore } from '../ports';

/** The stores of `@relaykit/usage-tracker` on one Postgres connection pool. */
export interface PostgresUsageStores {
  rateLimits: RateLimitStore;
  budgets: BudgetStore;
  usage: UsageStore;
}

/**
 * Rate limits, budgets and usage on Postgres through postgres.js. Every operation is one call of one SQL function
 * (one round trip), decided by the database clock and exact under concurrency across any number of instances.
 * Connect as a role that may execute the functions (the owner, or `service_role` on Supabase).
 */
export function createPostgresStores(options: { sql: Sql }): PostgresUsageStores {
  const { sql } = options;
  return createSqlStores(async (text, parameters) => [...(await sql.unsafe(text, parameters as never[]))]);
}

/** Applies this package's migrations (idempotent) with postgres.js. Prefer `supabase/migrations` on Supabase. */
export async function migratePostgres(sql: Sql): Promise<void> {
  for (const migration of MIGRATIONS) await sql.unsafe(migration.sql);
}
