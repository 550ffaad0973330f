import { type RelayKitErrorOptions, RequestError } from '@relaykit/sse-protocol';

/** The part of a rate-limit decision a {@link RateLimitExceededError} carries. */
export interface RateLimitDenial {
  limit: number;
  remaining: number;
  /** Epoch ms when the window resets. */
  reset: number;
  retryAfterMs: number;
  /** Window length in ms (for `RateLimit-Policy`), when known. */
  windowMs?: number;
}

/**
 * A rate limit denied the call (`code: 'rate_limited'`, HTTP 429). `retryAfterMs` says when a retry may succeed;
 * `details` are `{ limit, remaining, reset, windowMs? }`, from which `errorResponse` (agent-core) and
 * {@link rateLimitResponse} both answer the IETF `RateLimit-*` headers: one body and header shape for every 429.
 */
export class RateLimitExceededError extends RequestError {
  override name = 'RateLimitExceededError';
  declare readonly code: 'rate_limited';
  /** The decision that denied the call. */
  readonly result: RateLimitDenial;
  constructor(message: string, result: RateLimitDenial, options: RelayKitErrorOptions = {}) {
    super('rate_limited', message, {
      retryable: true,
      retryAfterMs: result.retryAfterMs,
      details: {
        limit: result.limit,
        remaining: result.remaining,
        reset: result.reset,
        ...(typeof result.windowMs === 'number' ? { windowMs: result.windowMs } : {}),
      },
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
  override name = 'BudgetExceededError';
  declare readonly code: 'quota_exceeded';
  constructor(message: string, options: RelayKitErrorOptions = {}) {
    super('quota_exceeded', message, { retryable: true, ...options });
  }
}

/** Builds the `invalid_request` error every validation in this package throws. */
export function invalidRequest(message: string, details?: unknown): RequestError {
  return new RequestError('invalid_request', message, details === undefined ? {} : { details });
}
