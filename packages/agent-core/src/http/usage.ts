import { RequestError } from '@relaykit/sse-protocol';
import type { DailyStats, TimeRange, UsageSummary } from '@relaykit/usage-tracker';
import { errorResponse, jsonResponse } from './errors';
import { type AdapterAuth, resolveAuthenticator } from './guard';
import { isRequestId, REQUEST_ID_HEADER, requestIdOf } from './request-id';

/** A user's rate-limit standing, as the dashboard shows it. */
export interface RateLimitStatus {
  limit: number;
  remaining: number;
  /** When the window resets: a `Date`, epoch ms or an ISO string (answered as ISO 8601). */
  resetAt: Date | number | string;
}

/** One recent failed call (`recorder.getRecentErrors()` of `@relaykit/usage-tracker` answers this shape). */
export interface RecentError {
  /** When it failed: a `Date`, epoch ms or an ISO string (answered as ISO 8601). */
  at: Date | number | string;
  /** The error code; answered as `error` when the call was recorded without one. */
  code?: string | undefined;
  message: string;
  model?: string | undefined;
  /** The id of the request that failed (the `x-request-id` its response carried); `null` or absent when unknown. */
  requestId?: string | null | undefined;
}

/** One entry of {@link UsageReport.recentErrors}. */
export interface RecentErrorReport {
  /** When it failed (ISO 8601). */
  at: string;
  /** The error code (`error` when the call was recorded without one). */
  code: string;
  message: string;
  model?: string;
  /** The id of the request that failed (the `x-request-id` its response carried), `null` when unknown. */
  requestId: string | null;
}

/** The JSON body of the usage endpoint. Dates are ISO 8601 strings. */
export interface UsageReport {
  range: { from: string; to: string };
  summary: UsageSummary;
  daily: DailyStats[];
  rateLimit?: { limit: number; remaining: number; resetAt: string };
  recentErrors?: RecentErrorReport[];
}

