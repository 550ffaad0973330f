import {
  type AdapterAuth,
  type AuthenticatedUser,
  errorResponse,
  jsonResponse,
  resolveAuthenticator,
} from '@relaykit/agent-core';
import { RequestError } from '@relaykit/sse-protocol';
import type { DailyStats, TimeRange, UsageSummary } from '@relaykit/usage-tracker';

/** Options of {@link createUsageRoute}. */
export interface UsageRouteOptions {
  /** Bearer JWT verification or a custom authenticator. Required. */
  auth: AdapterAuth;
  /** The caller's totals over the range (for example `recorder.summary`). */
  getUsageSummary: (userId: string, range: TimeRange) => Promise<UsageSummary>;
  /** The caller's per-day totals over the range. */
  getDailyStats: (userId: string, range: TimeRange) => Promise<DailyStats[]>;
  /** The range used without `from`/`to`, in days back from now; defaults to 30. */
  defaultDays?: number;
  /** The longest range accepted, in days; defaults to 366. */
  maxDays?: number;
  /** The clock, for tests. */
  now?: () => Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Creates `app/api/usage/route.ts`: `export const { GET } = createUsageRoute(...)`. Answers the caller's
 * `{ range: { from, to }, summary, daily }` for `?from=&to=` (ISO dates, default the last 30 days); only ever
 * the authenticated user's own data. Bad dates → 400, unauthenticated → 401.
 */
export function createUsageRoute(options: UsageRouteOptions): {
  GET: (request: Request) => Promise<Response>;
} {
  const authenticate = resolveAuthenticator(options.auth, 'createUsageRoute');
  const defaultDays = options.defaultDays ?? 30;
  const maxDays = options.maxDays ?? 366;
  return {
    GET: async (request) => {
      try {
        const user: AuthenticatedUser = await authenticate(request);
        const range = parseRange(new URL(request.url), options.now?.() ?? new Date(), defaultDays, maxDays);
        const [summary, daily] = await Promise.all([
          options.getUsageSummary(user.userId, range),
          options.getDailyStats(user.userId, range),
        ]);
        return jsonResponse({
          range: { from: range.from.toISOString(), to: range.to.toISOString() },
          summary,
          daily,
        });
      } catch (error) {
        return errorResponse(error);
      }
    },
  };
}

function parseRange(url: URL, now: Date, defaultDays: number, maxDays: number): TimeRange {
  const parse = (name: string): Date | undefined => {
    const value = url.searchParams.get(name);
    if (value === null || value === '') return undefined;
    const date = new Date(value);
    if (Number.isNaN(date.getTime()))
      throw new RequestError('invalid_request', `"${name}" is not a valid date.`, {
        details: { issues: [{ code: 'invalid_date', path: [name], message: 'Expected an ISO 8601 date.' }] },
      });
    return date;
  };
  const to = parse('to') ?? now;
  const from = parse('from') ?? new Date(to.getTime() - defaultDays * DAY_MS);
  if (from.getTime() > to.getTime())
    throw new RequestError('invalid_request', '"from" must not be after "to".', {
      details: { issues: [{ code: 'invalid_range', path: ['from'], message: '"from" is after "to".' }] },
    });
  if (to.getTime() - from.getTime() > maxDays * DAY_MS)
    throw new RequestError('invalid_request', `The range may span at most ${maxDays} days.`, {
      details: { issues: [{ code: 'range_too_long', path: ['from'], message: `At most ${maxDays} days.` }] },
    });
  return { from, to };
}
