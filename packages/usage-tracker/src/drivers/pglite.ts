import type { PGlite } from '@electric-sql/pglite';
import { MIGRATIONS } from '../internal/migrations';
import { createSqlStores } from '../internal/sql-store';
import type { BudgetStore, RateLimitStore, UsageStore } from '../ports';

/** The stores of `@relaykit/usage-tracker` on an embedded PGlite database. */
export interface PGliteUsageStores {
  rateLimits: RateLimitStore;
  budgets: BudgetStore;
  usage: UsageStore;
}

/**
 * Rate limits, budgets and usage on PGlite (embedded Postgres): the same SQL functions as the Postgres driver.
 * Apply {@link migratePGlite} first. Remember to `await db.close()` when done.
 */
export function createPGliteStores(options: { db: PGlite }): PGliteUsageStores {
  const { db } = options;
  return createSqlStores(
    async (text, parameters) => (await db.query<Record<string, unknown>>(text, parameters)).rows,
  );
}

/** Applies this package's migrations (idempotent); they create Supabase's roles and `auth.uid()` only when missing. */
export async function migratePGlite(db: PGlite): Promise<void> {
  for (const migration of MIGRATIONS) await db.exec(migration.sql);
}
