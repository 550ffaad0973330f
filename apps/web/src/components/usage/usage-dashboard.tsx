'use client';

import { useEffect, useState } from 'react';
import { type RecentErrorEntry, RecentErrors } from './recent-errors';
import { type ChartDay, UsageChart } from './usage-chart';

interface UsageResponse {
  range: { from: string; to: string };
  summary: {
    totalRequests: number;
    totalTokens: number;
    costMicros: number;
    unpricedRequests: number;
    failedRequests: number;
  };
  daily: (ChartDay & { costMicros: number; failedRequests: number })[];
  rateLimit?: { limit: number; remaining: number; resetAt: number };
  recentErrors?: RecentErrorEntry[];
}

const dollars = (micros: number) => `$${(micros / 1_000_000).toFixed(4)}`;

/** The usage page's client: totals, the daily chart, rate-limit status and recent errors from `/api/usage`. */
export function UsageDashboard() {
  const [usage, setUsage] = useState<UsageResponse | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    fetch('/api/usage', { cache: 'no-store' })
      .then(async (response) => {
        const body = await response.json();
        if (!response.ok) throw new Error(body?.error?.message ?? `The server answered ${response.status}.`);
        if (!cancelled) setUsage(body as UsageResponse);
      })
      .catch(
        (cause: unknown) => !cancelled && setError(cause instanceof Error ? cause.message : String(cause)),
      );
    return () => {
      cancelled = true;
    };
  }, []);

  if (error)
    return (
      <p role="alert" className="error">
        {error}
      </p>
    );
  if (!usage) return <p role="status">Loading usage…</p>;
  const { summary, rateLimit, recentErrors = [] } = usage;
  return (
    <div className="usage">
      <p className="muted">
        Last 30 days ({usage.range.from.slice(0, 10)} to {usage.range.to.slice(0, 10)}).
      </p>
      <dl className="usage-totals">
        <div>
          <dt>Requests</dt>
          <dd data-testid="usage-requests">{summary.totalRequests}</dd>
        </div>
        <div>
          <dt>Tokens</dt>
          <dd data-testid="usage-tokens">{summary.totalTokens}</dd>
        </div>
        <div>
          <dt>Cost</dt>
          <dd data-testid="usage-cost">{dollars(summary.costMicros)}</dd>
        </div>
      </dl>
      {summary.unpricedRequests > 0 ? (
        <p className="muted">
          {summary.unpricedRequests} calls used a model without a known price (not in the cost).
        </p>
      ) : null}
      <UsageChart daily={usage.daily} />
      <section aria-labelledby="rate-limit-heading">
        <h2 id="rate-limit-heading">Rate limit</h2>
        {rateLimit ? (
          <p>
            Chat runs: <strong>{rateLimit.remaining}</strong> of {rateLimit.limit} left this minute
            {rateLimit.remaining === 0
              ? ` (limited: wait until ${new Date(rateLimit.resetAt).toLocaleTimeString()} and retry)`
              : ''}
            .
          </p>
        ) : (
          <p>No rate limit information.</p>
        )}
      </section>
      <section aria-labelledby="recent-errors-heading">
        <h2 id="recent-errors-heading">Recent errors</h2>
        <RecentErrors errors={recentErrors} />
      </section>
    </div>
  );
}
