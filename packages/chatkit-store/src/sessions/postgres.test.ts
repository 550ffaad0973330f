import { createTestDatabase, postgresAvailability, type TestDatabase } from '@relaykit/testing/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../migrate';
import { agentSessionContract, makeSessionItem } from '../testing/session-contract';
import { createPostgresSessionStore } from './postgres';

const pg = await postgresAvailability();

describe.skipIf(!pg.available)('Agents SDK sessions on real Postgres', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await migrate(db.sql);
  });
  afterAll(async () => {
    await db?.close();
  });

  agentSessionContract('postgres', async (options) =>
    options === undefined
      ? { store: createPostgresSessionStore({ sql: db.sql }), context: (userId) => ({ userId }) }
      : {
          store: createPostgresSessionStore({ ...options, connectionString: db.url }),
          context: (userId) => ({ userId }),
        },
  );

  it("RLS alone keeps user B out of user A's session rows; the service role acts for the user in its claims", async () => {
    const alice = crypto.randomUUID();
    const bob = crypto.randomUUID();
    await createPostgresSessionStore({ sql: db.sql })
      .session('plans', { userId: alice })
      .addItems([makeSessionItem('a1')]);
    const count = (userId: string) =>
      db.asUser(userId, async (tx) => {
        const [row] = await tx`
          select (select count(*) from public.chatkit_agent_sessions where id = 'plans')::int as sessions,
                 (select count(*) from public.chatkit_agent_session_items where session_id = 'plans')::int as items`;
        return row;
      });
    expect(await count(bob)).toEqual({ sessions: 0, items: 0 });
    expect(await count(alice)).toEqual({ sessions: 1, items: 1 });
    const service = createPostgresSessionStore({ sql: db.sql, role: 'service' });
    expect(await service.session('plans', { userId: alice }).getItems()).toEqual([makeSessionItem('a1')]);
    expect(await service.session('plans', { userId: bob }).getItems()).toEqual([]);
  });

  it('refuses anon callers (no execute grant) and callers without a user', async () => {
    await expect(
      db.sql.begin(async (tx) => {
        await tx`set local role anon`;
        await tx`select public.chatkit_agent_session_items('plans')`;
      }),
    ).rejects.toMatchObject({ code: '42501' });
    const store = createPostgresSessionStore({ sql: db.sql });
    await expect(store.session('plans', { userId: '' }).getItems()).rejects.toMatchObject({
      code: 'invalid_request',
    });
  });
});
