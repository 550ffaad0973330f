import type { RateLimitDecision, RateLimitRequest } from '../ports';

/** The state a key keeps between decisions (the same fields as the SQL table and the Redis hash). */
export interface RateLimitState {
  algorithm: string;
  windowId?: number;
  used?: number;
  previousUsed?: number;
  tokens?: number;
  refilledAtMs?: number;
  expiresAtMs: number;
}

/**
 * The reference decision, in plain TypeScript, for the memory driver. The SQL function `usage_rate_limit` and the
 * Redis Lua script implement exactly these rules; the shared contract suite keeps the three equal.
 */
export function decide(
  state: RateLimitState | undefined,
  request: RateLimitRequest,
  nowMs: number,
): { state: RateLimitState; decision: RateLimitDecision } {
  const { algorithm, limit, windowMs, cost } = request;
  const same = state?.algorithm === algorithm ? state : undefined;
  let success: boolean;
  let remaining: number;
  let reset: number;
  let retryAfterMs = 0;
  let next: RateLimitState;

  if (algorithm === 'fixed_window') {
    const windowId = Math.floor(nowMs / windowMs);
    let used = same?.windowId === windowId ? (same.used ?? 0) : 0;
    success = used + cost <= limit;
    if (success) used += cost;
    remaining = Math.max(limit - used, 0);
    reset = (windowId + 1) * windowMs;
    if (!success) retryAfterMs = reset - nowMs;
    next = { algorithm, windowId, used, expiresAtMs: reset };
  } else if (algorithm === 'sliding_window') {
    const windowId = Math.floor(nowMs / windowMs);
    const elapsed = nowMs - windowId * windowMs;
    let used = 0;
    let previous = 0;
    if (same?.windowId === windowId) {
      used = same.used ?? 0;
      previous = same.previousUsed ?? 0;
    } else if (same?.windowId === windowId - 1) previous = same.used ?? 0;
    success = previous * (windowMs - elapsed) + (used + cost) * windowMs <= limit * windowMs;
    if (success) used += cost;
    remaining = Math.max(
      Math.floor((limit * windowMs - previous * (windowMs - elapsed) - used * windowMs) / windowMs),
      0,
    );
    reset = (windowId + 1) * windowMs;
    if (!success) {
      if (used + cost <= limit && previous > 0) {
        const needed = Math.ceil(windowMs - ((limit - used - cost) * windowMs) / previous);
        retryAfterMs = Math.max(needed - elapsed, 1);
      } else retryAfterMs = reset - nowMs;
    }
    next = { algorithm, windowId, used, previousUsed: previous, expiresAtMs: reset + windowMs };
  } else {
    const refillRate = request.refillRate ?? 1;
    let tokens: number;
    let refilledAtMs: number;
    if (same?.tokens !== undefined && same.refilledAtMs !== undefined) {
      const intervals = Math.max(Math.floor((nowMs - same.refilledAtMs) / windowMs), 0);
      tokens = Math.min(limit, same.tokens + intervals * refillRate);
      refilledAtMs = same.refilledAtMs + intervals * windowMs;
      if (tokens === limit) refilledAtMs = Math.max(refilledAtMs, nowMs - windowMs + 1);
    } else {
      tokens = limit;
      refilledAtMs = nowMs;
    }
    success = tokens >= cost;
    if (success) tokens -= cost;
    remaining = tokens;
    reset = refilledAtMs + windowMs;
    if (!success)
      retryAfterMs = Math.max(refilledAtMs + Math.ceil((cost - tokens) / refillRate) * windowMs - nowMs, 1);
    next = {
      algorithm,
      tokens,
      refilledAtMs,
      expiresAtMs: refilledAtMs + (Math.ceil((limit - tokens) / refillRate) + 1) * windowMs,
    };
  }
  return { state: next, decision: { success, limit, remaining, reset, retryAfterMs, nowMs } };
}
