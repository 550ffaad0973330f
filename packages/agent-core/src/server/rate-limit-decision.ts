/**
 * One rate-limit decision per request. A route's guard (`createGuardedHandler`, the adapters' `rateLimiter`) that
 * already consulted its limiter for a request marks the request's context; the ChatKit server's own `rateLimiter`
 * then takes that mark instead of charging the user a second time. Contexts are counted (not flagged), so a context
 * object an app shares between requests still gets exactly one decision per request.
 */
const decided = new WeakMap<object, number>();

/** Records that the request carrying `context` was rate-limited already (a non-object context is not marked). */
export function markRateLimitDecided(context: unknown): void {
  if (typeof context !== 'object' || context === null) return;
  decided.set(context, (decided.get(context) ?? 0) + 1);
}

/** Takes one mark of {@link markRateLimitDecided}: true when this request's rate limit was already decided. */
export function takeRateLimitDecision(context: unknown): boolean {
  if (typeof context !== 'object' || context === null) return false;
  const count = decided.get(context);
  if (count === undefined) return false;
  if (count <= 1) decided.delete(context);
  else decided.set(context, count - 1);
  return true;
}
