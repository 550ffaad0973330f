/**
 * Agents SDK sessions through supabase-js `rpc()` against the PostgREST stand-in from @relaykit/testing, running the
 * real SQL functions on real Postgres as the user in the JWT.
 */
import { createTestDatabase, postgresAvailability, type TestDatabase } from '@relaykit/testing/postgres';
import { createSupabaseRpcServer, mintSupabaseJwt, type SupabaseRpcServer } from '@relaykit/testing/supabase';
import { createClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../migrate';
import { agentSessionContract, makeSessionItem } from '../testing/session-contract';
import { createSupabaseSessionStore } from './supabase';

const SECRET = 'chatkit-store-test-secret-with-at-least-32-characters';
const pg = await postgresAvailability();

describe.skipIf(!pg.available)('Agents SDK sessions on the Supabase RPC stand-in over real Postgres', () => {
  let db: TestDatabase;
  let server: SupabaseRpcServer;
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
    server = await createSupabaseRpcServer({ database: db, jwtSecret: SECRET });
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  agentSessionContract('supabase', async (options) => ({
    store: createSupabaseSessionStore({ ...options, client: client() }),
    context,
  }));

  it('makes one rpc() call per session operation, as the user in the JWT', async () => {
    const session = createSupabaseSessionStore({ client: client() }).session(
      'ses_rpc',
      await context(crypto.randomUUID()),
    );
    const before = server.calls.length;
    await session.addItems([makeSessionItem('a'), makeSessionItem('b')]);
    await session.getItems(1);
    await session.popItem();
    await session.clearSession();
    expect(server.calls.slice(before).map((call) => [call.function, call.role, call.status])).toEqual([
      ['chatkit_agent_session_add_items', 'authenticated', 204],
      ['chatkit_agent_session_items', 'authenticated', 200],
      ['chatkit_agent_session_pop_item', 'authenticated', 200],
      ['chatkit_agent_session_clear', 'authenticated', 204],
    ]);
  });

  it('without a JWT the call runs as anon and is refused', async () => {
    const store = createSupabaseSessionStore({ client: client() });
    await expect(store.session('s', { userId: crypto.randomUUID() }).getItems()).rejects.toMatchObject({
      code: 'forbidden',
    });
  });
});
