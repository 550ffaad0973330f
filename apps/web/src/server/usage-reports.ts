import type { TimeRange } from '@relaykit/usage-tracker';
import type { SqlQuery } from './stores';

/** One day of the caller's usage (UTC). */
export interface UserDailyUsage {
  day: string;
  requests: number;
  totalTokens: number;
  costMicros: number;
  failedRequests: number;
}

/** One failed call of the caller. */
export interface RecentError {
  at: string;
  kind: string;
  model: string;
  error: string;
}

const DAILY_SQL = `
  select to_char(date_trunc('day', created_at at time zone 'utc'), 'YYYY-MM-DD') as day,
         sum(requests)::int as requests,
         sum(total_tokens)::int8 as total_tokens,
         coalesce(sum(cost_micros), 0)::int8 as cost_micros,
         count(*) filter (where error is not null)::int as failed_requests
  from public.openai_usage
  where user_id = $1 and created_at >= $2 and created_at < $3
  group by 1 order by 1`;

const ERRORS_SQL = `
  select created_at, type, model, error from public.openai_usage
  where user_id = $1 and error is not null
  order by created_at desc limit $2`;

/** Per-day totals of one user over `[from, to)` (the library's daily view covers every user). */
export async function userDailyUsage(
  query: SqlQuery,
  userId: string,
  range: TimeRange,
): Promise<UserDailyUsage[]> {
  const rows = await query(DAILY_SQL, [userId, range.from.toISOString(), range.to.toISOString()]);
  return rows.map((row) => ({
    day: String(row.day),
    requests: Number(row.requests),
    totalTokens: Number(row.total_tokens),
    costMicros: Number(row.cost_micros),
    failedRequests: Number(row.failed_requests),
  }));
}

/** The user's most recent failed calls, newest first. */
export async function recentErrors(query: SqlQuery, userId: string, limit = 10): Promise<RecentError[]> {
  const rows = await query(ERRORS_SQL, [userId, limit]);
  return rows.map((row) => ({
    at: new Date(row.created_at as string).toISOString(),
    kind: String(row.type),
    model: String(row.model),
    error: String(row.error),
  }));
}
