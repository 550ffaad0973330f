import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { ChatKitStore, ChatKitStoreContext } from '@relaykit/chatkit-store';
import { migrate } from '@relaykit/chatkit-store';
import { createPGliteStore, PGLITE_MEMORY_SETTINGS } from '@relaykit/chatkit-store/pglite';
import { createPostgresStore } from '@relaykit/chatkit-store/postgres';
import {
  type PGliteWorkerConnection,
  pgliteWorkerConnection,
  postgresJsConnection,
} from '@relaykit/tool-registry/postgres';
import type { RateLimitStore, UsageStore } from '@relaykit/usage-tracker';
import { createPGliteStores, migratePGlite } from '@relaykit/usage-tracker/pglite';
import { createPostgresStores, migratePostgres } from '@relaykit/usage-tracker/postgres';
import postgres from 'postgres';
import type { CopilotDatabase } from './agents';
import { type AppConfig, DEMO_USER_ID } from './config';
import { supabasePlatformSql } from './fake-model';

/** Runs one parameterised SQL statement as the app's own (service) connection and returns the rows. */
export type SqlQuery = <Row extends Record<string, unknown>>(
  text: string,
  parameters: unknown[],
) => Promise<Row[]>;

/** Every store the app uses, on one database (PGlite under the data folder, or Postgres at `DATABASE_URL`). */
export interface AppStores {
  kind: 'pglite' | 'postgres';
  chatkit: ChatKitStore<ChatKitStoreContext>;
  rateLimits: RateLimitStore;
  usage: UsageStore;
  /** Service-side SQL for the usage dashboard's per-user reports. */
  query: SqlQuery;
  /**
   * The database copilot's tools run here, each call as the caller (role `authenticated` with the user's claims, so
   * RLS applies), apart from the stores above: on PGlite its own database in a worker thread (`<data>/copilot-pglite`,
   * with the per-user demo `projects` of {@link COPILOT_DEMO_SQL}), ended at each statement's deadline; on Postgres a
   * pool of its own (2 connections) with `statement_timeout` (the demo `projects` with
   * `RELAYKIT_BOOTSTRAP_SUPABASE_PLATFORM=1`).
   */
  copilot: CopilotDatabase;
  close(): Promise<void>;
}

/**
 * Runs `step`; when it throws, runs `close` (what was opened before it) and rethrows the step's error, so a failed
 * start leaks no database handle. A failing `close` is logged, never hides the original error.
 */
export async function closeOnFailure<T>(step: () => Promise<T>, close: () => Promise<unknown>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    await close().catch((closeError: unknown) =>
      console.error('[relaykit/web] closing after a failed start failed', closeError),
    );
    throw error;
  }
}

/** The demo user of the other seeded scenario (`ben@relaykit.dev` in `supabase/seed.sql`). */
export const SECOND_DEMO_USER_ID = '00000000-0000-4000-8000-00000000b0b0';

/**
 * The copilot's demo data: a `projects` table of per-user rows (`How many projects are active?`) under the RLS
 * policy "copilot own rows" (`owner = auth.uid()`), so each signed-in user sees only their own projects through the
 * copilot, which runs as the caller. Ada (the development sign-in's user) owns apollo, gemini and mercury; Ben owns
 * voyager and pioneer. Idempotent, and it upgrades the table of earlier versions (no `owner`; those rows were Ada's).
 * Needs Supabase's roles and `auth.uid()` (`SUPABASE_PLATFORM_SQL` first on a plain database).
 */
export const COPILOT_DEMO_SQL = `
create table if not exists public.projects (
  id serial primary key,
  name text not null unique,
  active boolean not null default true,
  created_at timestamptz not null default now()
);
alter table public.projects add column if not exists owner uuid;
update public.projects set owner = '${DEMO_USER_ID}' where owner is null;
alter table public.projects alter column owner set not null, alter column owner set default auth.uid();
alter table public.projects enable row level security;
do $copilot$
begin
  if not exists (
    select 1 from pg_catalog.pg_policies
    where schemaname = 'public' and tablename = 'projects' and policyname = 'copilot own rows'
  ) then
    create policy "copilot own rows" on public.projects for select to authenticated using (owner = auth.uid());
  end if;
end
$copilot$;
grant select on public.projects to authenticated;
insert into public.projects (owner, name, active) values
  ('${DEMO_USER_ID}', 'apollo', true), ('${DEMO_USER_ID}', 'gemini', false), ('${DEMO_USER_ID}', 'mercury', true),
  ('${SECOND_DEMO_USER_ID}', 'voyager', true), ('${SECOND_DEMO_USER_ID}', 'pioneer', false)
on conflict (name) do nothing;
`;

