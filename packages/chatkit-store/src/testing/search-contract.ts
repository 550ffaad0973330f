import { isRelayKitError } from '@relaykit/sse-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatKitStore } from '../ports';
import type { ThreadItem } from '../types';
import type { ChatKitStoreContractFactory, ChatKitStoreContractSubject } from './index';
import { makeItem, makeThread } from './index';

const assistant = (threadId: string, seconds: number, text: string): ThreadItem =>
  makeItem(threadId, seconds, {
    type: 'assistant_message',
    content: [{ type: 'output_text', text, annotations: [] }],
    attachments: undefined,
    quoted_text: undefined,
    inference_options: undefined,
  });
const user = (threadId: string, seconds: number, text: string): ThreadItem =>
  makeItem(threadId, seconds, { content: [{ type: 'input_text', text }] });

/**
 * The search part of the ChatKitStore contract (`searchThreads`, optional for custom stores, implemented by every
 * built-in driver): titles and message text, prefix words, the caller's live threads only, best first.
 */
export function chatKitStoreSearchContract<TContext>(
  name: string,
  make: ChatKitStoreContractFactory<TContext>,
): void {
  describe(`${name} searches the caller's threads`, () => {
    let subject: ChatKitStoreContractSubject<TContext>;
    let store: ChatKitStore<TContext>;
    let search: NonNullable<ChatKitStore<TContext>['searchThreads']>;

    beforeAll(async () => {
      subject = await make();
      store = subject.store;
      expect(store.searchThreads, `${name} implements searchThreads`).toBeTypeOf('function');
      search = store.searchThreads!.bind(store);
    });
    afterAll(async () => {
      await subject?.store.close();
      await subject?.dispose?.();
    });

    it('finds threads by message text and title, with a marked snippet, best first', async () => {
      const context = await subject.context(crypto.randomUUID());
      const deploy = makeThread(10, { title: 'Release checklist' });
      const lunch = makeThread(20, { title: 'Lunch ideas' });
      const other = makeThread(30, { title: 'Deployment retro' });
      for (const thread of [deploy, lunch, other]) await store.saveThread(thread, context);
      await store.addThreadItem(
        deploy.id,
        user(deploy.id, 11, 'How do I deploy the billing service?'),
        context,
      );
      await store.addThreadItem(
        deploy.id,
        assistant(deploy.id, 12, 'Run the pipeline, then deploy to staging before production.'),
        context,
      );
      await store.addThreadItem(lunch.id, user(lunch.id, 21, 'Pizza or sushi today?'), context);
      await store.addThreadItem(
        deploy.id,
        makeItem(deploy.id, 13, { type: 'hidden_context_item', content: 'secret zebra' }),
        context,
      );

      const page = await search('deploy', { limit: 10 }, context);
      expect(page.has_more).toBe(false);
      expect(page.data.map((hit) => hit.thread.id).sort()).toEqual([deploy.id, other.id].sort());
      const hit = page.data.find((entry) => entry.thread.id === deploy.id)!;
      expect(hit.thread.title).toBe('Release checklist');
      expect(hit.snippet).toMatch(/\*\*deploy\*\*/i);
      expect(typeof hit.rank).toBe('number');

      // Every word must match (a prefix each); title words count.
      expect((await search('deploy billing', { limit: 10 }, context)).data.map((h) => h.thread.id)).toEqual([
        deploy.id,
      ]);
      expect((await search('SUSH', { limit: 10 }, context)).data.map((h) => h.thread.id)).toEqual([lunch.id]);
      expect((await search('lunch', { limit: 10 }, context)).data.map((h) => h.thread.id)).toEqual([
        lunch.id,
      ]);
      // Hidden items are never searched; an empty query finds nothing.
      expect((await search('zebra', { limit: 10 }, context)).data).toEqual([]);
      expect((await search('  ', { limit: 10 }, context)).data).toEqual([]);
      expect((await search('%_*\'"', { limit: 10 }, context)).data).toEqual([]);
    });

    it('pages with limit, and searches only the caller’s live threads', async () => {
      const alice = await subject.context(crypto.randomUUID());
      const bob = await subject.context(crypto.randomUUID());
      const threads = [1, 2, 3].map((seconds) =>
        makeThread(seconds, { title: `Quarterly report ${seconds}` }),
      );
      for (const thread of threads) await store.saveThread(thread, alice);
      const first = await search('quarterly', { limit: 2 }, alice);
      expect(first.data).toHaveLength(2);
      expect(first.has_more).toBe(true);
      expect((await search('quarterly', { limit: 3 }, alice)).has_more).toBe(false);
      expect((await search('quarterly', { limit: 10 }, bob)).data).toEqual([]);
      await store.deleteThread(threads[0]!.id, alice);
      expect(
        (await search('quarterly', { limit: 10 }, alice)).data.map((hit) => hit.thread.id),
      ).not.toContain(threads[0]!.id);
      let code = 'resolved';
      try {
        await search('quarterly', { limit: 0 }, alice);
      } catch (error) {
        code = isRelayKitError(error) ? error.code : 'other';
      }
      expect(code).toBe('invalid_request');
    });
  });
}
