import { expect, it } from 'vitest';
import { chatKitStoreContract, makeItem, makeThread } from '../testing/index';
import { createMemoryStore } from './memory';

chatKitStoreContract('memory', async (options) => ({
  store: createMemoryStore(options),
  context: (userId) => ({ userId }),
}));

it('purges soft-deleted threads with their items', async () => {
  const store = createMemoryStore();
  const context = { userId: crypto.randomUUID() };
  const [keep, drop] = [makeThread(), makeThread()];
  await store.saveThread(keep, context);
  await store.saveThread(drop, context);
  await store.addThreadItem(drop.id, makeItem(drop.id), context);
  await store.deleteThread(drop.id, context);
  expect(store.purgeDeletedThreads()).toBe(1);
  expect(store.purgeDeletedThreads()).toBe(0);
  // A purged id is free again: saving it creates a new, empty thread.
  await store.saveThread(drop, context);
  expect((await store.loadThreadItems(drop.id, null, 10, 'asc', context)).data).toEqual([]);
});

it('refuses a context without a user', async () => {
  const store = createMemoryStore();
  await expect(store.loadThreads(10, null, 'asc', { userId: '' })).rejects.toMatchObject({
    code: 'unauthorized',
  });
});
