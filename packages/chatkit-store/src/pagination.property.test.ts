/**
 * Property: for any set of items (many sharing a timestamp), any limit and either order, paging with `after` returns
 * every item exactly once, in (created_at, insertion) order — identically in the memory store and in the SQL functions
 * (PGlite).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createMemoryStore } from './drivers/memory';
import { createPGliteStore, type PGliteStore } from './drivers/pglite';
import type { ChatKitStore } from './ports';
import { makeItem, makeThread } from './testing/index';

let pglite: PGliteStore;
beforeAll(async () => {
  pglite = await createPGliteStore();
});
afterAll(async () => {
  await pglite?.close();
});

async function collect(
  store: ChatKitStore,
  threadId: string,
  limit: number,
  order: 'asc' | 'desc',
  userId: string,
) {
  const ids: string[] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 100; guard++) {
    const page = await store.loadThreadItems(threadId, after, limit, order, { userId });
    expect(page.data.length).toBeLessThanOrEqual(limit);
    ids.push(...page.data.map((item) => item.id));
    if (!page.has_more) return ids;
    after = page.after ?? null;
  }
  throw new Error('paging did not terminate');
}

it('pages every item exactly once, in order, in memory and in SQL alike', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 14 }),
      fc.integer({ min: 1, max: 6 }),
      fc.constantFrom('asc' as const, 'desc' as const),
      async (seconds, limit, order) => {
        const userId = crypto.randomUUID();
        const memory = createMemoryStore();
        const thread = makeThread();
        const items = seconds.map((second) => makeItem(thread.id, second));
        for (const store of [memory, pglite]) {
          await store.saveThread(thread, { userId });
          for (const item of items) await store.addThreadItem(thread.id, item, { userId });
        }
        const expected = items
          .map((item, index) => ({ id: item.id, key: [seconds[index] ?? 0, index] as const }))
          .sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1])
          .map((entry) => entry.id);
        if (order === 'desc') expected.reverse();
        expect(await collect(memory, thread.id, limit, order, userId)).toEqual(expected);
        expect(await collect(pglite, thread.id, limit, order, userId)).toEqual(expected);
      },
    ),
    { numRuns: 25 },
  );
}, 600_000);
