import { type RateLimitDenial, RateLimitExceededError } from './errors';
import type { RateLimitResult } from './rate-limiter';

/**
 * The IETF `RateLimit-*` header fields (draft-ietf-httpapi-ratelimit-headers) for a decision, plus `Retry-After`
 * (seconds, rounded up) when denied. `RateLimit-Reset` is seconds from `nowMs` until the window resets;
 * `RateLimit-Policy` is set when the window length is known.
 */
export function rateLimitHeaders(
  result: Pick<RateLimitResult, 'success'> & RateLimitDenial,
  nowMs: number = Date.now(),
): Record<string, string> {
  const headers: Record<string, string> = {
    'RateLimit-Limit': String(result.limit),
    'RateLimit-Remaining': String(Math.max(result.remaining, 0)),
    'RateLimit-Reset': String(Math.max(Math.ceil((result.reset - nowMs) / 1000), 0)),
  };
  if (typeof result.windowMs === 'number')
    headers['RateLimit-Policy'] = `${result.limit};w=${Math.max(Math.ceil(result.windowMs / 1000), 1)}`;
  if (!result.success) headers['Retry-After'] = String(Math.max(Math.ceil(result.retryAfterMs / 1000), 1));
  return headers;
}

/**
 * A `429 Too Many Requests` Response (Web API) for a denied decision, with the headers of {@link rateLimitHeaders}
 * and the JSON body every RelayKit error answers: `{ error: { name, code: 'rate_limited', message, retryable: true,
 * details: { limit, remaining, reset, windowMs }, retryAfterMs } }` (a {@link RateLimitExceededError}), the same body
 * and headers `errorResponse` of `@relaykit/agent-core` gives that error.
 */
export function rateLimitResponse(
  result: RateLimitResult,
  options: { message?: string; nowMs?: number } = {},
): Response {
  const headers = new Headers(rateLimitHeaders(result, options.nowMs));
  headers.set('content-type', 'application/json');
  headers.set('cache-control', 'no-store');
  const error = new RateLimitExceededError(options.message ?? 'Rate limit exceeded. Wait and retry.', result);
  return new Response(JSON.stringify({ error: error.toJSON() }), { status: 429, headers });
}
