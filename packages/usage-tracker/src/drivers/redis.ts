import { StoreError } from '@relaykit/sse-protocol';
import type { RateLimitStore } from '../ports';
import { RATE_LIMIT_SCRIPT, RATE_LIMIT_SCRIPT_SHA1 } from './redis-script';

export { RATE_LIMIT_SCRIPT, RATE_LIMIT_SCRIPT_SHA1 };

/** The part of an ioredis client (or cluster) this driver uses. */
export interface RedisScriptClient {
  evalsha(sha: string, numberOfKeys: number, ...args: Array<string | number>): Promise<unknown>;
  script(subcommand: 'LOAD', script: string): Promise<unknown>;
}

function isNoScript(error: unknown): boolean {
  return error instanceof Error && /NOSCRIPT/.test(error.message);
}

/**
 * Rate limits on Redis: one EVALSHA per decision (the script is loaded once, and again after a SCRIPT FLUSH or a
 * failover), timed by Redis's clock, exact under concurrency across instances.
 */
export function createRedisRateLimitStore(options: { redis: RedisScriptClient }): RateLimitStore {
  const { redis } = options;
  let loaded: Promise<unknown> | undefined;
  const load = () => {
    loaded ??= redis.script('LOAD', RATE_LIMIT_SCRIPT).then((sha) => {
      if (sha !== RATE_LIMIT_SCRIPT_SHA1)
        throw new StoreError(
          'store_error',
          `Redis loaded the script as ${String(sha)}, expected ${RATE_LIMIT_SCRIPT_SHA1}`,
        );
      return sha;
    });
    loaded.catch(() => {
      loaded = undefined;
    });
    return loaded;
  };
  return {
    async consume(request) {
      const args = [
        request.algorithm,
        request.limit,
        request.windowMs,
        request.cost,
        request.refillRate ?? 0,
      ];
      let reply: unknown;
      try {
        try {
          reply = await redis.evalsha(RATE_LIMIT_SCRIPT_SHA1, 1, request.key, ...args);
        } catch (error) {
          if (!isNoScript(error)) throw error;
          loaded = undefined;
          await load();
          reply = await redis.evalsha(RATE_LIMIT_SCRIPT_SHA1, 1, request.key, ...args);
        }
      } catch (error) {
        if (error instanceof StoreError) throw error;
        const message = error instanceof Error ? error.message : String(error);
        const unreachable =
          /ECONNREFUSED|ETIMEDOUT|ECONNRESET|Connection is closed|connect|max retries/i.test(message);
        throw new StoreError(
          unreachable ? 'store_unavailable' : 'store_error',
          `Redis rate limit: ${message}`,
          {
            cause: error,
            retryable: unreachable,
          },
        );
      }
      const [success, limit, remaining, reset, retryAfterMs, nowMs] = (reply as Array<number | string>).map(
        Number,
      );
      return {
        success: success === 1,
        limit: limit!,
        remaining: remaining!,
        reset: reset!,
        retryAfterMs: retryAfterMs!,
        nowMs: nowMs!,
      };
    },
  };
}
