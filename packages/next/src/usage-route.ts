import { createUsageHandler, type UsageHandlerOptions } from '@relaykit/agent-core/http';

/** Options of {@link createUsageRoute}: those of `createUsageHandler` from `@relaykit/agent-core`. */
export type UsageRouteOptions = UsageHandlerOptions;

/**
 * Creates `app/api/usage/route.ts`: `export const { GET } = createUsageRoute(...)`. Answers the caller's
 * `{ range: { from, to }, summary, daily, rateLimit?, recentErrors? }` for `?from=&to=` (ISO dates, default the last
 * 30 days; `?errors=` how many recent errors, `?requestId=` only that request's); only ever the authenticated user's own
 * data. `rateLimit` is there with `getRateLimitStatus` (`rateLimitStatusOf(limiter)`), `recentErrors` (each with the
 * failed request's `requestId`, `null` when unknown) with `getRecentErrors`. Bad query values → 400,
 * unauthenticated → 401. Give it the caller's own days (`getDailyStats(range, { userId })`), never the platform-wide
 * `getDailyStats(range)`:
 *
 * ```ts
 * export const { GET } = createUsageRoute({
 *   auth: { jwtSecret },
 *   getUsageSummary: (userId, range) => recorder.getUsageSummary(userId, range),
 *   getDailyStats: (userId, range) => recorder.getDailyStats(range, { userId }),
 * });
 * ```
 */
export function createUsageRoute(options: UsageRouteOptions): {
  GET: (request: Request) => Promise<Response>;
} {
  return { GET: createUsageHandler(options) };
}
