import { createServer } from 'node:net';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPGliteTestDatabase,
  createTestDatabase,
  type PGliteTestDatabase,
  postgresAvailability,
  SUPABASE_PLATFORM_SQL,
  type TestDatabase,
  TestServiceUnavailableError,
} from './postgres';

type Row = Record<string, unknown>;
type Params = unknown[];

/** The same assertions run against real Postgres and PGlite through this small adapter. */
interface HarnessUnderTest {
  migrate(sql: string): Promise<void>;
  superuser(query: string, params?: Params): Promise<Row[]>;
  asUser(userId: string, query: string, params?: Params, claims?: Record<string, unknown>): Promise<Row[]>;
  asAnon(query: string, params?: Params): Promise<Row[]>;
  asService(query: string, params?: Params): Promise<Row[]>;
  /** Runs two statements as the user in one transaction; the second throws, so both must roll back. */
  failingUserTransaction(userId: string, insert: string): Promise<unknown>;
}

const ALICE = '11111111-1111-4111-8111-111111111111';
const BOB = '22222222-2222-4222-8222-222222222222';

const NOTES_MIGRATION = `
create table public.notes (
  id uuid primary key default gen_random_uuid(),
  owner uuid not null default auth.uid(),
  body text not null
);
alter table public.notes enable row level security;
create policy notes_select on public.notes for select to authenticated using (owner = auth.uid());
create policy notes_insert on public.notes for insert to authenticated with check (owner = auth.uid());
create policy notes_update on public.notes for update to authenticated using (owner = auth.uid()) with check (owner = auth.uid());
create policy notes_delete on public.notes for delete to authenticated using (owner = auth.uid());
`;

