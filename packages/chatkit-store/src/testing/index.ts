/**
 * `@relaykit/chatkit-store/testing`: the contract suite every ChatKitStore driver runs (vitest), after chatkit-python's
 * `tests/test_store.py` plus RelayKit's additions (tie-safe keyset pages, user scoping, size cap, concurrency).
 */
import { isRelayKitError } from '@relaykit/sse-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatKitStore, ChatKitStoreOptions } from '../ports';
import { type Attachment, type ThreadItem, type ThreadMetadata, withoutHiddenItems } from '../types';
import { chatKitStoreSearchContract } from './search-contract';

export { chatKitStoreSearchContract } from './search-contract';

export {
  type AgentSessionContractFactory,
  type AgentSessionContractSubject,
  agentSessionContract,
  makeSessionItem,
} from './session-contract';

/** What the contract needs from a driver: a store, and a context for a given user id (a UUID). */
export interface ChatKitStoreContractSubject<TContext> {
  store: ChatKitStore<TContext>;
  context(userId: string): TContext | Promise<TContext>;
  /** Called once after the suite (after `store.close()`), e.g. to drop a database. */
  dispose?(): Promise<void>;
}

/** Builds a subject; `options` is passed when the contract needs a non-default store (e.g. a smaller size cap). */
export type ChatKitStoreContractFactory<TContext> = (
  options?: ChatKitStoreOptions,
) => Promise<ChatKitStoreContractSubject<TContext>>;

const BASE = Date.parse('2026-01-01T00:00:00.000Z');
const at = (seconds: number) => new Date(BASE + seconds * 1000).toISOString();

/** A thread with a unique id and the given creation time (seconds after 2026-01-01). */
export function makeThread(seconds = 0, overrides: Partial<ThreadMetadata> = {}): ThreadMetadata {
  return {
    id: `thr_${crypto.randomUUID().slice(0, 8)}${crypto.randomUUID().slice(0, 4)}`,
    title: null,
    created_at: at(seconds),
    status: { type: 'active' },
    allowed_image_domains: null,
    metadata: {},
    ...overrides,
  };
}

/** A user message item in `threadId` with a unique id, created `seconds` after 2026-01-01. */
export function makeItem(threadId: string, seconds = 0, overrides: Record<string, unknown> = {}): ThreadItem {
  return {
    id: `msg_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`,
    thread_id: threadId,
    type: 'user_message',
    created_at: at(seconds),
    content: [{ type: 'input_text', text: 'hello' }],
    attachments: [],
    quoted_text: null,
    inference_options: { tool_choice: null, model: null },
    ...overrides,
  };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isRelayKitError(error)) return error.code;
    throw error;
  }
  return 'resolved';
}

