import { readFileSync } from 'node:fs';
import { createModelAccess } from '@relaykit/agent-core';
import { createTestDatabase, type TestDatabase } from '@relaykit/testing/postgres';
import {
  createPostgrestServer,
  mintSupabaseJwt,
  type PostgrestServer,
  postgrestAvailability,
} from '@relaykit/testing/supabase';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVaultApiKeyResolver, type VaultRpcClient, type VaultRpcResponse } from './vault';

const ADA = '00000000-0000-4000-8000-0000000000a1';
const BEN = '00000000-0000-4000-8000-0000000000b2';
const ENV_KEY = 'sk-env-0123456789abcdefghijklmnop';
const PROJECT_KEY = 'sk-project-0123456789abcdefghijklmnop';
const ADA_KEY = 'sk-proj-ada_0123456789-abcdefghijklmnop';

/** An rpc double answering from `answer`, counting calls; `clock.now` is the injected time. */
function fakeRpc(answer: (args: Record<string, unknown>) => VaultRpcResponse | Promise<VaultRpcResponse>) {
  const calls: Record<string, unknown>[] = [];
  const rpc: VaultRpcClient = {
    rpc: async (fn, args = {}) => {
      expect(fn).toBe('get_openai_api_key');
      calls.push(args);
      return answer(args);
    },
  };
  return { rpc, calls };
}

const errorOf = async (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as Error & { code: string; retryable: boolean; toJSON(): unknown },
  );

