import { postgresError } from '@relaykit/sse-protocol';
import {
  budgetArguments,
  budgetFromRow,
  dailyFromRow,
  decisionFromRow,
  rateLimitArguments,
  recentErrorsLimit,
  recordArguments,
  summaryFromRow,
  usageErrorFromRow,
} from '../internal/sql-store';
import type { BudgetStore, RateLimitStore, UsageStore } from '../ports';

/** The part of a supabase-js client this driver uses (`client.rpc`). */
export interface SupabaseRpcClient {
  rpc(
    fn: string,
    args?: Record<string, unknown>,
  ): PromiseLike<{
    data: unknown;
    error: { message: string; code?: string; details?: string | null } | null;
    status?: number;
  }>;
}

/** The stores of `@relaykit/usage-tracker` over Supabase RPC. */
export interface SupabaseUsageStores {
  rateLimits: RateLimitStore;
  budgets: BudgetStore;
  usage: UsageStore;
}

async function call(
  client: SupabaseRpcClient,
  fn: string,
  args: Record<string, unknown>,
): Promise<Array<Record<string, unknown>>> {
  let response: Awaited<ReturnType<SupabaseRpcClient['rpc']>>;
  try {
    response = await client.rpc(fn, args);
  } catch (error) {
    throw postgresError(error, { operation: fn });
  }
  if (response.error)
    throw postgresError(response.error, { operation: fn, httpStatus: response.status ?? 0 });
  if (Array.isArray(response.data)) return response.data as Array<Record<string, unknown>>;
  return response.data === null || response.data === undefined
    ? []
    : [response.data as Record<string, unknown>];
}

/**
 * Rate limits, budgets and usage over a supabase-js client (`client.rpc()` of the same SQL functions: one HTTP
 * round trip per operation). Writing usage, rate limits and budgets needs the service-role key (server side only);
 * a client with a user's session may read that user's own summary and daily stats.
 */
export function createSupabaseStores(options: { client: SupabaseRpcClient }): SupabaseUsageStores {
  const { client } = options;
  return {
    rateLimits: {
      async consume(request) {
        const rows = await call(client, 'usage_rate_limit', rateLimitArguments(request));
        return decisionFromRow(rows[0]!);
      },
    },
    budgets: {
      async charge(request) {
        const rows = await call(client, 'usage_budget_charge', budgetArguments(request));
        return budgetFromRow(rows[0]!);
      },
    },
    usage: {
      async insert(row) {
        const rows = await call(client, 'usage_record', recordArguments(row));
        return { id: String(rows[0]!.id), duplicate: rows[0]!.duplicate === true };
      },
      async summary(userId, range) {
        const rows = await call(client, 'usage_summary', {
          p_user_id: userId,
          p_from: range.from.toISOString(),
          p_to: range.to.toISOString(),
        });
        return summaryFromRow(userId, rows[0]);
      },
      async dailyStats(range, options) {
        const bounds = { p_from: range.from.toISOString(), p_to: range.to.toISOString() };
        const rows =
          options?.userId === undefined
            ? await call(client, 'usage_daily_stats', bounds)
            : await call(client, 'usage_user_daily_stats', { p_user_id: options.userId, ...bounds });
        return rows.map(dailyFromRow);
      },
      async recentErrors(userId, limit, options) {
        const rows = await call(client, 'usage_recent_errors_v2', {
          p_user_id: userId,
          p_limit: recentErrorsLimit(limit),
          p_request_id: options?.requestId ?? null,
        });
        return rows.map(usageErrorFromRow);
      },
    },
  };
}
