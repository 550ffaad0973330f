import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { ChatKitStore, ChatKitStoreContext } from '@relaykit/chatkit-store';
import { migrate } from '@relaykit/chatkit-store';
import { createPGliteStore } from '@relaykit/chatkit-store/pglite';
import { createPostgresStore } from '@relaykit/chatkit-store/postgres';
import type { RateLimitStore, UsageStore } from '@relaykit/usage-tracker';
import { createPGliteStores, migratePGlite } from '@relaykit/usage-tracker/pglite';
import { createPostgresStores, migratePostgres } from '@relaykit/usage-tracker/postgres';
import postgres from 'postgres';
import type { CopilotDatabase } from './agents';
import type { AppConfig } from './config';
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
  /** The database copilot's tools run here (as the caller's role). */
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

async function openPGliteStores(config: AppConfig): Promise<AppStores> {
  const dataDir = join(config.dataDir, 'pglite');
  await mkdir(dataDir, { recursive: true });
  const db = new PGlite(dataDir);
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
  return {
    kind: 'pglite',
    chatkit,
    rateLimits: usageStores.rateLimits,
    usage: usageStores.usage,
    query: async (text, parameters) => (await db.query(text, parameters)).rows as never,
    copilot: { kind: 'pglite', db },
    close: async () => {
      await chatkit.close();
      await db.close();
    },
  };
}

async function openPostgresStores(config: AppConfig, databaseUrl: string): Promise<AppStores> {
  const sql = postgres(databaseUrl, { max: 10, onnotice: () => {} });
  await closeOnFailure(
    async () => {
      if (config.bootstrapSupabasePlatform) await sql.unsafe(await supabasePlatformSql());
      await migrate(sql);
      await migratePostgres(sql);
    },
    () => sql.end({ timeout: 5 }),
  );
  const usageStores = createPostgresStores({ sql });
  return {
    kind: 'postgres',
    chatkit: createPostgresStore({ sql }),
    rateLimits: usageStores.rateLimits,
    usage: usageStores.usage,
    query: async (text, parameters) => (await sql.unsafe(text, parameters as never[])) as never,
    copilot: { kind: 'postgres', sql },
    close: () => sql.end({ timeout: 5 }),
  };
}

/** Opens the stores the configuration asks for and applies every migration (idempotent). */
export function openAppStores(config: AppConfig): Promise<AppStores> {
  return config.databaseUrl ? openPostgresStores(config, config.databaseUrl) : openPGliteStores(config);
}
