import type { PGlite } from '@electric-sql/pglite';
import { postgresError } from '@relaykit/sse-protocol';
import type { Sql } from 'postgres';
import { type ChatKitMigration, MIGRATIONS } from './internal/migrations';

export type { ChatKitMigration };

/** The package's migrations (the exact contents of `sql/*.sql`), in order. */
export const CHATKIT_MIGRATIONS: readonly ChatKitMigration[] = MIGRATIONS;

/** A database `migrate()` can run on: a postgres.js client or a PGlite instance. */
export type MigratableDatabase = Sql | PGlite;

/** What `migrate()` did. */
export interface MigrateResult {
  /** Versions applied by this call (empty when the database was already up to date). */
  applied: string[];
}

const TRACKING_TABLE = `
create table if not exists public.chatkit_schema_migrations (
  version text primary key,
  name text not null,
  applied_at timestamptz not null default now()
);
alter table public.chatkit_schema_migrations enable row level security;
`;

type Query = (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;
type Transaction = <T>(fn: (query: Query, exec: (sql: string) => Promise<void>) => Promise<T>) => Promise<T>;

function isPostgresJs(database: MigratableDatabase): database is Sql {
  return typeof database === 'function' && 'begin' in database && 'unsafe' in database;
}

function transactionOf(database: MigratableDatabase): Transaction {
  if (isPostgresJs(database))
    return async (fn) =>
      (await database.begin((tx) =>
        fn(
          (text, params = []) =>
            tx.unsafe(text, params as never[]) as unknown as Promise<Record<string, unknown>[]>,
          async (sql) => {
            await tx.unsafe(sql);
          },
        ),
      )) as never;
  return (fn) =>
    database.transaction((tx) =>
      fn(
        async (text, params = []) => (await tx.query<Record<string, unknown>>(text, params)).rows,
        async (sql) => {
          await tx.exec(sql);
        },
      ),
    );
}

/**
 * Applies the package's SQL (`sql/*.sql`) to a Postgres or PGlite database, idempotently: each migration runs once, in
 * its own transaction under an advisory lock, and its version is recorded in `public.chatkit_schema_migrations`.
 * On Supabase, ship `supabase/migrations/*_chatkit*.sql` with the Supabase CLI instead.
 */
export async function migrate(database: MigratableDatabase): Promise<MigrateResult> {
  const transaction = transactionOf(database);
  const applied: string[] = [];
  try {
    for (const migration of CHATKIT_MIGRATIONS) {
      await transaction(async (query, exec) => {
        await query("select pg_advisory_xact_lock(hashtext('relaykit.chatkit-store.migrate'))");
        await exec(TRACKING_TABLE);
        const done = await query('select 1 from public.chatkit_schema_migrations where version = $1', [
          migration.version,
        ]);
        if (done.length > 0) return;
        await exec(migration.sql);
        await query('insert into public.chatkit_schema_migrations (version, name) values ($1, $2)', [
          migration.version,
          migration.name,
        ]);
        applied.push(migration.version);
      });
    }
  } catch (error) {
    throw postgresError(error, { operation: 'chatkit migrate' });
  }
  return { applied };
}
