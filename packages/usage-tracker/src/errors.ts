import { type RelayKitErrorOptions, RequestError } from '@relaykit/sse-protocol';

/**
 * A rate limit denied the call (`code: 'rate_limited'`, HTTP 429). `retryAfterMs` says when a retry may succeed;
 * `result` is the limiter's decision (use {@link rateLimitHeaders} to answer with the IETF `RateLimit-*` headers).
 */
export class RateLimitExceededError extends RequestError {
  declare readonly code: 'rate_limited';
  /** The decision that denied the call. */
  readonly result: { limit: number; remaining: number; reset: number; retryAfterMs: number };
  constructor(
    message: string,
    result: { limit: number; remaining: number; reset: number; retryAfterMs: number },
    options: RelayKitErrorOptions = {},
  ) {
    super('rate_limited', message, {
      retryable: true,
      retryAfterMs: result.retryAfterMs,
      details: { limit: result.limit, remaining: result.remaining, reset: result.reset },
      ...options,
    });
    this.result = result;
  }
}

/**
 * A spending budget is exhausted for its period (`code: 'quota_exceeded'`, HTTP 429). `retryAfterMs` is the time
 * until the period resets.
 */
export class BudgetExceededError extends RequestError {
  declare readonly code: 'quota_exceeded';
  constructor(message: string, options: RelayKitErrorOptions = {}) {
    super('quota_exceeded', message, { retryable: true, ...options });
  }
}

/** Builds the `invalid_request` error every validation in this package throws. */
export function invalidRequest(message: string, details?: unknown): RequestError {
  return new RequestError('invalid_request', message, details === undefined ? {} : { details });
}
