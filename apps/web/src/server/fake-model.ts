import type { FakeOpenAI, FakeScript } from '@relaykit/testing';

/**
 * Starts the fake OpenAI server of `@relaykit/testing` on 127.0.0.1 (random port). The package is loaded by Node at
 * run time, not bundled: it reads its recorded fixtures relative to its own files.
 */
export async function startFakeModel(script: FakeScript): Promise<FakeOpenAI> {
  const testing: typeof import('@relaykit/testing') = await import(
    /* turbopackIgnore: true */ /* webpackIgnore: true */ '@relaykit/testing'
  );
  return testing.createFakeOpenAI({ host: '127.0.0.1', port: 0, script });
}

/** Supabase's platform SQL (roles, `auth` schema) for a plain local Postgres. */
export async function supabasePlatformSql(): Promise<string> {
  const postgres: typeof import('@relaykit/testing/postgres') = await import(
    /* turbopackIgnore: true */ /* webpackIgnore: true */ '@relaykit/testing/postgres'
  );
  return postgres.SUPABASE_PLATFORM_SQL;
}
