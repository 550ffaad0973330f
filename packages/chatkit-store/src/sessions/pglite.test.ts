import { PGlite } from '@electric-sql/pglite';
import { afterAll, expect, it } from 'vitest';
import { agentSessionContract, makeSessionItem } from '../testing/session-contract';
import { createPGliteSessionStore } from './pglite';

// One PGlite instance (≈2 s to open) serves the contract; users are random, so tests do not see each other's rows.
const shared = new PGlite();
afterAll(async () => {
  await shared.close();
});

agentSessionContract('pglite', async (options) => ({
  store: await createPGliteSessionStore({ ...options, db: shared }),
  context: (userId) => ({ userId }),
}));

it('enforces RLS inside PGlite: the session tables show a user only their own rows', async () => {
  const store = await createPGliteSessionStore({ db: shared });
  const alice = crypto.randomUUID();
  await store.session('shared-id', { userId: alice }).addItems([makeSessionItem('secret')]);
  const countAs = (userId: string) =>
    shared.transaction(async (tx) => {
      await tx.query(
        "select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)",
        [JSON.stringify({ sub: userId, role: 'authenticated' })],
      );
      const rows = await tx.query<{ sessions: number; items: number }>(
        `select (select count(*) from public.chatkit_agent_sessions where id = 'shared-id')::int as sessions,
                (select count(*) from public.chatkit_agent_session_items where session_id = 'shared-id')::int as items`,
      );
      return rows.rows[0];
    });
  expect(await countAs(alice)).toEqual({ sessions: 1, items: 1 });
  expect(await countAs(crypto.randomUUID())).toEqual({ sessions: 0, items: 0 });
});

it('opens and closes its own PGlite when given none', async () => {
  const store = await createPGliteSessionStore();
  const session = store.session('own', { userId: crypto.randomUUID() });
  await session.addItems([makeSessionItem('hi')]);
  expect(await session.getItems()).toEqual([makeSessionItem('hi')]);
  await store.close();
  expect(store.db.closed).toBe(true);
}, 60_000);
