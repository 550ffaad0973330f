import { createPGliteTestDatabase, type PGliteTestDatabase } from '@relaykit/testing/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToolRegistry, type ToolRegistry } from '../src/index';
import { createPostgresTools, pgliteConnection } from '../src/postgres';
import { ALICE, BOB, CHECKSUM_SQL, MIGRATION } from './database-fixture';
import { BENIGN_SQL, HOSTILE_CASES } from './hostile-inputs';

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
    expect(await registry.execute('run_sql', { sql: 'select body from notes order by id' }, alice)).toEqual({
      ok: true,
      output: {
        columns: [{ name: 'body', type: 'text' }],
        rows: [{ body: 'alice one' }, { body: 'alice two' }],
        rowCount: 2,
        truncated: false,
      },
    });
    expect(
      await registry.execute('run_sql', { sql: 'select body from notes' }, { userId: BOB }),
    ).toMatchObject({
      ok: true,
      output: { rows: [{ body: 'bob secret' }] },
    });
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
