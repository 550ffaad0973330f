import { postgresError } from '@relaykit/sse-protocol';
import type {
  BudgetChargeRequest,
  BudgetChargeResult,
  BudgetStore,
  DailyStats,
  DailyStatsOptions,
  RateLimitDecision,
  RateLimitRequest,
  RateLimitStore,
  RecentErrorsOptions,
  TimeRange,
  UsageErrorRow,
  UsageKind,
  UsageRow,
  UsageStore,
  UsageSummary,
} from '../ports';

/** Runs one SQL statement with positional parameters and returns its rows. */
export type SqlRun = (text: string, parameters: unknown[]) => Promise<Array<Record<string, unknown>>>;

const toNumber = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));
const toTime = (value: unknown): number =>
  value instanceof Date ? value.getTime() : new Date(String(value)).getTime();

/** Maps a `usage_rate_limit` row. */
export function decisionFromRow(row: Record<string, unknown>): RateLimitDecision {
  return {
    success: row.success === true || row.success === 't',
    limit: toNumber(row.limit),
    remaining: toNumber(row.remaining),
    reset: toNumber(row.reset_ms),
    retryAfterMs: toNumber(row.retry_after_ms),
    nowMs: toNumber(row.now_ms),
  };
}

/** Maps a `usage_budget_charge` row. */
export function budgetFromRow(row: Record<string, unknown>): BudgetChargeResult {
  return {
    success: row.success === true || row.success === 't',
    limitMicros: toNumber(row.limit_micros),
    spentMicros: toNumber(row.spent_micros),
    periodStart: toTime(row.period_start),
    reset: toNumber(row.reset_ms),
    nowMs: toNumber(row.now_ms),
  };
}

/** Maps an `openai_usage_summary` row. */
export function summaryFromRow(userId: string, row: Record<string, unknown> | undefined): UsageSummary {
  return {
    userId,
    chatRequests: toNumber(row?.chat_requests),
    imageRequests: toNumber(row?.image_requests),
    totalRequests: toNumber(row?.total_requests),
    promptTokens: toNumber(row?.prompt_tokens),
    completionTokens: toNumber(row?.completion_tokens),
    totalTokens: toNumber(row?.total_tokens),
    cachedTokens: toNumber(row?.cached_tokens),
    reasoningTokens: toNumber(row?.reasoning_tokens),
    images: toNumber(row?.images),
    costMicros: toNumber(row?.cost_micros),
    unpricedRequests: toNumber(row?.unpriced_requests),
    failedRequests: toNumber(row?.failed_requests),
    lastRequestAt: row?.last_request_at ? new Date(toTime(row.last_request_at)) : null,
  };
}

function dayString(value: unknown): string {
  if (value instanceof Date) {
    // a SQL `date` parsed by a driver as local midnight
    const year = value.getFullYear();
    const month = String(value.getMonth() + 1).padStart(2, '0');
    const day = String(value.getDate()).padStart(2, '0');
    return `${year}-${month}-${day}`;
  }
  return String(value).slice(0, 10);
}

/** Maps an `openai_daily_stats` row. */
export function dailyFromRow(row: Record<string, unknown>): DailyStats {
  return {
    day: dayString(row.day),
    requests: toNumber(row.requests),
    users: toNumber(row.users),
    promptTokens: toNumber(row.prompt_tokens),
    completionTokens: toNumber(row.completion_tokens),
    totalTokens: toNumber(row.total_tokens),
    costMicros: toNumber(row.cost_micros),
    averageCostMicrosPerRequest: toNumber(row.average_cost_micros_per_request),
    unpricedRequests: toNumber(row.unpriced_requests),
    failedRequests: toNumber(row.failed_requests),
  };
}

/** Maps a `usage_recent_errors_v2` row. */
export function usageErrorFromRow(row: Record<string, unknown>): UsageErrorRow {
  return {
    at: new Date(toTime(row.created_at)),
    kind: String(row.type) as UsageKind,
    model: String(row.model),
    message: String(row.error),
    code: row.error_code === null || row.error_code === undefined ? undefined : String(row.error_code),
    requestId: row.request_id === null || row.request_id === undefined ? null : String(row.request_id),
  };
}

/** `limit` clamped to 1..100, as `usage_recent_errors_v2` clamps it (so every driver answers alike). */
export function recentErrorsLimit(limit: number): number {
  return Number.isInteger(limit) ? Math.min(Math.max(limit, 1), 100) : 10;
}

/** The named arguments of `usage_record`, shared by the SQL and RPC drivers. */
export function recordArguments(row: UsageRow): Record<string, unknown> {
  return {
    p_user_id: row.userId,
    p_type: row.kind,
    p_model: row.model,
    p_prompt_tokens: row.promptTokens,
    p_cached_tokens: row.cachedTokens,
    p_cache_write_tokens: row.cacheWriteTokens,
    p_completion_tokens: row.completionTokens,
    p_reasoning_tokens: row.reasoningTokens,
    p_images: row.images,
    p_requests: row.requests,
    p_cost_micros: row.costMicros,
    p_request_id: row.requestId ?? null,
    p_organization_id: row.organizationId ?? null,
    p_request_data: row.requestData ?? null,
    p_response_data: row.responseData ?? null,
    p_metadata: row.metadata ?? null,
    p_error: row.error ?? null,
  };
}

