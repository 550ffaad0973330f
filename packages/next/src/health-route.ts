import { createHealthHandler, type HealthHandlerOptions } from '@relaykit/agent-core/http';

/** Options of {@link createHealthRoute}: the checks, their deadline, and who may see per-check details. */
export type HealthRouteOptions = HealthHandlerOptions;

/**
 * Creates `app/api/health/route.ts`: `export const { GET } = createHealthRoute({ checks })`. Answers 200 when every
 * check passes and 503 otherwise. The public sees only `{ status }` (`ok`, `degraded`, `down`); a request that
 * `detailsFor` accepts (e.g. a signed-in user) or that carries `Authorization: Bearer <detailsToken>` also gets
 * `{ checks: { name: { ok, latencyMs, error? } }, timestamp }`, where `error` is a code, never a message.
 */
export function createHealthRoute(options: HealthRouteOptions): {
  GET: (request: Request) => Promise<Response>;
} {
  return { GET: createHealthHandler(options) };
}