function supabasePlatformAssertions(make: () => HarnessUnderTest) {
  let h: HarnessUnderTest;
  beforeAll(async () => {
    h = make();
    await h.migrate(NOTES_MIGRATION);
    await h.asUser(ALICE, `insert into public.notes (body) values ('alice 1'), ('alice 2')`);
    await h.asUser(BOB, `insert into public.notes (body) values ('bob 1')`);
  });

  it('installs the Supabase roles, service_role with BYPASSRLS', async () => {
    const rows = await h.superuser(
      `select rolname, rolbypassrls, rolcanlogin from pg_roles where rolname in ('anon', 'authenticated', 'service_role') order by rolname`,
    );
    expect(rows).toEqual([
      { rolname: 'anon', rolbypassrls: false, rolcanlogin: false },
      { rolname: 'authenticated', rolbypassrls: false, rolcanlogin: false },
      { rolname: 'service_role', rolbypassrls: true, rolcanlogin: false },
    ]);
  });

  it('the platform bootstrap is idempotent (running it again changes nothing)', async () => {
    await h.migrate(SUPABASE_PLATFORM_SQL);
    expect(await h.asUser(ALICE, `select count(*)::int as n from public.notes`)).toEqual([{ n: 2 }]);
  });

  it('asUser sets role authenticated and claims read by auth.uid(), auth.role(), auth.jwt()', async () => {
    const [row] = await h.asUser(
      ALICE,
      `select current_user as "user", auth.uid() as uid, auth.role() as role, auth.jwt() as jwt`,
      [],
      { email: 'alice@example.com' },
    );
    expect(row).toEqual({
      user: 'authenticated',
      uid: ALICE,
      role: 'authenticated',
      jwt: { email: 'alice@example.com', sub: ALICE, role: 'authenticated' },
    });
  });

  it('asAnon and asService switch role and claims', async () => {
    expect(await h.asAnon(`select current_user as "user", auth.uid() as uid, auth.role() as role`)).toEqual([
      { user: 'anon', uid: null, role: 'anon' },
    ]);
    expect(await h.asService(`select current_user as "user", auth.role() as role`)).toEqual([
      { user: 'service_role', role: 'service_role' },
    ]);
  });

  it('auth.uid() is NULL for the superuser, with the claims setting missing or empty', async () => {
    expect(await h.superuser(`select auth.uid() as uid, auth.jwt() as jwt`)).toEqual([
      { uid: null, jwt: null },
    ]);
    expect(
      await h.superuser(
        `select set_config('request.jwt.claims', '', true), auth.uid() as uid, auth.role() as role`,
      ),
    ).toEqual([{ set_config: '', uid: null, role: null }]);
  });

  it('a user sees only their own rows', async () => {
    const alice = await h.asUser(ALICE, `select body, owner from public.notes order by body`);
    expect(alice).toEqual([
      { body: 'alice 1', owner: ALICE },
      { body: 'alice 2', owner: ALICE },
    ]);
    expect(await h.asUser(BOB, `select body from public.notes`)).toEqual([{ body: 'bob 1' }]);
  });

  it("a user cannot update or delete another user's rows", async () => {
    expect(
      await h.asUser(ALICE, `update public.notes set body = 'hacked' where body = 'bob 1' returning id`),
    ).toEqual([]);
    expect(await h.asUser(ALICE, `delete from public.notes where body = 'bob 1' returning id`)).toEqual([]);
    expect(await h.asService(`select body, owner from public.notes where owner = $1`, [BOB])).toEqual([
      { body: 'bob 1', owner: BOB },
    ]);
  });

  it('a user cannot insert a row owned by someone else (RLS violation, SQLSTATE 42501)', async () => {
    await expect(
      h.asUser(ALICE, `insert into public.notes (owner, body) values ($1, 'forged')`, [BOB]),
    ).rejects.toMatchObject({ code: '42501' });
  });

  it('the service role bypasses RLS; anon sees nothing', async () => {
    const all = await h.asService(`select body from public.notes order by body`);
    expect(all.map((row) => row.body)).toEqual(['alice 1', 'alice 2', 'bob 1']);
    expect(await h.asAnon(`select body from public.notes`)).toEqual([]);
  });

  it('a failing callback rolls the whole transaction back', async () => {
    await expect(
      h.failingUserTransaction(ALICE, `insert into public.notes (body) values ('rolled back')`),
    ).rejects.toThrow('boom');
    expect(
      await h.asService(`select count(*)::int as n from public.notes where body = 'rolled back'`),
    ).toEqual([{ n: 0 }]);
  });

  it('tables created by migrations get Supabase default privileges for the API roles', async () => {
    const rows = await h.superuser(
      `select grantee, count(*)::int as n from information_schema.role_table_grants
       where table_schema = 'public' and table_name = 'notes' and grantee in ('anon', 'authenticated', 'service_role')
       group by grantee order by grantee`,
    );
    expect(rows.map((row) => row.grantee)).toEqual(['anon', 'authenticated', 'service_role']);
    for (const row of rows) expect(row.n).toBeGreaterThanOrEqual(7);
  });
}

const pg = await postgresAvailability();