/** The named arguments of `usage_rate_limit`. */
export function rateLimitArguments(request: RateLimitRequest): Record<string, unknown> {
  return {
    p_key: request.key,
    p_algorithm: request.algorithm,
    p_limit: request.limit,
    p_window_ms: request.windowMs,
    p_cost: request.cost,
    p_refill_rate: request.refillRate ?? null,
  };
}

/** The named arguments of `usage_budget_charge`. */
export function budgetArguments(request: BudgetChargeRequest): Record<string, unknown> {
  return {
    p_key: request.key,
    p_period: request.period,
    p_limit_micros: request.limitMicros,
    p_amount_micros: request.amountMicros,
    p_force: request.force,
    p_period_start: request.periodStart === undefined ? null : new Date(request.periodStart).toISOString(),
  };
}

async function guarded<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    // The one Postgres mapper: bad input → invalid_request, outage → store_unavailable (retryable), else store_error.
    throw postgresError(error, { operation });
  }
}

/** The three stores over any SQL connection: each operation is one call of one SQL function (one round trip). */
export function createSqlStores(run: SqlRun): {
  rateLimits: RateLimitStore;
  budgets: BudgetStore;
  usage: UsageStore;
} {
  return {
    rateLimits: {
      consume: (request) =>
        guarded('usage_rate_limit', async () => {
          const a = rateLimitArguments(request);
          const rows = await run(
            'select * from public.usage_rate_limit($1::text, $2::text, $3::bigint, $4::bigint, $5::bigint, $6::bigint)',
            [a.p_key, a.p_algorithm, a.p_limit, a.p_window_ms, a.p_cost, a.p_refill_rate],
          );
          return decisionFromRow(rows[0]!);
        }),
    },
    budgets: {
      charge: (request) =>
        guarded('usage_budget_charge', async () => {
          const a = budgetArguments(request);
          const rows = await run(
            'select * from public.usage_budget_charge($1::text, $2::text, $3::bigint, $4::bigint, $5::boolean, $6::timestamptz)',
            [a.p_key, a.p_period, a.p_limit_micros, a.p_amount_micros, a.p_force, a.p_period_start],
          );
          return budgetFromRow(rows[0]!);
        }),
    },
    usage: {
      insert: (row) =>
        guarded('usage_record', async () => {
          const a = recordArguments(row);
          // JSON text cast through `text`: a driver that sees a `jsonb` parameter (postgres.js) would encode the
          // string again and store a JSON string instead of the object.
          const json = (value: unknown) => (value === null ? null : JSON.stringify(value));
          const rows = await run(
            `select * from public.usage_record($1::text, $2::text, $3::text, $4::bigint, $5::bigint, $6::bigint, $7::bigint,
              $8::bigint, $9::integer, $10::integer, $11::bigint, $12::text, $13::text, $14::text::jsonb, $15::text::jsonb, $16::text::jsonb, $17::text)`,
            [
              a.p_user_id,
              a.p_type,
              a.p_model,
              a.p_prompt_tokens,
              a.p_cached_tokens,
              a.p_cache_write_tokens,
              a.p_completion_tokens,
              a.p_reasoning_tokens,
              a.p_images,
              a.p_requests,
              a.p_cost_micros,
              a.p_request_id,
              a.p_organization_id,
              json(a.p_request_data),
              json(a.p_response_data),
              json(a.p_metadata),
              a.p_error,
            ],
          );
          return { id: String(rows[0]!.id), duplicate: rows[0]!.duplicate === true };
        }),
      summary: (userId: string, range: TimeRange) =>
        guarded('usage_summary', async () => {
          const rows = await run(
            'select * from public.usage_summary($1::text, $2::timestamptz, $3::timestamptz)',
            [userId, range.from.toISOString(), range.to.toISOString()],
          );
          return summaryFromRow(userId, rows[0]);
        }),
      dailyStats: (range: TimeRange, options?: DailyStatsOptions) => {
        const userId = options?.userId;
        const columns =
          "to_char(day, 'YYYY-MM-DD') as day, requests, users, prompt_tokens, completion_tokens, total_tokens, cost_micros, average_cost_micros_per_request, unpriced_requests, failed_requests";
        const bounds = [range.from.toISOString(), range.to.toISOString()];
        return userId === undefined
          ? guarded('usage_daily_stats', async () => {
              const rows = await run(
                `select ${columns} from public.usage_daily_stats($1::timestamptz, $2::timestamptz)`,
                bounds,
              );
              return rows.map(dailyFromRow);
            })
          : guarded('usage_user_daily_stats', async () => {
              const rows = await run(
                `select ${columns} from public.usage_user_daily_stats($1::text, $2::timestamptz, $3::timestamptz)`,
                [userId, ...bounds],
              );
              return rows.map(dailyFromRow);
            });
      },
      recentErrors: (userId: string, limit: number, options?: RecentErrorsOptions) =>
        guarded('usage_recent_errors_v2', async () => {
          const rows = await run(
            'select * from public.usage_recent_errors_v2($1::text, $2::integer, $3::text)',
            [userId, recentErrorsLimit(limit), options?.requestId ?? null],
          );
          return rows.map(usageErrorFromRow);
        }),
    },
  };
}
