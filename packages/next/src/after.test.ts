// Next's own request-scope stores: what `after()` reads to find the request it belongs to.
import { workAsyncStorage } from 'next/dist/server/app-render/work-async-storage.external.js';
import { workUnitAsyncStorage } from 'next/dist/server/app-render/work-unit-async-storage.external.js';
import { describe, expect, it, vi } from 'vitest';
import { createNextWaitUntil, nextWaitUntil } from './after';

// Next's server runtime installs AsyncLocalStorage globally before its request-scope stores load; so do we.
vi.hoisted(() => {
  const { AsyncLocalStorage } = process.getBuiltinModule('node:async_hooks');
  Object.assign(globalThis, { AsyncLocalStorage });
});

/** Runs `callback` inside a minimal Next request scope whose `afterContext` records the tasks `after()` gets. */
function inNextRequestScope<T>(callback: () => T): { result: T; tasks: unknown[] } {
  const tasks: unknown[] = [];
  const workStore = { afterContext: { after: (task: unknown) => tasks.push(task) } };
  const workUnitStore = { type: 'request' };
  const result = workAsyncStorage.run(workStore as never, () =>
    workUnitAsyncStorage.run(workUnitStore as never, callback),
  );
  return { result, tasks };
}

describe('nextWaitUntil', () => {
  it("hands the task to Next's after() inside a request scope", () => {
    const task = Promise.resolve('settled');
    const { tasks } = inNextRequestScope(() => nextWaitUntil(task));
    expect(tasks).toEqual([task]);
  });

  it('falls back to fire-and-forget outside a request scope, and a rejection stays handled', async () => {
    let ran = false;
    const task = (async () => {
      ran = true;
      throw new Error('background failure');
    })();
    expect(() => nextWaitUntil(task)).not.toThrow();
    await Promise.resolve();
    expect(ran).toBe(true);
    // A rejection the fallback did not handle would fail the run as an unhandled rejection.
    await new Promise((resolve) => setImmediate(resolve));
  });

  it('uses the after() it is given', () => {
    const seen: Promise<unknown>[] = [];
    const waitUntil = createNextWaitUntil((task) => seen.push(task));
    const task = Promise.resolve();
    waitUntil(task);
    expect(seen).toEqual([task]);
  });
});
