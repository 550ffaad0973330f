import { decide, type RateLimitState } from '../internal/algorithms';
import { recentErrorsLimit } from '../internal/sql-store';
import type {
  BudgetChargeResult,
  BudgetStore,
  DailyStats,
  RateLimitStore,
  UsageRow,
  UsageStore,
} from '../ports';
import { emptySummary } from '../recorder';

/** Options of the in-memory drivers. */
export interface MemoryStoreOptions {
  /** The clock (epoch ms); defaults to `Date.now`. Tests pass a fake one. */
  now?: () => number;
}

/**
 * In-memory rate limits for one process (tests, a single server, the embedded demo). Decisions are exact within
 * the process; use the Postgres, Supabase or Redis driver when several instances share limits.
 */
export function createMemoryRateLimitStore(
  options: MemoryStoreOptions = {},
): RateLimitStore & { size(): number } {
  const now = options.now ?? Date.now;
  const states = new Map<string, RateLimitState>();
  return {
    async consume(request) {
      const nowMs = now();
      const current = states.get(request.key);
      const { state, decision } = decide(
        current && current.expiresAtMs > nowMs - request.windowMs ? current : undefined,
        request,
        nowMs,
      );
      states.set(request.key, state);
      if (states.size > 10_000)
        for (const [key, value] of states) if (value.expiresAtMs < nowMs) states.delete(key);
      return decision;
    },
    size: () => states.size,
  };
}

function periodBounds(period: 'day' | 'month', nowMs: number): { start: number; reset: number } {
  const date = new Date(nowMs);
  if (period === 'day') {
    const start = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
    return { start, reset: start + 86_400_000 };
  }
  return {
    start: Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1),
    reset: Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1),
  };
}

/** In-memory spend caps (same rules as `usage_budget_charge`). */
export function createMemoryBudgetStore(options: MemoryStoreOptions = {}): BudgetStore {
  const now = options.now ?? Date.now;
  const spent = new Map<string, number>();
  return {
    async charge(request): Promise<BudgetChargeResult> {
      const nowMs = now();
      const bounds = periodBounds(request.period, request.periodStart ?? nowMs);
      const key = `${request.key}\u0000${request.period}\u0000${bounds.start}`;
      const current = spent.get(key) ?? 0;
      const success =
        request.force || request.amountMicros <= 0 || current + request.amountMicros <= request.limitMicros;
      const next = success ? Math.max(current + request.amountMicros, 0) : current;
      spent.set(key, next);
      return {
        success,
        limitMicros: request.limitMicros,
        spentMicros: next,
        periodStart: bounds.start,
        reset: bounds.reset,
        nowMs,
      };
    },
  };
}

/** In-memory usage rows and reports (same shapes as the SQL views). */
export function createMemoryUsageStore(
  options: MemoryStoreOptions = {},
): UsageStore & { rows(): ReadonlyArray<UsageRow & { id: string; createdAt: Date }> } {
  const now = options.now ?? Date.now;
  const rows: Array<UsageRow & { id: string; createdAt: Date }> = [];
  const inRange = (row: { createdAt: Date }, from: Date, to: Date) =>
    row.createdAt >= from && row.createdAt < to;
  return {
    rows: () => rows,
    async insert(row) {
      if (row.requestId !== undefined) {
        const existing = rows.find((candidate) => candidate.requestId === row.requestId);
        if (existing) return { id: existing.id, duplicate: true };
      }
      const id = crypto.randomUUID();
      rows.push({ ...structuredClone(row), id, createdAt: new Date(now()) });
      return { id, duplicate: false };
    },
    async summary(userId, range) {
      const summary = emptySummary(userId);
      for (const row of rows) {
        if (row.userId !== userId || !inRange(row, range.from, range.to)) continue;
        summary.totalRequests += 1;
        if (row.kind === 'chat') summary.chatRequests += 1;
        if (row.kind === 'image') summary.imageRequests += 1;
        summary.promptTokens += row.promptTokens;
        summary.completionTokens += row.completionTokens;
        summary.totalTokens += row.promptTokens + row.completionTokens;
        summary.cachedTokens += row.cachedTokens;
        summary.reasoningTokens += row.reasoningTokens;
        summary.images += row.images;
        if (row.costMicros === null) summary.unpricedRequests += 1;
        else summary.costMicros += row.costMicros;
        if (row.error !== undefined) summary.failedRequests += 1;
        if (!summary.lastRequestAt || row.createdAt > summary.lastRequestAt)
          summary.lastRequestAt = row.createdAt;
      }
      return summary;
    },
    async recentErrors(userId, limit, options) {
      // Newest first; rows recorded in the same millisecond keep their order of arrival (newest first too).
      return rows
        .map((row, index) => ({ row, index }))
        .filter(({ row }) => row.userId === userId && row.error !== undefined && row.error !== null)
        .filter(({ row }) => options?.requestId === undefined || requestIdOf(row) === options.requestId)
        .sort((a, b) => b.row.createdAt.getTime() - a.row.createdAt.getTime() || b.index - a.index)
        .map(({ row }) => row)
        .slice(0, recentErrorsLimit(limit))
        .map((row) => {
          const code = row.metadata?.error_code;
          return {
            at: new Date(row.createdAt),
            kind: row.kind,
            model: row.model,
            message: String(row.error),
            code: typeof code === 'string' ? code : undefined,
            requestId: requestIdOf(row) ?? null,
          };
        });
    },
    async dailyStats(range, dailyOptions) {
      const userId = dailyOptions?.userId;
      const days = new Map<string, DailyStats & { userSet: Set<string> }>();
      for (const row of rows) {
        if (!inRange(row, range.from, range.to)) continue;
        if (userId !== undefined && row.userId !== userId) continue;
        const day = row.createdAt.toISOString().slice(0, 10);
        let stats = days.get(day);
        if (!stats) {
          stats = {
            day,
            requests: 0,
            users: 0,
            promptTokens: 0,
            completionTokens: 0,
            totalTokens: 0,
            costMicros: 0,
            averageCostMicrosPerRequest: 0,
            unpricedRequests: 0,
            failedRequests: 0,
            userSet: new Set(),
          };
          days.set(day, stats);
        }
        stats.requests += 1;
        stats.userSet.add(row.userId);
        stats.promptTokens += row.promptTokens;
        stats.completionTokens += row.completionTokens;
        stats.totalTokens += row.promptTokens + row.completionTokens;
        if (row.costMicros === null) stats.unpricedRequests += 1;
        else stats.costMicros += row.costMicros;
        if (row.error !== undefined) stats.failedRequests += 1;
      }
      return [...days.values()]
        .sort((a, b) => a.day.localeCompare(b.day))
        .map(({ userSet, ...stats }) => ({
          ...stats,
          users: userSet.size,
          averageCostMicrosPerRequest: Math.round(stats.costMicros / stats.requests),
        }));
    },
  };
}

/** The HTTP request id a usage row was recorded with (`metadata.request_id`), when it is a string. */
function requestIdOf(row: UsageRow): string | undefined {
  const value = row.metadata?.request_id;
  return typeof value === 'string' ? value : undefined;
}
