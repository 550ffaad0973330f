import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { claimOnce } from '../examples/compare-and-set';
import { createMemoryStore } from './drivers/memory';
import { makeItem, makeThread } from './testing/index';

it('runs the README compare-and-set example: of five callers at once, exactly one claims the item', async () => {
  const store = createMemoryStore();
  const context = { userId: crypto.randomUUID() };
  const thread = makeThread();
  await store.saveThread(thread, context);
  const item = makeItem(thread.id);
  await store.addThreadItem(thread.id, item, context);
  const claims = await Promise.all(
    Array.from({ length: 5 }, () => claimOnce(store, thread.id, item.id, context).catch(() => false)),
  );
  expect(claims.filter(Boolean)).toHaveLength(1);
  expect((await store.loadThreadItems(thread.id, null, 10, 'asc', context)).data).toEqual([]);
});

it('shows exactly examples/compare-and-set.ts in the README', () => {
  const root = join(import.meta.dirname, '..');
  const example = readFileSync(join(root, 'examples', 'compare-and-set.ts'), 'utf8');
  expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain(`\`\`\`ts\n${example}\`\`\``);
});
