import type { WaitUntil } from '@relaykit/agent-core/http';
// `next/server.js`, not `next/server`: Next has no `exports` map, so plain Node ESM needs the file name
// (bundlers resolve both to the same module, so `after` sees the same request scope).
import { after } from 'next/server.js';

/** What `after` from `next/server` looks like to {@link createNextWaitUntil}. */
export type NextAfter = (task: Promise<unknown>) => void;

/**
 * A {@link WaitUntil} over Next's `after()`: inside a Next request scope, the task keeps the function alive after
 * the response (usage records, titles, a batch winding down). Outside one (plain `Request`s in tests, scripts),
 * `after` throws "called outside a request scope"; the task then runs fire-and-forget (it is already running;
 * nothing waits for it, and a rejection is ignored here, so callers report their own errors).
 */
export function createNextWaitUntil(nextAfter: NextAfter = after): WaitUntil {
  return (task) => {
    try {
      nextAfter(task);
    } catch {
      task.catch(() => undefined);
    }
  };
}

/** The default `waitUntil` of every route in this package: Next's `after()` with the fire-and-forget fallback. */
export const nextWaitUntil: WaitUntil = createNextWaitUntil();
