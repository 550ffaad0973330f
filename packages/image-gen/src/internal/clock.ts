import { RequestError } from '@relaykit/sse-protocol';
import type { Clock } from '../ports';

/** The abort reason as a RelayKit `cancelled` error. */
export function cancelledError(signal: AbortSignal | undefined, cause?: unknown): RequestError {
  return new RequestError('cancelled', 'the operation was cancelled', { cause: cause ?? signal?.reason });
}

/** The real clock: `Date.now` and `setTimeout`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(cancelledError(signal));
      const onAbort = () => {
        clearTimeout(timer);
        reject(cancelledError(signal));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
