/**
 * "Copilot own rows": the database copilot's tools, wired as the app wires them, run each call as the signed-in
 * user (role `authenticated` with the session's claims), so the per-user demo `projects` under the RLS policy
 * "copilot own rows" show each user only their own rows, on the offline PGlite worker and on Postgres.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, postgresAvailability } from '@relaykit/testing/postgres';
import type { ToolContext } from '@relaykit/tool-registry';
import { describe, expect, it } from 'vitest';
import { createScenarioAgents } from './agents';
import { jwtVerifierFor, mintDevSessionToken } from './auth';
import { type AppConfig, DEMO_USER_ID, readAppConfig } from './config';
import { type AppStores, openAppStores, SECOND_DEMO_USER_ID } from './stores';

/** The context a run gets for the development sign-in's user: the verified session's user id and claims. */
async function signedInAda(config: AppConfig): Promise<ToolContext> {
  const user = await jwtVerifierFor(config)(await mintDevSessionToken(config));
  return { userId: user.userId, claims: user.claims };
}

const ben: ToolContext = {
  userId: SECOND_DEMO_USER_ID,
  claims: { sub: SECOND_DEMO_USER_ID, role: 'authenticated', email: 'ben@relaykit.dev' },
};

async function expectOwnRows(config: AppConfig, stores: AppStores) {
  const { copilotTools } = createScenarioAgents(stores.copilot);
  /** The copilot's `run_sql` rows (or the failed result, so a failure shows in the diff). */
  const rows = async (sql: string, context: ToolContext): Promise<unknown> => {
    const result = await copilotTools.execute('run_sql', { sql }, context);
    return result.ok ? (result.output as { rows: unknown[] }).rows : result;
  };
  const ada = await signedInAda(config);
  expect(ada.userId).toBe(DEMO_USER_ID);
  const projects = 'select name, active from projects order by name';
  expect(await rows(projects, ada)).toEqual([
    { name: 'apollo', active: true },
    { name: 'gemini', active: false },
    { name: 'mercury', active: true },
  ]);
  expect(await rows(projects, ben)).toEqual([
    { name: 'pioneer', active: false },
    { name: 'voyager', active: true },
  ]);
  // Without a caller the copilot reads as anon: nothing.
  expect(await rows(projects, {})).toEqual([]);
  const whoami =
    "select current_user::text as role, auth.uid()::text as uid, auth.jwt() ->> 'email' as email";
  expect(await rows(whoami, ada)).toEqual([
    { role: 'authenticated', uid: DEMO_USER_ID, email: 'ada@relaykit.dev' },
  ]);
  // The starter prompt, per user.
  const active = 'select count(*)::int as n from projects where active';
  expect(await rows(active, ada)).toEqual([{ n: 2 }]);
  expect(await rows(active, ben)).toEqual([{ n: 1 }]);
}

describe('the copilot on PGlite reads only the signed-in user’s own rows', () => {
  it('through the app’s copilot tools, for two users, across restarts of the data directory', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'relaykit-web-copilot-'));
    try {
      const config = readAppConfig({ RELAYKIT_DATA_DIR: dataDir });
      const first = await openAppStores(config);
      try {
        await expectOwnRows(config, first);
      } finally {
        await first.close();
      }
      // Opened again, the seed is idempotent and the rows stay per user; the policy is there for the model to see.
      const stores = await openAppStores(config);
      try {
        await expectOwnRows(config, stores);
        const { copilotTools } = createScenarioAgents(stores.copilot);
        expect(
          await copilotTools.execute('get_schema', { table: 'projects' }, await signedInAda(config)),
        ).toMatchObject({
          ok: true,
          output: { rlsEnabled: true, policies: [{ name: 'copilot own rows', command: 'SELECT' }] },
        });
        const total = await stores.copilot.connection.transaction({ readOnly: true }, (tx) =>
          tx.query('select count(*)::int as n from public.projects'),
        );
        expect(total.rows).toEqual([{ n: 5 }]);
      } finally {
        await stores.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 600_000);
});

const pg = await postgresAvailability();

describe.skipIf(!pg.available)('the copilot on Postgres reads only the signed-in user’s own rows', () => {
  it('through the app’s copilot tools on a bootstrapped local database (upgraded from shared rows), for two users', async () => {
    const db = await createTestDatabase();
    try {
      // A database from before the rows were per user: the table without `owner`, its rows become Ada's.
      await db.sql.unsafe(`create table public.projects (id serial primary key, name text not null unique,
        active boolean not null default true, created_at timestamptz not null default now());
        insert into public.projects (name, active) values ('apollo', true), ('gemini', false), ('mercury', true);`);
      const config = readAppConfig({ DATABASE_URL: db.url, RELAYKIT_BOOTSTRAP_SUPABASE_PLATFORM: '1' });
      const stores = await openAppStores(config);
      try {
        await expectOwnRows(config, stores);
      } finally {
        await stores.close();
      }
      const [total] = await db.sql`select count(*)::int as n from public.projects`;
      expect(total).toEqual({ n: 5 });
    } finally {
      await db.close();
    }
  }, 300_000);
});