/**
 * Where the copilot's worker loads PGlite from: the app's folder when the app runs from it (`next start`), else this
 * module's own resolution (tests run from the repository root). Undefined leaves the worker's default.
 */
function pgliteModule(): string | undefined {
  try {
    return createRequire(join(process.cwd(), 'package.json')).resolve('@electric-sql/pglite');
  } catch {
    const meta = import.meta as { resolve?: (specifier: string) => string };
    return typeof meta.resolve === 'function' ? meta.resolve('@electric-sql/pglite') : undefined;
  }
}

/**
 * The copilot's PGlite, in a worker thread so a runaway query is stopped at its deadline without blocking the app.
 * The worker starts on the first tool call.
 */
async function openCopilotPGlite(config: AppConfig): Promise<PGliteWorkerConnection> {
  const dataDir = join(config.dataDir, 'copilot-pglite');
  await mkdir(dataDir, { recursive: true });
  const module = pgliteModule();
  return pgliteWorkerConnection({
    database: {
      dataDir,
      pgliteOptions: { postgresqlconf: [...PGLITE_MEMORY_SETTINGS] },
      setupSql: `${await supabasePlatformSql()}\n${COPILOT_DEMO_SQL}`,
      ...(module === undefined ? {} : { pgliteModule: module }),
    },
  });
}

async function openPGliteStores(config: AppConfig): Promise<AppStores> {
  const dataDir = join(config.dataDir, 'pglite');
  await mkdir(dataDir, { recursive: true });
  // Bounded buffers and WAL: PGlite's WebAssembly heap never gives memory back (see PGLITE_MEMORY_SETTINGS).
  const db = new PGlite(dataDir, { postgresqlconf: [...PGLITE_MEMORY_SETTINGS] });
  const chatkit = await closeOnFailure(
    async () => {
      const store = await createPGliteStore({ db });
      await closeOnFailure(
        () => migratePGlite(db),
        () => store.close(),
      );
      return store;
    },
    () => db.close(),
  );
  const usageStores = createPGliteStores({ db });
  const copilot = await closeOnFailure(
    () => openCopilotPGlite(config),
    async () => {
      await chatkit.close();
      await db.close();
    },
  );
  return {
    kind: 'pglite',
    chatkit,
    rateLimits: usageStores.rateLimits,
    usage: usageStores.usage,
    query: async (text, parameters) => (await db.query(text, parameters)).rows as never,
    copilot: { connection: copilot },
    close: async () => {
      await copilot.close();
      await chatkit.close();
      await db.close();
    },
  };
}

async function openPostgresStores(config: AppConfig, databaseUrl: string): Promise<AppStores> {
  const sql = postgres(databaseUrl, { max: 10, onnotice: () => {} });
  await closeOnFailure(
    async () => {
      // A plain local Postgres gets the platform and, like the offline copilot database, the copilot's demo rows.
      if (config.bootstrapSupabasePlatform)
        await sql.unsafe(`${await supabasePlatformSql()}\n${COPILOT_DEMO_SQL}`);
      await migrate(sql);
      await migratePostgres(sql);
    },
    () => sql.end({ timeout: 5 }),
  );
  const usageStores = createPostgresStores({ sql });
  // The copilot's own small pool: its statements (statement_timeout 3 s) never wait for, or hold, the stores' pool.
  const copilotSql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  return {
    kind: 'postgres',
    chatkit: createPostgresStore({ sql }),
    rateLimits: usageStores.rateLimits,
    usage: usageStores.usage,
    query: async (text, parameters) => (await sql.unsafe(text, parameters as never[])) as never,
    copilot: { connection: postgresJsConnection(copilotSql) },
    close: async () => {
      await copilotSql.end({ timeout: 5 });
      await sql.end({ timeout: 5 });
    },
  };
}

/** Opens the stores the configuration asks for and applies every migration (idempotent). */
export function openAppStores(config: AppConfig): Promise<AppStores> {
  return config.databaseUrl ? openPostgresStores(config, config.databaseUrl) : openPGliteStores(config);
}
