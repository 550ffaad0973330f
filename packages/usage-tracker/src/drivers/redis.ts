import { STORE_RETRY_AFTER_MS, StoreError } from '@relaykit/sse-protocol';
import type { BudgetStore, RateLimitStore } from '../ports';
import { BUDGET_SCRIPT, BUDGET_SCRIPT_SHA1, RATE_LIMIT_SCRIPT, RATE_LIMIT_SCRIPT_SHA1 } from './redis-script';

export { BUDGET_SCRIPT, BUDGET_SCRIPT_SHA1, RATE_LIMIT_SCRIPT, RATE_LIMIT_SCRIPT_SHA1 };

/** The part of an ioredis client (or cluster) this driver uses. */
export interface RedisScriptClient {
  evalsha(sha: string, numberOfKeys: number, ...args: Array<string | number>): Promise<unknown>;
  script(subcommand: 'LOAD', script: string): Promise<unknown>;
}

function isNoScript(error: unknown): boolean {
  return error instanceof Error && /NOSCRIPT/.test(error.message);
}

/**
 * Runs one script with EVALSHA: one round trip per call; on NOSCRIPT (first use, SCRIPT FLUSH, failover) it loads
 * the script with SCRIPT LOAD, checks the SHA-1 Redis reports, and runs it again.
 */
function scriptRunner(redis: RedisScriptClient, text: string, sha: string, operation: string) {
  return async (key: string, args: Array<string | number>): Promise<number[]> => {
    let reply: unknown;
    try {
      try {
        reply = await redis.evalsha(sha, 1, key, ...args);
      } catch (error) {
        if (!isNoScript(error)) throw error;
        const loaded = await redis.script('LOAD', text);
        if (loaded !== sha)
          throw new StoreError(
            'store_error',
            `Redis loaded the ${operation} script as ${String(loaded)}, expected ${sha}`,
          );
        reply = await redis.evalsha(sha, 1, key, ...args);
      }
    } catch (error) {
      if (error instanceof StoreError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      const unreachable = /ECONNREFUSED|ETIMEDOUT|ECONNRESET|Connection is closed|connect|max retries/i.test(
        message,
      );
      // The driver's message (it may name the host and port) stays in `cause`, for server logs.
      throw new StoreError(
        unreachable ? 'store_unavailable' : 'store_error',
        unreachable
          ? `Redis ${operation}: the store is unavailable; try again shortly.`
          : `Redis ${operation} failed.`,
        {
          cause: error,
          retryable: unreachable,
          ...(unreachable ? { retryAfterMs: STORE_RETRY_AFTER_MS } : {}),
        },
      );
    }
    return (reply as Array<number | string>).map(Number);
  };
}

/**
 * Rate limits on Redis: one EVALSHA per decision, timed by Redis's clock (`TIME`), exact under concurrency across
 * instances. Keys expire once their state no longer matters.
 */
export function createRedisRateLimitStore(options: { redis: RedisScriptClient }): RateLimitStore {
  const run = scriptRunner(options.redis, RATE_LIMIT_SCRIPT, RATE_LIMIT_SCRIPT_SHA1, 'rate limit');
  return {
    async consume(request) {
      const [success, limit, remaining, reset, retryAfterMs, nowMs] = await run(request.key, [
        request.algorithm,
        request.limit,
        request.windowMs,
        request.cost,
        request.refillRate ?? 0,
      ]);
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

/**
 * Spending caps on Redis (the rules of the SQL `usage_budget_charge`): one EVALSHA per charge, UTC days and
 * calendar months of Redis's clock.
 */
export function createRedisBudgetStore(options: { redis: RedisScriptClient }): BudgetStore {
  const run = scriptRunner(options.redis, BUDGET_SCRIPT, BUDGET_SCRIPT_SHA1, 'budget');
  return {
    async charge(request) {
      const [success, limitMicros, spentMicros, periodStart, reset, nowMs] = await run(request.key, [
        request.period,
        request.limitMicros,
        request.amountMicros,
        request.force ? '1' : '0',
        request.periodStart === undefined ? '' : request.periodStart,
      ]);
      return {
        success: success === 1,
        limitMicros: limitMicros!,
        spentMicros: spentMicros!,
        periodStart: periodStart!,
        reset: reset!,
        nowMs: nowMs!,
      };
    },
  };
}
