import {
  createPGliteTestDatabase,
  type PGliteTestDatabase,
  SUPABASE_PLATFORM_SQL,
} from '@relaykit/testing/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToolRegistry, type ToolRegistry } from '../src/index';
import {
  createPostgresTools,
  type PGliteWorkerConnection,
  pgliteConnection,
  pgliteWorkerConnection,
} from '../src/postgres';
import { ALICE, BOB, CHECKSUM_SQL, MIGRATION } from './database-fixture';
import { BENIGN_SQL, HOSTILE_CASES } from './hostile-inputs';
import { expectRunawaysBounded } from './runaway-cases';

/** `run_sql` reads as the caller: Alice sees her two notes, Bob only his (RLS of the fixture). */
async function expectReadsAsCaller(registry: ToolRegistry) {
  expect(
    await registry.execute('run_sql', { sql: 'select body from notes order by id' }, { userId: ALICE }),
  ).toEqual({
    ok: true,
    output: {
      columns: [{ name: 'body', type: 'text' }],
      rows: [{ body: 'alice one' }, { body: 'alice two' }],
      rowCount: 2,
      truncated: false,
    },
  });
  expect(await registry.execute('run_sql', { sql: 'select body from notes' }, { userId: BOB })).toMatchObject(
    {
      ok: true,
      output: { rows: [{ body: 'bob secret' }] },
    },
  );
}

/**
 * The same pack on an embedded PGlite (the offline default). PGlite enforces no statement_timeout, so cases that
 * rely on it are left out here (they run on real Postgres) and pg_sleep is refused by the guard instead.
 */
