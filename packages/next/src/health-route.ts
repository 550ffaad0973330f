import { type HealthCheck, jsonResponse, runHealthChecks } from '@relaykit/agent-core';

/** Options of {@link createHealthRoute}. */
export interface HealthRouteOptions {
  /** Named checks (model provider, store, rate-limit store…): resolve when healthy, throw when not. */
  checks: Record<string, HealthCheck>;
  /** Per-check deadline in milliseconds; defaults to 2000. */
  timeoutMs?: number;
}

/**
 * Creates `app/api/health/route.ts`: `export const { GET } = createHealthRoute({ checks })`. Answers 200 when
 * every check passes and 503 otherwise, with `{ status, checks: { name: { ok, latencyMs, error? } }, timestamp }`;
 * `error` is a code, never a message, so no secret can leak.
 */
export function createHealthRoute(options: HealthRouteOptions): {
  GET: (request: Request) => Promise<Response>;
} {
  return {
    GET: async () => {
      const report = await runHealthChecks(
        options.checks,
        options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs },
      );
      return jsonResponse(report, { status: report.status === 'ok' ? 200 : 503 });
    },
  };
}