describe('createVaultApiKeyResolver (rpc double)', () => {
  const keys: Record<string, string | null> = { [ADA]: ADA_KEY };

  it('returns the user’s key, else the fallback, and asks with p_user_id (null for no user)', async () => {
    const { rpc, calls } = fakeRpc(({ p_user_id }) => ({
      data: keys[String(p_user_id)] ?? null,
      error: null,
    }));
    const resolver = createVaultApiKeyResolver({ rpc, fallbackApiKey: ENV_KEY });
    expect(await resolver.getApiKey({ userId: ADA })).toBe(ADA_KEY);
    expect(await resolver.getApiKey({ userId: BEN })).toBe(ENV_KEY);
    expect(await resolver.getApiKey({})).toBe(ENV_KEY);
    expect(calls).toEqual([{ p_user_id: ADA }, { p_user_id: BEN }, { p_user_id: null }]);
    const withoutFallback = createVaultApiKeyResolver({ rpc });
    expect(await withoutFallback.getApiKey({ userId: BEN })).toBeUndefined();
  });

  it('caches per user for ttlMs (default 60 s) on the injected clock, absent keys too', async () => {
    let now = 1_000;
    const { rpc, calls } = fakeRpc(({ p_user_id }) => ({
      data: keys[String(p_user_id)] ?? null,
      error: null,
    }));
    const resolver = createVaultApiKeyResolver({ rpc, now: () => now });
    await resolver.getApiKey({ userId: ADA });
    await resolver.getApiKey({ userId: BEN });
    now += 59_999;
    expect(await resolver.getApiKey({ userId: ADA })).toBe(ADA_KEY);
    expect(await resolver.getApiKey({ userId: BEN.toUpperCase() })).toBeUndefined();
    expect(calls).toHaveLength(2);
    now += 1;
    await resolver.getApiKey({ userId: ADA });
    expect(calls).toHaveLength(3);
    resolver.invalidate(ADA);
    await resolver.getApiKey({ userId: ADA });
    expect(calls).toHaveLength(4);
    resolver.invalidate();
    await resolver.getApiKey({ userId: ADA });
    expect(calls).toHaveLength(5);
  });

  it('ttlMs 0 asks every time; maxEntries drops the oldest user', async () => {
    const uncached = fakeRpc(() => ({ data: null, error: null }));
    const noCache = createVaultApiKeyResolver({ rpc: uncached.rpc, ttlMs: 0 });
    await noCache.getApiKey({ userId: ADA });
    await noCache.getApiKey({ userId: ADA });
    expect(uncached.calls).toHaveLength(2);

    const bounded = fakeRpc(() => ({ data: null, error: null }));
    const small = createVaultApiKeyResolver({ rpc: bounded.rpc, maxEntries: 1 });
    await small.getApiKey({ userId: ADA });
    await small.getApiKey({ userId: BEN });
    await small.getApiKey({ userId: BEN });
    await small.getApiKey({ userId: ADA });
    expect(bounded.calls.map((call) => call.p_user_id)).toEqual([ADA, BEN, ADA]);
  });

  it('concurrent requests of one user share one lookup', async () => {
    let release: (response: VaultRpcResponse) => void = () => {};
    const { rpc, calls } = fakeRpc(
      () =>
        new Promise<VaultRpcResponse>((resolve) => {
          release = resolve;
        }),
    );
    const resolver = createVaultApiKeyResolver({ rpc });
    const all = Promise.all([1, 2, 3].map(() => resolver.getApiKey({ userId: ADA })));
    await Promise.resolve();
    release({ data: ADA_KEY, error: null });
    expect(await all).toEqual([ADA_KEY, ADA_KEY, ADA_KEY]);
    expect(calls).toHaveLength(1);
  });

  it('invalidate during an in-flight lookup: the old answer is not cached, the next call asks again', async () => {
    const releases: ((response: VaultRpcResponse) => void)[] = [];
    const { rpc, calls } = fakeRpc(
      () =>
        new Promise<VaultRpcResponse>((resolve) => {
          releases.push(resolve);
        }),
    );
    const resolver = createVaultApiKeyResolver({ rpc, now: () => 1_000 });
    const old = resolver.getApiKey({ userId: ADA });
    await Promise.resolve();
    resolver.invalidate(ADA.toUpperCase());
    const fresh = resolver.getApiKey({ userId: ADA });
    await Promise.resolve();
    expect(calls).toHaveLength(2);
    releases[1]?.({ data: 'sk-new-0123456789abcdefghijklmnop', error: null });
    releases[0]?.({ data: ADA_KEY, error: null });
    expect(await old).toBe(ADA_KEY);
    expect(await fresh).toBe('sk-new-0123456789abcdefghijklmnop');
    expect(await resolver.getApiKey({ userId: ADA })).toBe('sk-new-0123456789abcdefghijklmnop');
    resolver.invalidate();
    const third = resolver.getApiKey({ userId: ADA });
    await Promise.resolve();
    resolver.invalidate();
    releases[2]?.({ data: ADA_KEY, error: null });
    expect(await third).toBe(ADA_KEY);
    const fourth = resolver.getApiKey({ userId: ADA });
    await Promise.resolve();
    expect(calls).toHaveLength(4);
    releases[3]?.({ data: 'sk-new-0123456789abcdefghijklmnop', error: null });
    expect(await fourth).toBe('sk-new-0123456789abcdefghijklmnop');
  });

  it('a failed lookup is a typed error, not cached, and never carries a key', async () => {
    let fail = true;
    const { rpc, calls } = fakeRpc(() =>
      fail
        ? { data: null, error: { message: 'upstream timeout', code: '' }, status: 503 }
        : { data: ADA_KEY, error: null },
    );
    const resolver = createVaultApiKeyResolver({ rpc, fallbackApiKey: ENV_KEY });
    const error = await errorOf(resolver.getApiKey({ userId: ADA }));
    expect(error).toMatchObject({ name: 'StoreError', code: 'store_unavailable', retryable: true });
    fail = false;
    expect(await resolver.getApiKey({ userId: ADA })).toBe(ADA_KEY);
    expect(calls).toHaveLength(2);
  });

  it('maps errors: thrown rpc, 4xx, unexpected data (whose value is not echoed)', async () => {
    const thrown = createVaultApiKeyResolver({
      rpc: {
        rpc: () => Promise.reject(new TypeError('fetch failed')),
      },
    });
    expect(await errorOf(thrown.getApiKey({ userId: ADA }))).toMatchObject({
      code: 'store_unavailable',
      retryable: true,
    });

    const badRequest = createVaultApiKeyResolver({
      rpc: fakeRpc(() => ({ data: null, error: { message: 'bad', code: '22P02' }, status: 400 })).rpc,
    });
    expect(await errorOf(badRequest.getApiKey({ userId: ADA }))).toMatchObject({
      code: 'store_error',
      retryable: false,
    });

    const odd = createVaultApiKeyResolver({
      rpc: fakeRpc(() => ({ data: { key: ADA_KEY }, error: null })).rpc,
    });
    const oddError = await errorOf(odd.getApiKey({ userId: ADA }));
    expect(oddError).toMatchObject({ code: 'store_error' });
    expect(JSON.stringify(oddError.toJSON())).not.toContain(ADA_KEY);
    expect(oddError.message).not.toContain(ADA_KEY);
  });

  it('refuses a context user id that is not a UUID, and bad options', async () => {
    const resolver = createVaultApiKeyResolver({ rpc: fakeRpc(() => ({ data: null, error: null })).rpc });
    expect(await errorOf(resolver.getApiKey({ userId: 'ada' }))).toMatchObject({ code: 'invalid_request' });
    expect(() => createVaultApiKeyResolver({} as never)).toThrow(
      expect.objectContaining({ code: 'configuration' }),
    );
    const rpc = fakeRpc(() => ({ data: null, error: null })).rpc;
    expect(() => createVaultApiKeyResolver({ rpc, ttlMs: -1 })).toThrow(
      expect.objectContaining({ code: 'configuration' }),
    );
    expect(() => createVaultApiKeyResolver({ rpc, maxEntries: 0 })).toThrow(
      expect.objectContaining({ code: 'configuration' }),
    );
  });

  it('takes the user from a custom context through userId()', async () => {
    const { rpc, calls } = fakeRpc(() => ({ data: ADA_KEY, error: null }));
    const resolver = createVaultApiKeyResolver<{ session: { uid: string } }>({
      rpc,
      userId: (context) => context.session.uid,
    });
    expect(await resolver.getApiKey({ session: { uid: ADA } })).toBe(ADA_KEY);
    expect(calls).toEqual([{ p_user_id: ADA }]);
  });
});

const SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';
const MIGRATION = readFileSync(new URL('../sql/0001_openai_keys.sql', import.meta.url), 'utf8');
const pg = await postgrestAvailability();

describe.skipIf(!pg.available)('createVaultApiKeyResolver through supabase-js on the real PostgREST', () => {
  let db: TestDatabase;
  let server: PostgrestServer;
  const clientFor = (apiKey: string, token?: string): SupabaseClient =>
    createClient(server.url, apiKey, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      global: token === undefined ? {} : { headers: { Authorization: `Bearer ${token}` } },
    });
  let service: SupabaseClient;
  let ada: SupabaseClient;

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql.unsafe(MIGRATION);
    server = await createPostgrestServer({
      database: db,
      jwtSecret: SECRET,
      schemas: ['public', 'relaykit'],
    });
    service = clientFor(server.serviceRoleKey);
    ada = clientFor(server.anonKey, await mintSupabaseJwt({ secret: SECRET, sub: ADA }));
  }, 120_000); // a database and PostgREST start (slower on a loaded machine)
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  it('falls back to the env key, then the project key, then the user’s own key, as they appear', async () => {
    let now = 0;
    const resolver = createVaultApiKeyResolver({
      rpc: service.schema('relaykit'),
      fallbackApiKey: ENV_KEY,
      now: () => now,
    });
    expect(await resolver.getApiKey({ userId: ADA })).toBe(ENV_KEY);

    await db.sql`select vault.create_secret(${PROJECT_KEY}, 'openai_api_key')`;
    expect(await resolver.getApiKey({ userId: ADA })).toBe(ENV_KEY); // cached for 60 s
    now += 60_000;
    expect(await resolver.getApiKey({ userId: ADA })).toBe(PROJECT_KEY);

    const set = await ada.schema('relaykit').rpc('set_my_openai_api_key', { p_key: ADA_KEY });
    expect(set.error).toBeNull();
    expect((await ada.schema('relaykit').rpc('has_my_openai_api_key')).data).toBe(true);
    resolver.invalidate(ADA);
    expect(await resolver.getApiKey({ userId: ADA })).toBe(ADA_KEY);
    expect(await resolver.getApiKey({ userId: BEN })).toBe(PROJECT_KEY);
    expect(await resolver.getApiKey({})).toBe(PROJECT_KEY);

    const lookups = server.calls.filter((call) => call.function === 'get_openai_api_key');
    expect(lookups.every((call) => call.role === 'service_role' && call.schema === 'relaykit')).toBe(true);
    expect(lookups).toHaveLength(5);
  });

  it('feeds createModelAccess: each user gets a client with their own key', async () => {
    const resolver = createVaultApiKeyResolver<{ userId?: string }>({ rpc: service.schema('relaykit') });
    const access = createModelAccess<{ userId?: string }>({ apiKey: ENV_KEY, getApiKey: resolver.getApiKey });
    expect((await access.clientFor({ userId: ADA })).apiKey).toBe(ADA_KEY);
    expect((await access.clientFor({ userId: BEN })).apiKey).toBe(PROJECT_KEY);
  });

  it('an invalid key from the app is a 400 with the rule, not the key', async () => {
    const { error, status } = await ada
      .schema('relaykit')
      .rpc('set_my_openai_api_key', { p_key: 'sk-short' });
    expect(status).toBe(400);
    expect(error).toMatchObject({ code: '22023' });
    expect(error?.message).not.toContain('sk-short');
  });

  it('a user’s (or anon) client is refused: a configuration error naming the service role', async () => {
    for (const client of [ada, clientFor(server.anonKey)]) {
      const resolver = createVaultApiKeyResolver({ rpc: client.schema('relaykit') });
      const error = await errorOf(resolver.getApiKey({ userId: ADA }));
      expect(error).toMatchObject({ name: 'ConfigurationError', code: 'configuration' });
      expect(error.message).toContain('service-role');
    }
  });

  it('a client on the wrong schema is a configuration error naming the migration and api.schemas', async () => {
    const resolver = createVaultApiKeyResolver({ rpc: service });
    const error = await errorOf(resolver.getApiKey({ userId: ADA }));
    expect(error).toMatchObject({ code: 'configuration' });
    expect(error.message).toMatch(/0001_openai_keys\.sql.*schema relaykit/);
  });
});
