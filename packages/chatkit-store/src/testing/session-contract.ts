/**
 * The contract every Agents SDK session store runs (vitest): the SDK's `Session` semantics (its `MemorySession` is the
 * reference: newest `limit` items oldest first, `limit` ≤ 0 gives none, `popItem` on an empty session gives
 * `undefined`), plus RelayKit's: per-user sessions, concurrent writers keep order, typed errors.
 */
import { isRelayKitError } from '@relaykit/sse-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentSessionItem, AgentSessionStore, AgentSessionStoreOptions } from '../sessions/types';

/** What the contract needs from a driver: a session store, and a context for a given user id (a UUID). */
export interface AgentSessionContractSubject<TContext> {
  store: AgentSessionStore<TContext>;
  context(userId: string): TContext | Promise<TContext>;
  /** Called once after the suite (after `store.close()`). */
  dispose?(): Promise<void>;
}

/** Builds a subject; `options` is passed when the contract needs a non-default store (a smaller size cap). */
export type AgentSessionContractFactory<TContext> = (
  options?: AgentSessionStoreOptions,
) => Promise<AgentSessionContractSubject<TContext>>;

/** A user message input item, as the Agents SDK stores one. */
export function makeSessionItem(text: string): AgentSessionItem {
  return { type: 'message', role: 'user', content: text };
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

const contentOf = (item: AgentSessionItem | undefined) =>
  (item as { content?: unknown } | undefined)?.content;
const texts = (items: AgentSessionItem[]) => items.map(contentOf);

/** Runs the Agents SDK session contract against a session store driver. */
export function agentSessionContract<TContext>(
  name: string,
  make: AgentSessionContractFactory<TContext>,
): void {
  describe(`${name} satisfies the Agents SDK Session contract`, () => {
    let subject: AgentSessionContractSubject<TContext>;
    let store: AgentSessionStore<TContext>;
    const user = async () => subject.context(crypto.randomUUID());
    const sessionId = () => `ses_${crypto.randomUUID()}`;

    beforeAll(async () => {
      subject = await make();
      store = subject.store;
    });
    afterAll(async () => {
      await subject?.store.close();
      await subject?.dispose?.();
    });

    it('an unknown session is empty; getSessionId returns the id', async () => {
      const id = sessionId();
      const session = store.session(id, await user());
      expect(await session.getSessionId()).toBe(id);
      expect(await session.getItems()).toEqual([]);
      expect(await session.getItems(5)).toEqual([]);
      expect(await session.popItem()).toBeUndefined();
      await session.clearSession();
    });

    it('appends items in order and returns them exactly (nested JSON, nulls, unicode)', async () => {
      const session = store.session(sessionId(), await user());
      const call: AgentSessionItem = {
        type: 'function_call',
        callId: 'call_1',
        name: 'get_weather',
        arguments: '{"city":"Zürich"}',
        status: 'completed',
        providerData: { nested: [1, { deep: null }, 'ü€😀'] },
      };
      await session.addItems([makeSessionItem('one'), makeSessionItem('two')]);
      await session.addItems([]);
      await session.addItems([call, makeSessionItem('three')]);
      expect(await session.getItems()).toEqual([
        makeSessionItem('one'),
        makeSessionItem('two'),
        call,
        makeSessionItem('three'),
      ]);
    });

    it('getItems(limit) gives the newest limit items, oldest first; limit ≤ 0 gives none', async () => {
      const session = store.session(sessionId(), await user());
      await session.addItems(['a', 'b', 'c', 'd'].map(makeSessionItem));
      expect(texts(await session.getItems(2))).toEqual(['c', 'd']);
      expect(texts(await session.getItems(1))).toEqual(['d']);
      expect(texts(await session.getItems(10))).toEqual(['a', 'b', 'c', 'd']);
      expect(await session.getItems(0)).toEqual([]);
      expect(await session.getItems(-1)).toEqual([]);
    });

    it('popItem removes and returns the newest item; clearSession empties the session, which stays usable', async () => {
      const session = store.session(sessionId(), await user());
      await session.addItems(['a', 'b', 'c'].map(makeSessionItem));
      expect(await session.popItem()).toEqual(makeSessionItem('c'));
      expect(await session.popItem()).toEqual(makeSessionItem('b'));
      expect(texts(await session.getItems())).toEqual(['a']);
      await session.addItems([makeSessionItem('d')]);
      expect(texts(await session.getItems())).toEqual(['a', 'd']);
      await session.clearSession();
      expect(await session.getItems()).toEqual([]);
      expect(await session.popItem()).toBeUndefined();
      await session.addItems([makeSessionItem('e')]);
      expect(texts(await session.getItems())).toEqual(['e']);
    });

    it('returns copies: changing a returned or added item does not change the session', async () => {
      const session = store.session(sessionId(), await user());
      const item = makeSessionItem('kept');
      await session.addItems([item]);
      (item as { content: string }).content = 'changed after add';
      const [read] = await session.getItems();
      expect(read).toEqual(makeSessionItem('kept'));
      (read as { content: string }).content = 'changed after read';
      expect(await session.getItems()).toEqual([makeSessionItem('kept')]);
    });

    it("scopes sessions to the user: B sees none of A's items, and B's writes go to B's own session", async () => {
      const alice = await user();
      const bob = await user();
      const id = sessionId();
      await store.session(id, alice).addItems(['a1', 'a2'].map(makeSessionItem));
      const asBob = store.session(id, bob);
      expect(await asBob.getItems()).toEqual([]);
      expect(await asBob.popItem()).toBeUndefined();
      await asBob.clearSession();
      await asBob.addItems([makeSessionItem('b1')]);
      expect(texts(await asBob.getItems())).toEqual(['b1']);
      expect(texts(await store.session(id, alice).getItems())).toEqual(['a1', 'a2']);
      expect(texts(await store.getItems(id, undefined, alice))).toEqual(['a1', 'a2']);
    });

    it('keeps each call together and in order under 10 concurrent addItems calls', async () => {
      const session = store.session(sessionId(), await user());
      await Promise.all(
        Array.from({ length: 10 }, (_, call) =>
          session.addItems([0, 1, 2].map((part) => makeSessionItem(`${call}.${part}`))),
        ),
      );
      const all = texts(await session.getItems()) as string[];
      expect(all).toHaveLength(30);
      for (let start = 0; start < 30; start += 3) {
        const call = all[start]?.split('.')[0];
        expect(all.slice(start, start + 3)).toEqual([`${call}.0`, `${call}.1`, `${call}.2`]);
      }
      expect(new Set(all.map((text) => text.split('.')[0])).size).toBe(10);
    });

    it('pops each item exactly once under concurrent popItem calls', async () => {
      const session = store.session(sessionId(), await user());
      await session.addItems(['a', 'b', 'c', 'd', 'e'].map(makeSessionItem));
      const popped = await Promise.all(Array.from({ length: 7 }, () => session.popItem()));
      const values = popped.filter((item) => item !== undefined).map(contentOf);
      expect([...values].sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(popped.filter((item) => item === undefined)).toHaveLength(2);
      expect(await session.getItems()).toEqual([]);
    });

    it('rejects bad input with typed errors', async () => {
      const context = await user();
      expect(() => store.session('', context)).toThrow(expect.objectContaining({ code: 'invalid_request' }));
      expect(() => store.session('x'.repeat(256), context)).toThrow(
        expect.objectContaining({ code: 'invalid_request' }),
      );
      expect(await codeOf(store.getItems('', undefined, context))).toBe('invalid_request');
      const session = store.session(sessionId(), context);
      expect(await codeOf(session.getItems(1.5))).toBe('invalid_request');
      expect(await codeOf(session.addItems(['text' as never]))).toBe('invalid_request');
      expect(await codeOf(session.addItems([null as never]))).toBe('invalid_request');
      expect(await codeOf(session.addItems([[] as never]))).toBe('invalid_request');
      expect(await session.getItems()).toEqual([]);
    });

    it('honours a configured item size cap, writing nothing of a refused call', async () => {
      const small = await make({ maxItemBytes: 200 });
      try {
        const session = small.store.session(sessionId(), await small.context(crypto.randomUUID()));
        expect(
          await codeOf(session.addItems([makeSessionItem('ok'), makeSessionItem('x'.repeat(300))])),
        ).toBe('payload_too_large');
        expect(await session.getItems()).toEqual([]);
        await session.addItems([makeSessionItem('ok')]);
        expect(texts(await session.getItems())).toEqual(['ok']);
      } finally {
        await small.store.close();
        await small.dispose?.();
      }
    });
  });
}
