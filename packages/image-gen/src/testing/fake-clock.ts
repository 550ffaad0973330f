import { cancelledError } from '../internal/clock';
import type { Clock } from '../ports';

interface Timer {
  at: number;
  sequence: number;
  resolve: () => void;
}

/** A {@link Clock} whose time only moves when told: `run()` advances it whenever every task waits on a timer. */
export interface FakeClock extends Clock {
  /** Moves time forward by `ms`, firing due timers in order. */
  advance(ms: number): Promise<void>;
  /** Awaits `promise`, advancing time to the next timer whenever nothing else can run. */
  run<T>(promise: Promise<T>): Promise<T>;
  /** Timers waiting. */
  pending(): number;
}

const macrotask = () =>
  new Promise<void>((resolve) =>
    typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0),
  );

async function settle(): Promise<void> {
  for (let round = 0; round < 3; round += 1) await macrotask();
}

/** Creates a {@link FakeClock} starting at `start` (epoch ms). Only for in-process work (no real I/O in flight). */
export function createFakeClock(start = 0): FakeClock {
  let now = start;
  let sequence = 0;
  const timers: Timer[] = [];
  const fireNext = () => {
    timers.sort((a, b) => a.at - b.at || a.sequence - b.sequence);
    const timer = timers.shift();
    if (!timer) return false;
    now = Math.max(now, timer.at);
    timer.resolve();
    return true;
  };
  return {
    now: () => now,
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(cancelledError(signal));
        const timer: Timer = {
          at: now + Math.max(0, ms),
          sequence: sequence++,
          resolve: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        const onAbort = () => {
          const index = timers.indexOf(timer);
          if (index >= 0) timers.splice(index, 1);
          reject(cancelledError(signal));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        timers.push(timer);
      });
    },
    async advance(ms) {
      const target = now + ms;
      for (;;) {
        await settle();
        timers.sort((a, b) => a.at - b.at || a.sequence - b.sequence);
        if (timers.length === 0 || timers[0]!.at > target) break;
        fireNext();
      }
      now = target;
      await settle();
    },
    async run(promise) {
      let settled = false;
      promise.then(
        () => {
          settled = true;
        },
        () => {
          settled = true;
        },
      );
      for (;;) {
        await settle();
        if (settled) return promise;
        if (!fireNext()) {
          await settle();
          if (settled) return promise;
          if (timers.length === 0)
            throw new Error('FakeClock.run: nothing is scheduled and the promise never settles');
        }
      }
    },
    pending: () => timers.length,
  };
}
