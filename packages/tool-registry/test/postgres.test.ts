import { createTestDatabase, postgresAvailability, type TestDatabase } from '@relaykit/testing/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToolRegistry, type ToolRegistry, type ToolResult } from '../src/index';
import { createPostgresTools } from '../src/postgres';
import { BENIGN_SQL, HOSTILE_CASES } from './hostile-inputs';

const ALICE = '11111111-1111-4111-8111-111111111111';
const BOB = '22222222-2222-4222-8222-222222222222';

const MIGRATION = `
create table public.widgets (
  id serial primary key,
  name text not null,
  dropdown text,
  deleted_at timestamptz,
  owner uuid
);
insert into public.widgets (name, dropdown, deleted_at) values
  ('alpha', 'menu', null), ('beta', 'select', now()), ('gamma', null, null);
create table public.notes (
  id serial primary key,
  user_id uuid not null,
  body text not null
);
alter table public.notes enable row level security;
create policy notes_owner_select on public.notes for select to authenticated using (user_id = auth.uid());
insert into public.notes (user_id, body) values
  ('${ALICE}', 'alice one'), ('${ALICE}', 'alice two'), ('${BOB}', 'bob secret');
create table public.orders (
  id serial primary key,
  widget_id int not null references public.widgets (id),
  amount numeric(10, 2) check (amount >= 0),
  unique (widget_id, amount)
);
create sequence public.counter;
create function public.bump() returns int language sql volatile as
  $$ insert into public.widgets (name) values ('bumped') returning id $$;
create function public.evil_definer() returns int language plpgsql security definer as
  $$ begin delete from public.widgets; return 1; end $$;
`;

/** A checksum of the schema (relations, columns, constraints, policies, functions, roles) and of all data. */
const CHECKSUM_SQL = `
select md5(string_agg(line, E'\\n' order by line)) as checksum from (
  select format('col %s.%s.%s %s %s %s', table_schema, table_name, column_name, data_type, is_nullable, column_default) as line
    from information_schema.columns where table_schema not in ('pg_catalog', 'information_schema')
  union all
  select format('rel %s.%s %s rls=%s', n.nspname, c.relname, c.relkind, c.relrowsecurity)
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
  union all
  select format('con %s %s', conname, pg_get_constraintdef(oid)) from pg_constraint
    where connamespace not in ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
  union all
  select format('pol %s.%s %s %s', schemaname, tablename, policyname, qual) from pg_policies
  union all
  select 'fn ' || p.oid::regprocedure::text from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname not in ('pg_catalog', 'information_schema')
  union all
  select format('role %s super=%s bypass=%s', rolname, rolsuper, rolbypassrls) from pg_roles
  union all
  select format('acl %s %s', c.relname, c.relacl) from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public'
  union all
  select 'widgets ' || md5(coalesce(string_agg(w::text, ',' order by w.id), '')) from public.widgets w
  union all
  select 'notes ' || md5(coalesce(string_agg(x::text, ',' order by x.id), '')) from public.notes x
  union all
  select 'orders ' || md5(coalesce(string_agg(o::text, ',' order by o.id), '')) from public.orders o
  union all
  select format('seq %s %s', last_value, is_called) from public.counter
  union all
  select format('lo %s', count(*)) from pg_largeobject_metadata
) lines`;

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

  it('rejects options that would expose system schemas', () => {
    expect(() => createPostgresTools({ sql: db.sql, schemas: ['auth'] })).toThrow(/system schema/);
    expect(() => createPostgresTools({ sql: db.sql, schemas: ['pg_catalog'] })).toThrow(/system schema/);
    expect(() => createPostgresTools({ sql: db.sql, maxRows: 0 })).toThrow(/maxRows/);
  });
});