/** Runs the ChatKitStore contract against a driver. */
export function chatKitStoreContract<TContext>(
  name: string,
  make: ChatKitStoreContractFactory<TContext>,
): void {
  describe(`${name} satisfies ChatKitStore`, () => {
    let subject: ChatKitStoreContractSubject<TContext>;
    let store: ChatKitStore<TContext>;
    const user = async () => subject.context(crypto.randomUUID());

    beforeAll(async () => {
      subject = await make();
      store = subject.store;
    });
    afterAll(async () => {
      await subject?.store.close();
      await subject?.dispose?.();
    });

    it('generates ids with the spec prefixes', async () => {
      const context = await user();
      expect(store.generateThreadId(context)).toMatch(/^thr_[0-9a-f]{8}$/);
      const expected = {
        thread: 'thr',
        message: 'msg',
        tool_call: 'tc',
        task: 'tsk',
        workflow: 'wf',
        attachment: 'atc',
        sdk_hidden_context: 'shcx',
      } as const;
      for (const [kind, prefix] of Object.entries(expected))
        expect(store.generateItemId(kind as keyof typeof expected, null, context)).toMatch(
          new RegExp(`^${prefix}_[0-9a-f]{8}$`),
        );
      expect(store.generateThreadId(context)).not.toBe(store.generateThreadId(context));
    });

    it('round-trips thread metadata and upserts it, ignoring items', async () => {
      const context = await user();
      const thread = makeThread(1, {
        title: 'Trip to Lisbon',
        status: { type: 'locked', reason: 'review' },
        allowed_image_domains: ['images.example.com'],
        metadata: { last_response_id: 'resp_1', nested: { a: [1, 2, { b: null }] } },
      });
      await store.saveThread({ ...thread, items: { data: [], has_more: false } } as ThreadMetadata, context);
      expect(await store.loadThread(thread.id, context)).toEqual(thread);
      await store.saveThread({ ...thread, title: 'Renamed', status: { type: 'active' } }, context);
      expect(await store.loadThread(thread.id, context)).toEqual({
        ...thread,
        title: 'Renamed',
        status: { type: 'active' },
      });
      expect(await codeOf(store.loadThread('thr_missing0', context))).toBe('not_found');
    });

    it('pages threads with after/limit/order, never skipping ties, exact fit has no more', async () => {
      const context = await user();
      // Three threads share one timestamp to prove ties survive page boundaries.
      const threads = [makeThread(5), makeThread(3), makeThread(3), makeThread(3), makeThread(1)];
      for (const thread of threads) await store.saveThread(thread, context);
      const ascending = [threads[4], threads[1], threads[2], threads[3], threads[0]].map((t) => t?.id);
      for (const [order, expected] of [
        ['asc', ascending],
        ['desc', [...ascending].reverse()],
      ] as const) {
        for (const limit of [1, 2, 3, 4]) {
          const seen: string[] = [];
          let after: string | null = null;
          for (let guard = 0; guard < 10; guard++) {
            const page = await store.loadThreads(limit, after, order, context);
            expect(page.data.length).toBeLessThanOrEqual(limit);
            seen.push(...page.data.map((thread) => thread.id));
            if (!page.has_more) {
              expect(page.after).toBeUndefined();
              break;
            }
            expect(page.after).toBe(page.data.at(-1)?.id);
            after = page.after ?? null;
          }
          expect(seen).toEqual(expected);
        }
      }
      const exact = await store.loadThreads(5, null, 'asc', context);
      expect(exact).toEqual({ data: expect.any(Array), has_more: false });
      expect(exact.data).toHaveLength(5);
      expect(await codeOf(store.loadThreads(2, 'thr_unknown1', 'asc', context))).toBe('not_found');
      expect(await codeOf(store.loadThreads(0, null, 'asc', context))).toBe('invalid_request');
      expect(await codeOf(store.loadThreads(2 ** 31 - 1, null, 'asc', context))).toBe('invalid_request');
      expect(await codeOf(store.loadThreads(1.5, null, 'asc', context))).toBe('invalid_request');
      expect((await store.loadThreads(10, null, 'asc', await user())).data).toEqual([]);
    });

    it('round-trips items exactly, upserts by id and makes addThreadItem idempotent', async () => {
      const context = await user();
      const thread = makeThread();
      await store.saveThread(thread, context);
      const widget = makeItem(thread.id, 1, {
        id: 'wgt_round1',
        type: 'widget',
        widget: { type: 'Card', children: [{ type: 'Text', value: 'Olá 👋 "quoted" \\ back', id: 't1' }] },
        copy_text: null,
        numbers: [0, -1.5, 1e21, 12345678901234],
      });
      await store.addThreadItem(thread.id, widget, context);
      expect(await store.loadItem(thread.id, widget.id, context)).toEqual(widget);
      const updated = { ...widget, copy_text: 'copied' };
      await store.saveItem(thread.id, updated, context);
      expect(await store.loadItem(thread.id, widget.id, context)).toEqual(updated);
      await store.addThreadItem(thread.id, updated, context);
      const page = await store.loadThreadItems(thread.id, null, 10, 'asc', context);
      expect(page.data).toEqual([updated]);
      const fresh = makeItem(thread.id, 2);
      await store.saveItem(thread.id, fresh, context);
      expect((await store.loadThreadItems(thread.id, null, 10, 'asc', context)).data).toEqual([
        updated,
        fresh,
      ]);
      await store.deleteThreadItem(thread.id, widget.id, context);
      await store.deleteThreadItem(thread.id, 'msg_missing', context);
      expect(await codeOf(store.loadItem(thread.id, widget.id, context))).toBe('not_found');
      expect((await store.loadThreadItems(thread.id, null, 10, 'asc', context)).data).toEqual([fresh]);
    });

    it('pages items with after/limit/order, ties broken by insertion order', async () => {
      const context = await user();
      const thread = makeThread();
      await store.saveThread(thread, context);
      const items = [0, 1, 1, 1, 1, 2, 3].map((second) => makeItem(thread.id, second));
      for (const item of items) await store.addThreadItem(thread.id, item, context);
      const ids = items.map((item) => item.id);
      for (const order of ['asc', 'desc'] as const) {
        const expected = order === 'asc' ? ids : [...ids].reverse();
        for (const limit of [1, 2, 3, 7]) {
          const seen: string[] = [];
          let after: string | null = null;
          for (let guard = 0; guard < 10; guard++) {
            const page = await store.loadThreadItems(thread.id, after, limit, order, context);
            seen.push(...page.data.map((item) => item.id));
            if (!page.has_more) break;
            expect(page.after).toBe(page.data.at(-1)?.id);
            after = page.after ?? null;
          }
          expect(seen).toEqual(expected);
        }
      }
      const exact = await store.loadThreadItems(thread.id, null, 7, 'asc', context);
      expect(exact.has_more).toBe(false);
      expect(exact.after).toBeUndefined();
      expect(await codeOf(store.loadThreadItems(thread.id, 'msg_unknown', 2, 'asc', context))).toBe(
        'not_found',
      );
      expect(await codeOf(store.loadThreadItems(thread.id, null, 2, 'sideways' as 'asc', context))).toBe(
        'invalid_request',
      );
    });

    it('reads timestamps without an offset as UTC and keeps the item verbatim', async () => {
      const context = await user();
      const thread = makeThread(0, { created_at: '2026-11-23T11:37:30.190465' });
      await store.saveThread(thread, context);
      expect((await store.loadThread(thread.id, context)).created_at).toBe('2026-11-23T11:37:30.190Z');
      const naive = makeItem(thread.id, 0, { created_at: '2026-11-23T11:37:30.500000' });
      const before = makeItem(thread.id, 0, { created_at: '2026-11-23T11:37:30.400Z' });
      const after = makeItem(thread.id, 0, { created_at: '2026-11-23T12:37:30.600+01:00' });
      for (const item of [after, naive, before]) await store.addThreadItem(thread.id, item, context);
      const page = await store.loadThreadItems(thread.id, null, 10, 'asc', context);
      expect(page.data).toEqual([before, naive, after]);
    });

    it('stores hidden items; the server layer filters them while keeping the raw page cursor', async () => {
      const context = await user();
      const thread = makeThread();
      await store.saveThread(thread, context);
      const visible = makeItem(thread.id, 1);
      const hidden = makeItem(thread.id, 2, {
        id: 'hci_1a2b3c',
        type: 'hidden_context_item',
        content: { k: 1 },
      });
      const sdkHidden = makeItem(thread.id, 3, {
        id: 'shcx_1a2b3c',
        type: 'sdk_hidden_context',
        content: 'x',
      });
      const last = makeItem(thread.id, 4, { type: 'end_of_turn' });
      for (const item of [visible, hidden, sdkHidden, last])
        await store.addThreadItem(thread.id, item, context);
      const raw = await store.loadThreadItems(thread.id, null, 3, 'asc', context);
      expect(raw.data.map((item) => item.type)).toEqual([
        'user_message',
        'hidden_context_item',
        'sdk_hidden_context',
      ]);
      expect(await store.loadItem(thread.id, hidden.id, context)).toEqual(hidden);
      const shown = withoutHiddenItems(raw);
      expect(shown).toEqual({ data: [visible], has_more: true, after: sdkHidden.id });
    });

    it('soft-deletes a thread: gone from every read; deleting again or a missing thread is a no-op', async () => {
      const context = await user();
      const [keep, drop] = [makeThread(1), makeThread(2)];
      await store.saveThread(keep, context);
      await store.saveThread(drop, context);
      const item = makeItem(drop.id);
      await store.addThreadItem(drop.id, item, context);
      await store.deleteThread(drop.id, context);
      await store.deleteThread(drop.id, context);
      await store.deleteThread('thr_never000', context);
      expect(await codeOf(store.loadThread(drop.id, context))).toBe('not_found');
      expect(await codeOf(store.loadItem(drop.id, item.id, context))).toBe('not_found');
      expect(await store.loadThreadItems(drop.id, null, 10, 'asc', context)).toEqual({
        data: [],
        has_more: false,
      });
      expect(await codeOf(store.addThreadItem(drop.id, makeItem(drop.id), context))).toBe('not_found');
      expect((await store.loadThreads(10, null, 'asc', context)).data.map((thread) => thread.id)).toEqual([
        keep.id,
      ]);
    });

    it("scopes every call to the context's user: B cannot read, list, change or delete A's data", async () => {
      const alice = await user();
      const bob = await user();
      const thread = makeThread(1, { title: 'private' });
      await store.saveThread(thread, alice);
      const item = makeItem(thread.id, 1);
      await store.addThreadItem(thread.id, item, alice);
      const attachment: Attachment = {
        id: 'atc_scope0',
        type: 'file',
        name: 'a.pdf',
        mime_type: 'application/pdf',
      };
      attachment.id = `atc_${crypto.randomUUID().slice(0, 8)}`;
      await store.saveAttachment(attachment, alice);

      expect(await codeOf(store.loadThread(thread.id, bob))).toBe('not_found');
      expect((await store.loadThreads(100, null, 'desc', bob)).data).toEqual([]);
      expect(await codeOf(store.loadThreads(10, thread.id, 'desc', bob))).toBe('not_found');
      expect(await store.loadThreadItems(thread.id, null, 10, 'asc', bob)).toEqual({
        data: [],
        has_more: false,
      });
      expect(await codeOf(store.loadItem(thread.id, item.id, bob))).toBe('not_found');
      expect(await codeOf(store.addThreadItem(thread.id, makeItem(thread.id), bob))).toBe('not_found');
      expect(await codeOf(store.saveItem(thread.id, { ...item, content: [] } as ThreadItem, bob))).toBe(
        'not_found',
      );
      expect(await codeOf(store.saveThread({ ...thread, title: 'stolen' }, bob))).toBe('forbidden');
      expect(await codeOf(store.loadAttachment(attachment.id, bob))).toBe('not_found');
      expect(await codeOf(store.saveAttachment({ ...attachment, name: 'x' }, bob))).toBe('forbidden');
      expect(await codeOf(store.addFeedback(thread.id, [item.id], 'negative', bob))).toBe('not_found');
      await store.deleteThreadItem(thread.id, item.id, bob);
      await store.deleteThread(thread.id, bob);
      await store.deleteAttachment(attachment.id, bob);

      expect(await store.loadThread(thread.id, alice)).toEqual(thread);
      expect(await store.loadItem(thread.id, item.id, alice)).toEqual(item);
      expect(await store.loadAttachment(attachment.id, alice)).toEqual(attachment);
      expect((await store.loadThreads(10, null, 'desc', alice)).data.map((t) => t.id)).toEqual([thread.id]);
    });

    it('rejects bad input with typed errors', async () => {
      const context = await user();
      const thread = makeThread();
      await store.saveThread(thread, context);
      expect(await codeOf(store.addThreadItem(thread.id, makeItem('thr_other000'), context))).toBe(
        'invalid_request',
      );
      expect(await codeOf(store.saveItem(thread.id, makeItem('thr_other000'), context))).toBe(
        'invalid_request',
      );
      expect(await codeOf(store.addThreadItem('thr_nothere', makeItem('thr_nothere'), context))).toBe(
        'not_found',
      );
      const oversize = makeItem(thread.id, 0, {
        content: [{ type: 'input_text', text: 'x'.repeat(1024 * 1024) }],
      });
      expect(await codeOf(store.addThreadItem(thread.id, oversize, context))).toBe('payload_too_large');
      const nearCap = makeItem(thread.id, 0, {
        content: [{ type: 'input_text', text: 'y'.repeat(200_000) }],
      });
      await store.addThreadItem(thread.id, nearCap, context);
      expect(await store.loadItem(thread.id, nearCap.id, context)).toEqual(nearCap);
      expect(await codeOf(store.loadAttachment('atc_missing', context))).toBe('not_found');
      const other = makeThread();
      await store.saveThread(other, context);
      expect(await codeOf(store.addThreadItem(other.id, { ...nearCap, thread_id: other.id }, context))).toBe(
        'conflict',
      );
      expect(await store.loadItem(thread.id, nearCap.id, context)).toEqual(nearCap);
    });

    it('never answers a server error for hostile values: a NUL character, an out-of-range limit', async () => {
      // A driver may store these (memory) or refuse them; refusing is `invalid_request`, never `store_error`.
      const context = await user();
      const thread = makeThread();
      await store.saveThread(thread, context);
      const accepted = ['resolved', 'invalid_request'];
      const nul = makeItem(thread.id, 0, { content: [{ type: 'input_text', text: 'a\u0000b' }] });
      expect(accepted).toContain(await codeOf(store.addThreadItem(thread.id, nul, context)));
      expect(accepted).toContain(
        await codeOf(store.saveThread({ ...makeThread(), title: 'a\u0000b' }, context)),
      );
      expect(accepted).toContain(await codeOf(store.loadThreadItems(thread.id, null, 1e12, 'asc', context)));
      expect(accepted).toContain(await codeOf(store.loadThreads(1e12, null, 'desc', context)));
    });

    it('honours a configured item size cap', async () => {
      const small = await make({ maxItemBytes: 2048 });
      try {
        const context = await small.context(crypto.randomUUID());
        const thread = makeThread();
        await small.store.saveThread(thread, context);
        await small.store.addThreadItem(thread.id, makeItem(thread.id), context);
        const big = makeItem(thread.id, 1, { content: [{ type: 'input_text', text: 'z'.repeat(3000) }] });
        expect(await codeOf(small.store.addThreadItem(thread.id, big, context))).toBe('payload_too_large');
        expect((await small.store.loadThreadItems(thread.id, null, 10, 'asc', context)).data).toHaveLength(1);
      } finally {
        await small.store.close();
        await small.dispose?.();
      }
    });

    it('never loses an item under 20 concurrent addThreadItem calls', async () => {
      const context = await user();
      const thread = makeThread();
      await store.saveThread(thread, context);
      const items = Array.from({ length: 20 }, () => makeItem(thread.id, 7));
      await Promise.all(items.map((item) => store.addThreadItem(thread.id, item, context)));
      const page = await store.loadThreadItems(thread.id, null, 100, 'asc', context);
      expect(page.data.map((item) => item.id).sort()).toEqual(items.map((item) => item.id).sort());
    });

    it('saves, stamps, loads and deletes attachments', async () => {
      const context = await user();
      const thread = makeThread();
      await store.saveThread(thread, context);
      const attachment: Attachment = {
        id: `atc_${crypto.randomUUID().slice(0, 8)}`,
        type: 'image',
        name: 'cat.png',
        mime_type: 'image/png',
        preview_url: 'https://images.example.com/cat.png',
        upload_descriptor: { url: 'https://upload.example.com/1', method: 'PUT', headers: { 'x-a': 'b' } },
        thread_id: null,
        metadata: { bucket: 'images' },
      };
      await store.saveAttachment(attachment, context);
      expect(await store.loadAttachment(attachment.id, context)).toEqual(attachment);
      const stamped = { ...attachment, thread_id: thread.id, upload_descriptor: null };
      await store.saveAttachment(stamped, context);
      expect(await store.loadAttachment(attachment.id, context)).toEqual(stamped);
      await store.deleteAttachment(attachment.id, context);
      await store.deleteAttachment(attachment.id, context);
      expect(await codeOf(store.loadAttachment(attachment.id, context))).toBe('not_found');
    });

    it('createThreadWithItems saves the thread, its items in order and links attachments, or nothing', async () => {
      const context = await user();
      const thread = makeThread(1, { title: 'atomic' });
      const attachment: Attachment = {
        id: `atc_${crypto.randomUUID().slice(0, 8)}`,
        type: 'file',
        name: 'a.pdf',
        mime_type: 'application/pdf',
        thread_id: null,
      };
      await store.saveAttachment(attachment, context);
      const message = makeItem(thread.id, 1, { attachments: [{ ...attachment, thread_id: thread.id }] });
      const hidden = makeItem(thread.id, 1, { type: 'hidden_context_item', content: 'context' });
      await store.createThreadWithItems(thread, [message, hidden], [attachment], context);
      expect(await store.loadThread(thread.id, context)).toEqual(thread);
      expect((await store.loadThreadItems(thread.id, null, 10, 'asc', context)).data).toEqual([
        message,
        hidden,
      ]);
      expect(await store.loadAttachment(attachment.id, context)).toEqual({
        ...attachment,
        thread_id: thread.id,
      });

      // A failing item (its id belongs to another thread) leaves no thread and no attachment link behind.
      const failed = makeThread(2);
      const other: Attachment = { ...attachment, id: `atc_${crypto.randomUUID().slice(0, 8)}` };
      await store.saveAttachment(other, context);
      const first = makeItem(failed.id, 2);
      const taken = { ...makeItem(failed.id, 2), id: message.id };
      expect(await codeOf(store.createThreadWithItems(failed, [first, taken], [other], context))).toBe(
        'conflict',
      );
      expect(await codeOf(store.loadThread(failed.id, context))).toBe('not_found');
      expect(await codeOf(store.loadItem(failed.id, first.id, context))).toBe('not_found');
      expect((await store.loadAttachment(other.id, context)).thread_id ?? null).toBeNull();
      // Another user's attachment fails the call the same way.
      const bob = await user();
      expect(await codeOf(store.createThreadWithItems(failed, [first], [other], bob))).toBe('forbidden');
      expect(await codeOf(store.loadThread(failed.id, bob))).toBe('not_found');
      // Text Postgres cannot store is refused before anything is written, by every driver.
      const nul = makeItem(failed.id, 2, { content: [{ type: 'input_text', text: 'a\u0000b' }] });
      expect(await codeOf(store.createThreadWithItems(failed, [nul], [], context))).toBe('invalid_request');
      const lone = makeItem(failed.id, 2, { content: [{ type: 'input_text', text: '\ud800' }] });
      expect(await codeOf(store.createThreadWithItems(failed, [lone], [], context))).toBe('invalid_request');
      expect(await codeOf(store.loadThread(failed.id, context))).toBe('not_found');
      expect(await codeOf(store.saveThread({ ...failed, title: 'a\u0000' }, context))).toBe(
        'invalid_request',
      );
    });

    it('addThreadItems adds a message with its attachments to a live thread, or nothing', async () => {
      const context = await user();
      const thread = makeThread();
      await store.saveThread(thread, context);
      const attachment: Attachment = {
        id: `atc_${crypto.randomUUID().slice(0, 8)}`,
        type: 'image',
        name: 'cat.png',
        mime_type: 'image/png',
        preview_url: 'https://images.example.com/cat.png',
      };
      await store.saveAttachment(attachment, context);
      const message = makeItem(thread.id, 1);
      await store.addThreadItems(thread.id, [message], [attachment], context);
      expect((await store.loadThreadItems(thread.id, null, 10, 'asc', context)).data).toEqual([message]);
      expect((await store.loadAttachment(attachment.id, context)).thread_id).toBe(thread.id);
      const oversize = makeItem(thread.id, 2, {
        content: [{ type: 'input_text', text: 'x'.repeat(1024 * 1024) }],
      });
      const fine = makeItem(thread.id, 2);
      expect(await codeOf(store.addThreadItems(thread.id, [fine, oversize], [], context))).toBe(
        'payload_too_large',
      );
      // The second item's id belongs to another thread: the SQL drivers fail after writing the first, and undo it.
      const elsewhere = makeThread();
      await store.saveThread(elsewhere, context);
      const taken = makeItem(elsewhere.id, 2);
      await store.addThreadItem(elsewhere.id, taken, context);
      expect(
        await codeOf(
          store.addThreadItems(thread.id, [fine, { ...taken, thread_id: thread.id }], [], context),
        ),
      ).toBe('conflict');
      expect((await store.loadThreadItems(thread.id, null, 10, 'asc', context)).data).toEqual([message]);
      expect(
        await codeOf(store.addThreadItems('thr_missing0', [makeItem('thr_missing0')], [], context)),
      ).toBe('not_found');
      expect(await codeOf(store.addThreadItems(thread.id, [makeItem(thread.id)], [], await user()))).toBe(
        'not_found',
      );
    });

    it('deleteItemsAfter deletes every later item (ties by insertion order) and nothing else', async () => {
      const context = await user();
      const thread = makeThread();
      await store.saveThread(thread, context);
      const items = [0, 1, 1, 1, 2, 3].map((second) => makeItem(thread.id, second));
      for (const item of items) await store.addThreadItem(thread.id, item, context);
      await store.deleteItemsAfter(thread.id, items[2]?.id as string, context);
      expect((await store.loadThreadItems(thread.id, null, 10, 'asc', context)).data).toEqual(
        items.slice(0, 3),
      );
      await store.deleteItemsAfter(thread.id, items[2]?.id as string, context);
      expect((await store.loadThreadItems(thread.id, null, 10, 'asc', context)).data).toHaveLength(3);
      expect(await codeOf(store.deleteItemsAfter(thread.id, 'msg_missing', context))).toBe('not_found');
      expect(await codeOf(store.deleteItemsAfter(thread.id, items[0]?.id as string, await user()))).toBe(
        'not_found',
      );
      expect((await store.loadThreadItems(thread.id, null, 10, 'asc', context)).data).toHaveLength(3);
    });

    it('completeClientToolCall completes the call and drops the other pending calls together', async () => {
      const context = await user();
      const thread = makeThread();
      await store.saveThread(thread, context);
      const call = (seconds: number, status: 'pending' | 'completed') =>
        makeItem(thread.id, seconds, {
          id: `tc_${crypto.randomUUID().slice(0, 8)}`,
          type: 'client_tool_call',
          status,
          call_id: `call_${seconds}`,
          name: 'pick',
          arguments: {},
        });
      const message = makeItem(thread.id, 0);
      const done = call(1, 'completed');
      const stale = call(2, 'pending');
      const last = call(3, 'pending');
      for (const item of [message, done, stale, last]) await store.addThreadItem(thread.id, item, context);
      const completed = { ...last, status: 'completed', output: { ok: true } } as ThreadItem;
      await store.completeClientToolCall(thread.id, completed, context);
      expect((await store.loadThreadItems(thread.id, null, 10, 'asc', context)).data).toEqual([
        message,
        done,
        completed,
      ]);
      expect(await codeOf(store.completeClientToolCall(thread.id, makeItem(thread.id), context))).toBe(
        'invalid_request',
      );
      expect(await codeOf(store.completeClientToolCall(thread.id, completed, await user()))).toBe(
        'not_found',
      );
    });

    it('compareAndSetItem replaces or deletes an item only while it is unchanged, for its owner only', async () => {
      const context = await user();
      const thread = makeThread();
      await store.saveThread(thread, context);
      const paused = makeItem(thread.id, 1, {
        id: `shcx_${crypto.randomUUID().slice(0, 8)}`,
        type: 'hidden_context_item',
        content: { type: 'relaykit.paused_run', approvals: [{ callId: 'call_1' }, { callId: 'call_2' }] },
      });
      await store.addThreadItem(thread.id, paused, context);
      const read = await store.loadItem(thread.id, paused.id, context);
      const decided = {
        ...read,
        content: {
          type: 'relaykit.paused_run',
          approvals: [{ callId: 'call_1', decision: 'approve' }, { callId: 'call_2' }],
        },
      } as ThreadItem;
      // Another user, a wrong thread, a stale expectation: nothing written.
      expect(await store.compareAndSetItem(thread.id, read, decided, await user())).toBe(false);
      expect(
        await store.compareAndSetItem(
          thread.id,
          { ...read, content: 'stale' } as ThreadItem,
          decided,
          context,
        ),
      ).toBe(false);
      expect(await store.loadItem(thread.id, paused.id, context)).toEqual(paused);
      // Same JSON with keys in another order matches (a jsonb comparison).
      const reordered = Object.fromEntries(Object.entries(read).reverse()) as ThreadItem;
      expect(await store.compareAndSetItem(thread.id, reordered, decided, context)).toBe(true);
      expect(await store.loadItem(thread.id, paused.id, context)).toEqual(decided);
      // The first read is stale now.
      expect(await store.compareAndSetItem(thread.id, read, null, context)).toBe(false);
      expect(await store.compareAndSetItem(thread.id, decided, null, context)).toBe(true);
      expect(await codeOf(store.loadItem(thread.id, paused.id, context))).toBe('not_found');
      expect(await store.compareAndSetItem(thread.id, decided, null, context)).toBe(false);
      expect(await store.compareAndSetItem(thread.id, decided, decided, context)).toBe(false);
      // A next item with another id, or a bad one, is refused.
      await store.addThreadItem(thread.id, paused, context);
      expect(await codeOf(store.compareAndSetItem(thread.id, paused, makeItem(thread.id), context))).toBe(
        'invalid_request',
      );
      expect(
        await codeOf(
          store.compareAndSetItem(
            thread.id,
            paused,
            { ...paused, thread_id: 'thr_other' } as ThreadItem,
            context,
          ),
        ),
      ).toBe('invalid_request');
      expect(await store.loadItem(thread.id, paused.id, context)).toEqual(paused);
    });

    it('compareAndSetItem under 10 concurrent claims of one item: exactly one wins', async () => {
      const context = await user();
      const thread = makeThread();
      await store.saveThread(thread, context);
      for (const next of ['delete', 'replace'] as const) {
        const item = makeItem(thread.id, 1, {
          id: `shcx_${crypto.randomUUID().slice(0, 8)}`,
          type: 'hidden_context_item',
          content: { n: 0 },
        });
        await store.addThreadItem(thread.id, item, context);
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, index) =>
            store.compareAndSetItem(
              thread.id,
              item,
              next === 'delete' ? null : ({ ...item, content: { n: index + 1 } } as ThreadItem),
              context,
            ),
          ),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        if (next === 'replace') {
          const winner = results.indexOf(true) + 1;
          expect(await store.loadItem(thread.id, item.id, context)).toMatchObject({ content: { n: winner } });
        } else expect(await codeOf(store.loadItem(thread.id, item.id, context))).toBe('not_found');
      }
    });

    it('records feedback per user and item, replacing an earlier kind', async () => {
      const context = await user();
      const thread = makeThread();
      await store.saveThread(thread, context);
      const [first, second] = [makeItem(thread.id, 1), makeItem(thread.id, 2)];
      await store.addThreadItem(thread.id, first, context);
      await store.addThreadItem(thread.id, second, context);
      await store.addFeedback(thread.id, [first.id, second.id], 'positive', context);
      await store.addFeedback(thread.id, [second.id], 'negative', context);
      expect(await store.loadFeedback(thread.id, context)).toEqual([
        { item_id: first.id, kind: 'positive' },
        { item_id: second.id, kind: 'negative' },
      ]);
      expect(await codeOf(store.addFeedback(thread.id, [first.id], 'meh' as 'positive', context))).toBe(
        'invalid_request',
      );
    });
  });
  chatKitStoreSearchContract(name, make);
}
