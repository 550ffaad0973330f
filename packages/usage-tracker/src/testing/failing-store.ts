import type { RateLimitRequest, RateLimitStore } from '../ports';

/** A store that always fails like an unreachable server, recording the requests it received. */
export function createFailingRateLimitStore(
  error: unknown = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
): RateLimitStore & { calls: RateLimitRequest[] } {
  const calls: RateLimitRequest[] = [];
  return {
    calls,
    async consume(request) {
      calls.push(request);
      throw error;
    },
  };
}
