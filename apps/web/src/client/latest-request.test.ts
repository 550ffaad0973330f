import { describe, expect, it } from 'vitest';
import { createLatestRequest } from './latest-request';

/** Loads like `useChat`'s `loadThread`: the answer is applied only while its request is the latest. */
function loader(latest = createLatestRequest()) {
  const shown: string[] = [];
  const pending = new Map<string, (items: string) => void>();
  const load = (threadId: string) => {
    const ticket = latest.begin();
    return new Promise<string>((resolve) => pending.set(threadId, resolve)).then((items) => {
      if (latest.isCurrent(ticket)) shown.push(items);
    });
  };
  return { shown, pending, load };
}

describe('createLatestRequest', () => {
  it('ignores a slower earlier load: pick A, then B, A answers last, B stays shown', async () => {
    const { shown, pending, load } = loader();
    const a = load('A');
    const b = load('B');
    pending.get('B')!('items of B');
    await b;
    pending.get('A')!('items of A');
    await a;
    expect(shown).toEqual(['items of B']);
  });

  it('applies every load that is still the latest when it answers', async () => {
    const { shown, pending, load } = loader();
    const a = load('A');
    pending.get('A')!('items of A');
    await a;
    const b = load('B');
    pending.get('B')!('items of B');
    await b;
    expect(shown).toEqual(['items of A', 'items of B']);
  });

  it('makes every earlier ticket stale', () => {
    const latest = createLatestRequest();
    const first = latest.begin();
    expect(latest.isCurrent(first)).toBe(true);
    const second = latest.begin();
    expect([latest.isCurrent(first), latest.isCurrent(second)]).toEqual([false, true]);
  });
});
