/**
 * The copilot's SQL runs apart from the chat store: on PGlite in its own database in a worker thread, on Postgres in a
 * pool of its own. A runaway statement there ends at its deadline (`timeout`) and the chat store answers meanwhile.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRelayKitError } from '@relaykit/sse-protocol';
import { createTestDatabase, postgresAvailability } from '@relaykit/testing/postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { readAppConfig } from './config';
import { type AppStores, openAppStores } from './stores';

/** Runs a statement that never ends on the copilot connection; resolves with the error code it ended with. */
async function runaway(stores: AppStores, statement: string): Promise<string> {
  try {
    await stores.copilot.connection.transaction({ readOnly: true, timeoutMs: 2_000 }, async (tx) => {
      await tx.query("select set_config('statement_timeout', '2000', true)");
      return tx.query(statement);
    });
    return 'resolved';
  } catch (error) {
    // The pglite worker ends with RelayKit's `timeout`; postgres.js reports Postgres' 57014 (query_canceled).
    const code = isRelayKitError(error) ? error.code : (error as { code?: string }).code;
    return code === '57014' ? 'timeout' : (code ?? String(error));
  }
}

/** Starts a runaway and, while it runs, asks the chat store `select 1` a few times: every answer comes first. */
async function expectStoreAnswersDuringRunaway(stores: AppStores, statement: string) {
  let settled = false;
  const pending = runaway(stores, statement).finally(() => {
    settled = true;
  });
  for (let round = 0; round < 5; round++) {
    expect(await stores.query('select 1 as one', [])).toEqual([{ one: 1 }]);
    expect(settled).toBe(false);
  }
  return pending;
}

describe('the copilot database on PGlite', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'relaykit-web-stores-'));
  let stores: AppStores | undefined;
  afterAll(async () => {
    await stores?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is a worker database of its own: demo data there, none of it in the chat store, runaways stopped', async () => {
    stores = await openAppStores(readAppConfig({ RELAYKIT_DATA_DIR: dataDir }));
    const active = await stores.copilot.connection.transaction({ readOnly: true }, (tx) =>
      tx.query('select count(*)::int as n from public.projects where active'),
    );
    // Every user's demo rows (the connection's own role bypasses RLS; the copilot's tools never use it).
    expect(active.rows).toEqual([{ n: 3 }]);
    expect(await stores.query("select to_regclass('public.projects')::text as name", [])).toEqual([
      { name: null },
    ]);
    expect(await expectStoreAnswersDuringRunaway(stores, 'select pg_sleep(60)')).toBe('timeout');
    // A fresh worker opens the same data directory again.
    const again = await stores.copilot.connection.transaction({ readOnly: true }, (tx) =>
      tx.query('select count(*)::int as n from public.projects'),
    );
    expect(again.rows).toEqual([{ n: 5 }]);
  }, 600_000);
});

const pg = await postgresAvailability();

describe.skipIf(!pg.available)('the copilot database on Postgres', () => {
  it('is a pool of its own: a runaway ends by statement_timeout while the stores answer', async () => {
    const db = await createTestDatabase();
    const stores = await openAppStores(
      readAppConfig({ DATABASE_URL: db.url, RELAYKIT_BOOTSTRAP_SUPABASE_PLATFORM: '1' }),
    );
    try {
      expect(await expectStoreAnswersDuringRunaway(stores, 'select pg_sleep(60)')).toBe('timeout');
    } finally {
      await stores.close();
      await db.close();
    }
  }, 300_000);
});
