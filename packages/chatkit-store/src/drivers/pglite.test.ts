import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../internal/migrations';
import { migrate } from '../migrate';
import { chatKitStoreContract, makeItem, makeThread } from '../testing/index';
import { createPGliteStore } from './pglite';

// One PGlite instance (≈2 s to open) serves the contract; each store made on it is scoped by random user ids.
const shared = new PGlite();
afterAll(async () => {
  await shared.close();
});

chatKitStoreContract('pglite', async (options) => ({
  store: await createPGliteStore({ ...options, db: shared }),
  context: (userId) => ({ userId }),
}));

describe('createPGliteStore', () => {
  let store: Awaited<ReturnType<typeof createPGliteStore>>;
  beforeAll(async () => {
    store = await createPGliteStore({ db: shared });
  });

  it('enforces RLS inside PGlite: the tables show a user only their own rows', async () => {
    const alice = { userId: crypto.randomUUID() };
    const bob = { userId: crypto.randomUUID() };
    const thread = makeThread();
    await store.saveThread(thread, alice);
    await store.addThreadItem(thread.id, makeItem(thread.id), alice);
    const countAs = (userId: string) =>
      shared.transaction(async (tx) => {
        await tx.query(
          "select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)",
          [JSON.stringify({ sub: userId, role: 'authenticated' })],
        );
        const rows = await tx.query<{ n: number }>(
          'select count(*)::int as n from public.chatkit_thread_items where thread_id = $1',
          [thread.id],
        );
        return rows.rows[0]?.n;
      });
    expect(await countAs(alice.userId)).toBe(1);
    expect(await countAs(bob.userId)).toBe(0);
  });

  it('migrate() is idempotent and records versions', async () => {
    expect(await migrate(shared)).toEqual({ applied: [] });
    const versions = await shared.query<{ version: string }>(
      'select version from public.chatkit_schema_migrations order by version',
    );
    expect(versions.rows.map((row) => row.version)).toEqual(MIGRATIONS.map((migration) => migration.version));
  });

  it('persists to a dataDir across reopen', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dataDir = await mkdtemp(join(tmpdir(), 'chatkit-pglite-'));
    const context = { userId: crypto.randomUUID() };
    const thread = makeThread(0, { title: 'kept' });
    try {
      const first = await createPGliteStore({ dataDir });
      await first.saveThread(thread, context);
      await first.close();
      const second = await createPGliteStore({ dataDir });
      expect(await second.loadThread(thread.id, context)).toEqual(thread);
      await second.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 240_000);
});

describe('a PGlite database that is gone', () => {
  it('answers store_unavailable, retryable', async () => {
    const db = new PGlite();
    const store = await createPGliteStore({ db });
    await db.close();
    const error = await store.loadThread('thr_any', { userId: crypto.randomUUID() }).catch((e) => e);
    expect(error).toMatchObject({ code: 'store_unavailable', retryable: true });
  });

  it('answers invalid_request for a NUL character and an out-of-range limit', async () => {
    const store = await createPGliteStore({ db: shared });
    const context = { userId: crypto.randomUUID() };
    const thread = makeThread();
    await store.saveThread(thread, context);
    const nul = makeItem(thread.id, 0, { content: [{ type: 'input_text', text: 'a\u0000b' }] });
    await expect(store.addThreadItem(thread.id, nul, context)).rejects.toMatchObject({
      code: 'invalid_request',
    });
    await expect(store.saveThread({ ...makeThread(), title: 'a\u0000b' }, context)).rejects.toMatchObject({
      code: 'invalid_request',
    });
    await expect(store.loadThreadItems(thread.id, null, 1e12, 'asc', context)).rejects.toMatchObject({
      code: 'invalid_request',
    });
  });
});
