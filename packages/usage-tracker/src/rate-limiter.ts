import { ConfigurationError, type StoreError } from '@relaykit/sse-protocol';
import { invalidRequest, RateLimitExceededError } from './errors';
import { storeFailureOf } from './internal/store-failure';
import { assertInteger, assertKey, type Duration, MAX_KEY_BYTES, parseDuration } from './internal/validate';
import type { RateLimitAlgorithmName, RateLimitStore } from './ports';

/** A configured algorithm (build it with {@link fixedWindow}, {@link slidingWindow} or {@link tokenBucket}). */
export interface RateLimitAlgorithm {
  name: RateLimitAlgorithmName;
  limit: number;
  windowMs: number;
  refillRate?: number;
}

/** At most `limit` units per aligned window (the scenario's "10 a minute"). */
export function fixedWindow(limit: number, window: Duration): RateLimitAlgorithm {
  assertInteger(limit, 'limit', 1);
  return { name: 'fixed_window', limit, windowMs: parseDuration(window) };
}

/** At most `limit` units in any window-long span, approximated by weighting the previous window (no bursts at edges). */
export function slidingWindow(limit: number, window: Duration): RateLimitAlgorithm {
  assertInteger(limit, 'limit', 1);
  return { name: 'sliding_window', limit, windowMs: parseDuration(window) };
}

/** A bucket of `maxTokens` that gains `refillRate` tokens every `interval`; bursts up to the bucket size. */
export function tokenBucket(refillRate: number, interval: Duration, maxTokens: number): RateLimitAlgorithm {
  assertInteger(refillRate, 'refillRate', 1);
  assertInteger(maxTokens, 'maxTokens', 1);
  return {
    name: 'token_bucket',
    limit: maxTokens,
    windowMs: parseDuration(interval, 'interval'),
    refillRate,
  };
}

/** What {@link RateLimiter.limit} answers (the `@upstash/ratelimit` shape plus `retryAfterMs`). */
export interface RateLimitResult {
  /** Whether the call is admitted. */
  success: boolean;
  /** The limit (units per window, or bucket size). */
  limit: number;
  /** Units left after this decision. */
  remaining: number;
  /** Epoch ms when the window resets (or the next token arrives), by the store's clock. */
  reset: number;
  /** 0 when admitted; otherwise ms until a retry of the same weight may succeed. */
  retryAfterMs: number;
  /** Window length (or refill interval) in ms, for the `RateLimit-Policy` header. */
  windowMs: number;
  /** Present when the store failed and the decision came from `onStoreFailure`. */
  storeError?: StoreError;
}

/** Options of {@link createRateLimiter}. */
export interface RateLimiterOptions {
  store: RateLimitStore;
  algorithm: RateLimitAlgorithm;
  /**
   * What to answer when the store fails (required, no silent default): `'allow'` admits the call (availability
   * first), `'deny'` refuses it (cost control first). Either way the failure is reported to `onError` and flagged
   * on the result as `storeError`.
   */
  onStoreFailure: 'allow' | 'deny';
  /** Called with every store failure. */
  onError?: (error: StoreError, context: { key: string }) => void;
  /** Prepended to every key as `<prefix>:<key>`; defaults to `'relaykit'`. The full key must fit 256 bytes. */
  prefix?: string;
}

/** Options of one {@link RateLimiter.limit} call. */
export interface LimitOptions {
  /** The weight of this call (tokens, micro-dollars…); defaults to 1. 0 asks without consuming. */
  rate?: number;
}

/** A rate limiter over one algorithm. */
export interface RateLimiter {
  /** Decides for `key` (for example a user id). Throws `invalid_request` for a bad key or weight. */
  limit(key: string, options?: LimitOptions): Promise<RateLimitResult>;
  /** Like {@link RateLimiter.limit}, but throws {@link RateLimitExceededError} when denied. */
  check(key: string, options?: LimitOptions): Promise<RateLimitResult>;
  readonly algorithm: RateLimitAlgorithm;
}

/** Creates a {@link RateLimiter}. Throws `configuration` for a missing store or failure policy. */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  if (!options?.store || typeof options.store.consume !== 'function')
    throw new ConfigurationError('createRateLimiter needs a store (a RateLimitStore driver)');
  if (options.onStoreFailure !== 'allow' && options.onStoreFailure !== 'deny')
    throw new ConfigurationError(
      "createRateLimiter needs onStoreFailure: 'allow' or 'deny' (there is no default)",
    );
  const algorithm = options.algorithm;
  if (!algorithm || !['fixed_window', 'sliding_window', 'token_bucket'].includes(algorithm.name))
    throw new ConfigurationError(
      'createRateLimiter needs an algorithm: fixedWindow(), slidingWindow() or tokenBucket()',
    );
  const prefix = options.prefix ?? 'relaykit';

  async function limit(key: string, limitOptions: LimitOptions = {}): Promise<RateLimitResult> {
    assertKey(key);
    const fullKey = `${prefix}:${key}`;
    if (new TextEncoder().encode(fullKey).byteLength > MAX_KEY_BYTES)
      throw invalidRequest(`key with its prefix is longer than ${MAX_KEY_BYTES} bytes`);
    const rate = limitOptions.rate ?? 1;
    assertInteger(rate, 'rate', 0);
    if (rate > algorithm.limit)
      throw invalidRequest(`a call weighing ${rate} can never fit a limit of ${algorithm.limit}`, {
        rate,
        limit: algorithm.limit,
      });
    try {
      const decision = await options.store.consume({
        key: fullKey,
        algorithm: algorithm.name,
        limit: algorithm.limit,
        windowMs: algorithm.windowMs,
        cost: rate,
        ...(algorithm.refillRate === undefined ? {} : { refillRate: algorithm.refillRate }),
      });
      return {
        success: decision.success,
        limit: decision.limit,
        remaining: decision.remaining,
        reset: decision.reset,
        retryAfterMs: decision.retryAfterMs,
        windowMs: algorithm.windowMs,
      };
    } catch (error) {
      const storeError = storeFailureOf(error, 'rate-limit');
      options.onError?.(storeError, { key });
      const allow = options.onStoreFailure === 'allow';
      return {
        success: allow,
        limit: algorithm.limit,
        remaining: allow ? algorithm.limit : 0,
        reset: Date.now() + algorithm.windowMs,
        retryAfterMs: allow ? 0 : algorithm.windowMs,
        windowMs: algorithm.windowMs,
        storeError,
      };
    }
  }

  return {
    algorithm,
    limit,
    async check(key, limitOptions) {
      const result = await limit(key, limitOptions);
      if (!result.success)
        throw new RateLimitExceededError(
          `rate limit exceeded; retry in ${Math.ceil(result.retryAfterMs / 1000)} s`,
          result,
          result.storeError ? { cause: result.storeError } : {},
        );
      return result;
    },
  };
}
