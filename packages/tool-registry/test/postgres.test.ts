import { createTestDatabase, postgresAvailability, type TestDatabase } from '@relaykit/testing/postgres';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToolRegistry, type ToolRegistry, type ToolResult } from '../src/index';
import { createPostgresTools } from '../src/postgres';
import { ALICE, BOB, CHECKSUM_SQL, MIGRATION } from './database-fixture';
import { BENIGN_SQL, HOSTILE_CASES } from './hostile-inputs';
import { expectRunawaysBounded } from './runaway-cases';

const pg = await postgresAvailability();

describe.skipIf(!pg.available)('database tool pack on real Postgres', () => {
  let db: TestDatabase;
  let registry: ToolRegistry;
  let adminRegistry: ToolRegistry;

  const checksum = async () => {
    const [row] = await db.sql.unsafe(CHECKSUM_SQL);
    return row?.checksum as string;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql.unsafe(MIGRATION);
    const pack = createPostgresTools({ sql: db.sql, statementTimeoutMs: 300, maxRows: 2 });
    registry = createToolRegistry().register(...pack.all);
    adminRegistry = createToolRegistry({
      policies: [{ effect: 'allow', tools: ['drop_table'], roles: ['db-admin'] }],
    }).register(...createPostgresTools({ sql: db.sql, statementTimeoutMs: 300 }).all);
  });

  afterAll(async () => {
    await db?.close();
  });

  const alice = { userId: ALICE, agentType: 'db-copilot' };

  it('lists the tables the caller can read, with RLS flags', async () => {
    const result = await registry.execute('list_tables', '{}', alice);
    expect(result).toEqual({
      ok: true,
      output: {
        tables: [
          { schema: 'public', name: 'notes', kind: 'table', rlsEnabled: true },
          { schema: 'public', name: 'orders', kind: 'table', rlsEnabled: false },
          { schema: 'public', name: 'widgets', kind: 'table', rlsEnabled: false },
        ],
      },
    });
  });

  it('describes columns, keys, constraints, RLS and policies', async () => {
    const notes = await registry.execute('get_schema', { table: 'notes' }, alice);
    expect(notes).toMatchObject({
      ok: true,
      output: {
        schema: 'public',
        table: 'notes',
        rlsEnabled: true,
        rlsForced: false,
        primaryKey: ['id'],
        columns: [
          { name: 'id', type: 'integer', nullable: false, default: "nextval('notes_id_seq'::regclass)" },
          { name: 'user_id', type: 'uuid', nullable: false, default: null },
          { name: 'body', type: 'text', nullable: false, default: null },
        ],
        policies: [
          {
            name: 'notes_owner_select',
            permissive: true,
            roles: ['authenticated'],
            command: 'SELECT',
            using: '(user_id = auth.uid())',
            check: null,
          },
        ],
      },
    });
    const orders = await registry.execute('get_schema', { table: 'orders' }, alice);
    expect(orders).toMatchObject({
      ok: true,
      output: {
        foreignKeys: [
          {
            name: 'orders_widget_id_fkey',
            columns: ['widget_id'],
            definition: 'FOREIGN KEY (widget_id) REFERENCES widgets(id)',
          },
        ],
        constraints: [
          { name: 'orders_amount_check', kind: 'check' },
          { name: 'orders_widget_id_amount_key', kind: 'unique', definition: 'UNIQUE (widget_id, amount)' },
        ],
      },
    });
    expect(await registry.execute('get_schema', { table: 'missing' }, alice)).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });

  it('runs read-only SQL as the caller so RLS applies, with a row limit', async () => {
    const asAlice = await registry.execute('run_sql', { sql: 'select body from notes order by id' }, alice);
    expect(asAlice).toEqual({
      ok: true,
      output: {
        columns: [{ name: 'body', type: 'text' }],
        rows: [{ body: 'alice one' }, { body: 'alice two' }],
        rowCount: 2,
        truncated: false,
      },
    });
    const asBob = await registry.execute('run_sql', { sql: 'select body from notes' }, { userId: BOB });
    expect(asBob).toMatchObject({ ok: true, output: { rows: [{ body: 'bob secret' }] } });
    const asAnon = await registry.execute('run_sql', { sql: 'select count(*)::int as n from notes' }, {});
    expect(asAnon).toMatchObject({ ok: true, output: { rows: [{ n: 0 }] } });
    const whoami = await registry.execute(
      'run_sql',
      { sql: 'select current_user as role, auth.uid() as uid' },
      alice,
    );
    expect(whoami).toMatchObject({ ok: true, output: { rows: [{ role: 'authenticated', uid: ALICE }] } });
    const many = await registry.execute('run_sql', { sql: 'select id from widgets order by id' }, alice);
    expect(many).toMatchObject({
      ok: true,
      output: { rowCount: 2, truncated: true, rows: [{ id: 1 }, { id: 2 }] },
    });
  });

  it('runs ordinary SQL that merely contains scary words', async () => {
    for (const sql of BENIGN_SQL) {
      const result = await registry.execute('run_sql', { sql }, alice);
      expect(result.ok, `${sql}: ${JSON.stringify(result)}`).toBe(true);
    }
    const dropdown = await registry.execute(
      'run_sql',
      { sql: 'select dropdown, deleted_at from widgets order by id' },
      alice,
    );
    expect(dropdown).toMatchObject({
      ok: true,
      output: {
        columns: [
          { name: 'dropdown', type: 'text' },
          { name: 'deleted_at', type: 'timestamptz' },
        ],
      },
    });
  });

  it(`refuses every one of the ${HOSTILE_CASES.length} hostile inputs with a structured error and changes nothing`, async () => {
    const before = await checksum();
    const failures: string[] = [];
    for (const entry of HOSTILE_CASES) {
      const raw = entry.rawArguments ?? JSON.stringify({ sql: entry.sql });
      const result: ToolResult = await registry.execute(entry.tool ?? 'run_sql', raw, alice);
      const after = await checksum();
      if (result.ok) failures.push(`${entry.name}: was allowed`);
      else if (!entry.codes.includes(result.error.code)) {
        failures.push(`${entry.name}: code ${result.error.code} (${result.error.message})`);
      } else if (result.error.message.length === 0) failures.push(`${entry.name}: empty message`);
      if (after !== before) failures.push(`${entry.name}: changed the database`);
    }
    expect(failures).toEqual([]);
    expect(await checksum()).toBe(before);
  });

  it('creates a table only with approval, with RLS on, as the connection role', async () => {
    const input = {
      name: 'rsvps',
      columns: [
        { name: 'id', type: 'uuid', primaryKey: true, default: 'gen_random_uuid()' },
        { name: 'user_id', type: 'uuid', nullable: false, default: 'auth.uid()' },
        { name: 'created_at', type: 'timestamptz', default: 'now()' },
      ],
    };
    expect(await registry.execute('create_table', input, alice)).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await registry.execute('create_table', input, alice, { approved: true })).toEqual({
      ok: true,
      output: { created: 'public.rsvps', rlsEnabled: true },
    });
    const schema = await adminRegistry.execute('get_schema', { table: 'rsvps' }, alice);
    expect(schema).toMatchObject({
      ok: true,
      output: {
        rlsEnabled: true,
        primaryKey: ['id'],
        columns: [{ name: 'id', type: 'uuid', default: 'gen_random_uuid()' }, {}, {}],
      },
    });
    expect(await registry.execute('create_table', input, alice, { approved: true })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
  });

  it('keeps drop_table off by default; with a policy it still needs approval, then drops', async () => {
    await db.sql.unsafe('create table public.scratch (id int)');
    const denied = await registry.execute('drop_table', { name: 'scratch' }, alice, { approved: true });
    expect(denied).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const admin = { ...alice, roles: ['db-admin'] };
    expect(await adminRegistry.execute('drop_table', { name: 'scratch' }, admin)).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: expect.stringMatching(/approval/) },
    });
    expect(await adminRegistry.execute('drop_table', { name: 'scratch' }, admin, { approved: true })).toEqual(
      {
        ok: true,
        output: { dropped: 'public.scratch' },
      },
    );
    expect(
      await adminRegistry.execute('drop_table', { name: 'scratch' }, admin, { approved: true }),
    ).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(
      await adminRegistry.execute('drop_table', { name: 'widgets' }, admin, { approved: true }),
    ).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
  });

  it('cancels the running statement when the caller aborts', async () => {
    // A sleep far longer than any test: only the cancel can end it, so no clock needs checking.
    const patient = createToolRegistry().register(
      ...createPostgresTools({ sql: db.sql, statementTimeoutMs: 3_600_000 }).all,
    );
    const sleepers = async () => {
      const [row] = await db.sql`
        select count(*)::int as n from pg_stat_activity
        where datname = current_database() and query like '%pg_sleep(3600)%' and state = 'active' and pid <> pg_backend_pid()`;
      return row?.n as number;
    };
    /** Polls until `count` sleepers are seen (the test's own timeout bounds the wait, not a fixed number of tries). */
    const waitFor = async (count: number) => {
      while ((await sleepers()) !== count) await new Promise((resolve) => setTimeout(resolve, 50));
      return count;
    };
    const controller = new AbortController();
    const pending = patient.execute('run_sql', { sql: 'select pg_sleep(3600) as slept' }, alice, {
      signal: controller.signal,
    });
    expect(await waitFor(1)).toBe(1); // the statement is running on the server
    controller.abort();
    expect(await pending).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    // The statement itself is cancelled on the server, not left sleeping.
    expect(await waitFor(0)).toBe(0);
  });

  it('ends every runaway statement within its limits while the app database keeps answering', async () => {
    // The tools get their own small pool, as an app should give them; the app's database is `db.sql`.
    const own = postgres(db.url, { max: 1, onnotice: () => {} });
    try {
      const runaways = createToolRegistry().register(
        ...createPostgresTools({ sql: own, statementTimeoutMs: 3_000, maxRows: 2 }).all,
      );
      await expectRunawaysBounded(runaways, alice, {
        async started(sql, settled) {
          while (!settled()) {
            const [row] = await db.sql`
              select count(*)::int as n from pg_stat_activity
              where state = 'active' and strpos(query, ${sql}) > 0 and pid <> pg_backend_pid()`;
            if ((row?.n as number) > 0) return;
            await new Promise((resolve) => setTimeout(resolve, 25));
          }
        },
        probe: () => db.sql`select 1 as one`,
      });
    } finally {
      await own.end({ timeout: 5 });
    }
  }, 300_000);

  it('rejects options that would expose system schemas', () => {
    expect(() => createPostgresTools({ sql: db.sql, schemas: ['auth'] })).toThrow(/system schema/);
    expect(() => createPostgresTools({ sql: db.sql, schemas: ['pg_catalog'] })).toThrow(/system schema/);
    expect(() => createPostgresTools({ sql: db.sql, maxRows: 0 })).toThrow(/maxRows/);
    expect(() => createPostgresTools({ sql: db.sql, maxResultBytes: 0 })).toThrow(/maxResultBytes/);
    expect(() => createPostgresTools({ sql: db.sql, schemas: [] })).toThrow(/at least one/);
    expect(() => createPostgresTools({} as never)).toThrow(/postgres.js client/);
  });
});
