import type { DailyStats, TimeRange } from '@relaykit/usage-tracker';
import type { SqlQuery } from './stores';

const DAILY_SQL = `
  select to_char(date_trunc('day', created_at at time zone 'utc'), 'YYYY-MM-DD') as day,
         sum(requests)::int as requests,
         sum(prompt_tokens)::int8 as prompt_tokens,
         sum(completion_tokens)::int8 as completion_tokens,
         coalesce(sum(cost_micros), 0)::int8 as cost_micros,
         count(*) filter (where cost_micros is null and error is null)::int as unpriced_requests,
         count(*) filter (where error is not null)::int as failed_requests
  from public.openai_usage
  where user_id = $1 and created_at >= $2 and created_at < $3
  group by 1 order by 1`;

/**
 * Per-day totals of one user over `[from, to)`, in the `DailyStats` shape (the library's daily view sums every
 * user; the dashboard shows the caller's own days). Runs on the app's service connection, filtered by `user_id`.
 */
export async function userDailyUsage(
  query: SqlQuery,
  userId: string,
  range: TimeRange,
): Promise<DailyStats[]> {
  const rows = await query(DAILY_SQL, [userId, range.from.toISOString(), range.to.toISOString()]);
  return rows.map((row) => {
    const requests = Number(row.requests);
    const promptTokens = Number(row.prompt_tokens);
    const completionTokens = Number(row.completion_tokens);
    const costMicros = Number(row.cost_micros);
    return {
      day: String(row.day),
      requests,
      users: 1,
      promptTokens,
      completionTokens,
      totalTokens: promptTokens + completionTokens,
      costMicros,
      averageCostMicrosPerRequest: requests > 0 ? Math.round(costMicros / requests) : 0,
      unpricedRequests: Number(row.unpriced_requests),
      failedRequests: Number(row.failed_requests),
    };
  });
}