describe('database tool pack on PGlite', () => {
  let database: PGliteTestDatabase;
  let registry: ToolRegistry;

  const checksum = async () => {
    const result = await database.db.query<{ checksum: string }>(CHECKSUM_SQL);
    return result.rows[0]?.checksum;
  };

  beforeAll(async () => {
    database = await createPGliteTestDatabase();
    await database.exec(MIGRATION);
    const pack = createPostgresTools({ connection: pgliteConnection(database.db), maxRows: 2 });
    registry = createToolRegistry().register(...pack.all);
  });

  afterAll(async () => {
    await database?.close();
  });

  const alice = { userId: ALICE };

  it('lists tables and applies RLS as the caller', async () => {
    expect(await registry.execute('list_tables', '{}', alice)).toMatchObject({
      ok: true,
      output: { tables: [{ name: 'notes', rlsEnabled: true }, { name: 'orders' }, { name: 'widgets' }] },
    });
    await expectReadsAsCaller(registry);
    expect(await registry.execute('get_schema', { table: 'notes' }, alice)).toMatchObject({
      ok: true,
      output: { rlsEnabled: true, primaryKey: ['id'], policies: [{ name: 'notes_owner_select' }] },
    });
  });

  it('runs ordinary SQL that merely contains scary words', async () => {
    for (const sql of BENIGN_SQL) {
      const result = await registry.execute('run_sql', { sql }, alice);
      expect(result.ok, `${sql}: ${JSON.stringify(result)}`).toBe(true);
    }
  });

  it('refuses pg_sleep, since PGlite cannot time it out', async () => {
    expect(await registry.execute('run_sql', { sql: 'select pg_sleep(100)' }, alice)).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('refuses the hostile corpus (except timeout cases) and changes nothing', async () => {
    const cases = HOSTILE_CASES.filter((entry) => !entry.codes.includes('timeout'));
    expect(cases.length).toBeGreaterThanOrEqual(100);
    const before = await checksum();
    const failures: string[] = [];
    for (const entry of cases) {
      const raw = entry.rawArguments ?? JSON.stringify({ sql: entry.sql });
      const result = await registry.execute(entry.tool ?? 'run_sql', raw, alice);
      if (result.ok) failures.push(`${entry.name}: was allowed`);
      else if (!entry.codes.includes(result.error.code)) {
        failures.push(`${entry.name}: code ${result.error.code} (${result.error.message})`);
      }
    }
    expect(failures).toEqual([]);
    expect(await checksum()).toBe(before);
  });
});

/**
 * The same pack on `pgliteWorkerConnection`: its own PGlite in a worker thread, rebuilt from `setupSql` at each start.
 * Its deadline stops what PGlite itself cannot (pg_sleep, endless CTEs, huge series), and the app's database — a
 * PGlite on this thread — keeps answering meanwhile.
 */
describe('database tool pack on a PGlite worker', () => {
  let store: PGliteTestDatabase;
  let connection: PGliteWorkerConnection;
  let registry: ToolRegistry;
  const sent: string[] = [];
  const listeners = new Set<() => void>();

  const checksum = () =>
    connection.transaction(
      { readOnly: true },
      async (tx) => (await tx.query(CHECKSUM_SQL)).rows[0]?.checksum,
    );

  beforeAll(async () => {
    store = await createPGliteTestDatabase();
    connection = pgliteWorkerConnection({
      database: {
        pgliteModule: import.meta.resolve('@electric-sql/pglite'),
        setupSql: `${SUPABASE_PLATFORM_SQL};\n${MIGRATION}`,
      },
      onStatement(text) {
        sent.push(text);
        for (const listener of listeners) listener();
      },
    });
    registry = createToolRegistry().register(
      ...createPostgresTools({ connection, statementTimeoutMs: 3_000, maxRows: 2 }).all,
    );
  });

  afterAll(async () => {
    await connection?.close();
    await store?.close();
  });

  const alice = { userId: ALICE };

  it('reads as the caller in its own database, RLS included', async () => {
    await expectReadsAsCaller(registry);
    // The app's own database never saw the fixture: the tools' database is another one.
    const tables = await store.db.query("select 1 from pg_tables where tablename = 'notes'");
    expect(tables.rows).toEqual([]);
  }, 120_000);

  it('refuses the whole hostile corpus (pg_sleep now ends at the deadline) and changes nothing', async () => {
    const before = await checksum();
    const failures: string[] = [];
    for (const entry of HOSTILE_CASES) {
      const raw = entry.rawArguments ?? JSON.stringify({ sql: entry.sql });
      const result = await registry.execute(entry.tool ?? 'run_sql', raw, alice);
      if (result.ok) failures.push(`${entry.name}: was allowed`);
      else if (!entry.codes.includes(result.error.code)) {
        failures.push(`${entry.name}: code ${result.error.code} (${result.error.message})`);
      }
    }
    expect(failures).toEqual([]);
    expect(await checksum()).toBe(before);
  }, 300_000);

  it('ends every runaway statement within its limits while the app database keeps answering', async () => {
    const startsBefore = connection.starts;
    await expectRunawaysBounded(registry, alice, {
      started: (sql, settled) =>
        new Promise<void>((resolve) => {
          const check = () => {
            if (settled() || sent.some((text) => text.includes(sql))) {
              listeners.delete(check);
              resolve();
            }
          };
          listeners.add(check);
          check();
        }),
      probe: () => store.db.query('select 1 as one'),
    });
    // Each deadline ended a worker; the next call started a fresh one and works.
    expect(connection.starts).toBeGreaterThan(startsBefore);
    expect(
      await registry.execute('run_sql', { sql: 'select count(*)::int as n from widgets' }, alice),
    ).toMatchObject({ ok: true, output: { rows: [{ n: 3 }] } });
  }, 300_000);

  it('cancels a running statement when the caller aborts, and answers again afterwards', async () => {
    const controller = new AbortController();
    const marker = sent.length;
    const pending = registry.execute('run_sql', { sql: 'select pg_sleep(30)' }, alice, {
      signal: controller.signal,
    });
    await new Promise<void>((resolve) => {
      const check = () => {
        if (sent.slice(marker).some((text) => text.includes('pg_sleep(30)'))) {
          listeners.delete(check);
          resolve();
        }
      };
      listeners.add(check);
      check();
    });
    controller.abort();
    expect(await pending).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(await registry.execute('run_sql', { sql: 'select 1 as one' }, alice)).toMatchObject({
      ok: true,
      output: { rows: [{ one: 1 }] },
    });
  }, 120_000);
});