/** Options of {@link createUsageHandler}. */
export interface UsageHandlerOptions {
  /** Bearer JWT verification or a custom authenticator. Required. */
  auth: AdapterAuth;
  /** The caller's totals over the range (`recorder.getUsageSummary` fits as is). */
  getUsageSummary: (userId: string, range: TimeRange) => Promise<UsageSummary>;
  /**
   * The caller's own per-day totals over the range: `(userId, range) => recorder.getDailyStats(range, { userId })`.
   * Never the platform-wide `recorder.getDailyStats(range)`, which counts every user's calls.
   */
  getDailyStats: (userId: string, range: TimeRange) => Promise<DailyStats[]>;
  /** The caller's rate-limit standing without consuming anything (see {@link rateLimitStatusOf}); adds `rateLimit`. */
  getRateLimitStatus?: (userId: string) => Promise<RateLimitStatus>;
  /**
   * The caller's newest failed calls, newest first (`recorder.getRecentErrors` fits as is); adds `recentErrors`.
   * With `?requestId=` it is asked for that request's failed calls only (`options.requestId`); the answer is filtered
   * by it too, so a function that ignores the option still answers only that request's.
   */
  getRecentErrors?: (
    userId: string,
    limit: number,
    options?: { requestId?: string },
  ) => Promise<RecentError[]>;
  /** How many recent errors to answer (`?errors=` may ask for fewer or more, up to 100). Default 10. */
  recentErrorsLimit?: number;
  /** The range used without `from`/`to`, in days back from now; defaults to 30. */
  defaultDays?: number;
  /** The longest range accepted, in days; defaults to 366. */
  maxDays?: number;
  /** The clock, for tests. */
  now?: () => Date;
  /** Called with unexpected errors (answered as a generic 500). */
  onUnexpectedError?: (error: unknown) => void;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_RECENT_ERRORS = 100;

/**
 * A rate limiter's standing for a key without consuming anything (a weight-0 call), as
 * {@link UsageHandlerOptions.getRateLimitStatus} wants it: `rateLimitStatusOf(limiter)` with the limiter the routes use.
 */
export function rateLimitStatusOf(limiter: {
  limit(
    key: string,
    options?: { rate?: number },
  ): Promise<{ limit: number; remaining: number; reset: number }>;
}): (userId: string) => Promise<RateLimitStatus> {
  return async (userId) => {
    const result = await limiter.limit(userId, { rate: 0 });
    return { limit: result.limit, remaining: result.remaining, resetAt: result.reset };
  };
}

function invalid(message: string, path: string, code: string, issue: string): RequestError {
  return new RequestError('invalid_request', message, {
    details: { issues: [{ code, path: [path], message: issue }] },
  });
}

function iso(value: Date | number | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

/** Parses `?from=&to=` (ISO dates) into a range ending now and spanning `defaultDays` by default. */
export function parseUsageRange(url: URL, now: Date, defaultDays = 30, maxDays = 366): TimeRange {
  const parse = (name: string): Date | undefined => {
    const value = url.searchParams.get(name);
    if (value === null || value === '') return undefined;
    const date = new Date(value);
    if (Number.isNaN(date.getTime()))
      throw invalid(`"${name}" is not a valid date.`, name, 'invalid_date', 'Expected an ISO 8601 date.');
    return date;
  };
  const to = parse('to') ?? now;
  const from = parse('from') ?? new Date(to.getTime() - defaultDays * DAY_MS);
  if (from.getTime() > to.getTime())
    throw invalid('"from" must not be after "to".', 'from', 'invalid_range', '"from" is after "to".');
  if (to.getTime() - from.getTime() > maxDays * DAY_MS)
    throw invalid(
      `The range may span at most ${maxDays} days.`,
      'from',
      'range_too_long',
      `At most ${maxDays} days.`,
    );
  return { from, to };
}

/** `?requestId=`: only the failed calls of that request; a value no request could have had is a 400. */
function parseRequestIdFilter(url: URL): string | undefined {
  const value = url.searchParams.get('requestId');
  if (value === null || value === '') return undefined;
  if (!isRequestId(value))
    throw invalid(
      '"requestId" is not a request id.',
      'requestId',
      'invalid_string',
      'Expected 8 to 128 of A-Z a-z 0-9 . _ : - (as in the x-request-id header).',
    );
  return value;
}

function parseErrorsLimit(url: URL, fallback: number): number {
  const value = url.searchParams.get('errors');
  if (value === null || value === '') return fallback;
  const count = Number(value);
  if (!Number.isInteger(count) || count < 0 || count > MAX_RECENT_ERRORS)
    throw invalid(
      '"errors" must be an integer from 0 to 100.',
      'errors',
      'invalid_value',
      'Expected an integer from 0 to 100.',
    );
  return count;
}

/**
 * The framework-free usage endpoint (`GET`): the caller's `{ range, summary, daily, rateLimit?, recentErrors? }` for
 * `?from=&to=` (ISO dates, default the last 30 days; `?errors=` how many recent errors, `?requestId=` only the failed
 * calls of that request). Each recent error carries the `requestId` of the request that failed (`null` when unknown).
 * Only ever the authenticated user's own data. Bad query values → 400 with issues, unauthenticated → 401.
 */
export function createUsageHandler(options: UsageHandlerOptions): (request: Request) => Promise<Response> {
  const authenticate = resolveAuthenticator(options?.auth, 'createUsageHandler');
  const defaultDays = options.defaultDays ?? 30;
  const maxDays = options.maxDays ?? 366;
  const errorsLimit = Math.min(options.recentErrorsLimit ?? 10, MAX_RECENT_ERRORS);
  return async (request) => {
    // The answer carries the request id (`x-request-id`), an error also in its JSON body.
    const requestId = requestIdOf(request);
    try {
      const user = await authenticate(request);
      const url = new URL(request.url);
      const range = parseUsageRange(url, options.now?.() ?? new Date(), defaultDays, maxDays);
      const limit = parseErrorsLimit(url, errorsLimit);
      const errorsOf = parseRequestIdFilter(url);
      const [summary, daily, rateLimit, recentErrors] = await Promise.all([
        options.getUsageSummary(user.userId, range),
        options.getDailyStats(user.userId, range),
        options.getRateLimitStatus?.(user.userId),
        limit > 0
          ? errorsOf === undefined
            ? options.getRecentErrors?.(user.userId, limit)
            : options.getRecentErrors?.(user.userId, limit, { requestId: errorsOf })
          : Promise.resolve([]),
      ]);
      const report: UsageReport = {
        range: { from: range.from.toISOString(), to: range.to.toISOString() },
        summary,
        daily,
      };
      if (rateLimit)
        report.rateLimit = {
          limit: rateLimit.limit,
          remaining: Math.max(rateLimit.remaining, 0),
          resetAt: iso(rateLimit.resetAt),
        };
      if (options.getRecentErrors && recentErrors)
        report.recentErrors = recentErrors
          .filter((error) => errorsOf === undefined || error.requestId === errorsOf)
          .slice(0, limit)
          .map((error) => ({
            at: iso(error.at),
            code: error.code ?? 'error',
            message: error.message,
            ...(error.model === undefined ? {} : { model: error.model }),
            requestId: error.requestId ?? null,
          }));
      return jsonResponse(report, { headers: { [REQUEST_ID_HEADER]: requestId } });
    } catch (error) {
      return errorResponse(error, {
        requestId,
        ...(options.onUnexpectedError ? { onUnexpectedError: options.onUnexpectedError } : {}),
      });
    }
  };
}