describe.skipIf(!pg.available)('createTestDatabase on real Postgres', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });

  supabasePlatformAssertions(() => ({
    migrate: async (sql) => {
      await db.sql.unsafe(sql);
    },
    superuser: (query, params = []) =>
      db.sql.begin((tx) => tx.unsafe(query, params as never[])) as Promise<Row[]>,
    asUser: (userId, query, params = [], claims) =>
      db.asUser(
        userId,
        (tx) => tx.unsafe(query, params as never[]),
        claims ? { claims } : undefined,
      ) as Promise<Row[]>,
    asAnon: (query, params = []) => db.asAnon((tx) => tx.unsafe(query, params as never[])) as Promise<Row[]>,
    asService: (query, params = []) =>
      db.asService((tx) => tx.unsafe(query, params as never[])) as Promise<Row[]>,
    failingUserTransaction: (userId, insert) =>
      db.asUser(userId, async (tx) => {
        await tx.unsafe(insert);
        throw new Error('boom');
      }),
  }));

  it('creates databases concurrently (as parallel test files do) without bootstrap races', async () => {
    const databases = await Promise.all([createTestDatabase(), createTestDatabase(), createTestDatabase()]);
    try {
      expect(new Set(databases.map((database) => database.name)).size).toBe(3);
      for (const database of databases) {
        expect(await database.asUser(ALICE, (tx) => tx`select auth.uid() as uid`)).toEqual([{ uid: ALICE }]);
      }
    } finally {
      await Promise.all(databases.map((database) => database.close()));
    }
  });

  it('gives each call its own database, named relaykit_t_*, and drops it on close', async () => {
    expect(db.name).toMatch(/^relaykit_t_[0-9a-f]{16}$/);
    expect(new URL(db.url).pathname).toBe(`/${db.name}`);
    const other = await createTestDatabase();
    expect(other.name).not.toBe(db.name);
    expect(await other.sql`select to_regclass('public.notes') as t`).toEqual([{ t: null }]);
    await other.close();
    await other.close();
    const admin = postgres(pg.available ? pg.url : '', { max: 1 });
    try {
      expect(await admin`select datname from pg_database where datname = ${other.name}`).toEqual([]);
      expect((await admin`select datname from pg_database where datname = ${db.name}`).length).toBe(1);
    } finally {
      await admin.end();
    }
  });
});

describe('createPGliteTestDatabase', () => {
  let db: PGliteTestDatabase;
  beforeAll(async () => {
    db = await createPGliteTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });

  const rows = async (result: Promise<{ rows: unknown[] }>) => (await result).rows as Row[];
  supabasePlatformAssertions(() => ({
    migrate: (sql) => db.exec(sql),
    superuser: (query, params = []) => rows(db.db.query(query, params)),
    asUser: (userId, query, params = [], claims) =>
      db.asUser(userId, (tx) => rows(tx.query(query, params)), claims ? { claims } : undefined),
    asAnon: (query, params = []) => db.asAnon((tx) => rows(tx.query(query, params))),
    asService: (query, params = []) => db.asService((tx) => rows(tx.query(query, params))),
    failingUserTransaction: (userId, insert) =>
      db.asUser(userId, async (tx) => {
        await tx.query(insert);
        throw new Error('boom');
      }),
  }));
});

describe('postgresAvailability', () => {
  async function closedPortUrl() {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (address === null || typeof address === 'string') throw new Error('no port');
    return `postgres://postgres:secret@127.0.0.1:${address.port}/test`;
  }

  it('reports an unreachable server as unavailable with a printed, redacted reason', async () => {
    const url = await closedPortUrl();
    const printed: string[] = [];
    const result = await postgresAvailability({
      env: { RELAYKIT_TEST_DATABASE_URL: url },
      log: (m) => printed.push(m),
    });
    expect(result.available).toBe(false);
    if (result.available) return;
    expect(result.reason).toContain('is unreachable');
    expect(result.reason).toContain('127.0.0.1');
    expect(result.reason).not.toContain('secret');
    expect(printed).toHaveLength(1);
    expect(printed[0]).toContain(result.reason);
  });

  it('throws TestServiceUnavailableError when RELAYKIT_REQUIRE_SERVICES=1', async () => {
    const url = await closedPortUrl();
    const attempt = postgresAvailability({ url, env: { RELAYKIT_REQUIRE_SERVICES: '1' }, log: () => {} });
    await expect(attempt).rejects.toBeInstanceOf(TestServiceUnavailableError);
    await expect(attempt).rejects.toMatchObject({ code: 'store_unavailable' });
  });

  it.skipIf(!pg.available)('reports a reachable server as available with its url', async () => {
    expect(await postgresAvailability({ url: pg.available ? pg.url : '' })).toEqual({
      available: true,
      url: pg.available ? pg.url : '',
    });
  });
});
