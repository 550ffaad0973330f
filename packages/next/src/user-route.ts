import {
  type AdapterAuth,
  type AdapterContext,
  errorResponse,
  REQUEST_ID_HEADER,
  type RequestRateLimiter,
  rateLimitDenial,
  requestIdOf,
  resolveAuthenticator,
  type WaitUntil,
  withHeaders,
} from '@relaykit/agent-core/http';
import { nextWaitUntil } from './after';
import type { RouteHandler } from './chatkit-route';

/** What a route for a signed-in user takes besides its handler (upload, search). */
export interface UserRouteOptions<TContext = AdapterContext> {
  /** Bearer JWT verification (`{ jwtSecret }`, `{ jwksUrl }`) or a custom authenticator. Required. */
  auth: AdapterAuth;
  /** Per-user rate limiter (`createRateLimiter()` from `@relaykit/usage-tracker`); 429 when denied. */
  rateLimiter?: RequestRateLimiter;
  /** Builds the store's context from the authenticated user (defaults to `{ userId, role, claims, accessToken, waitUntil }`). */
  context?: (context: AdapterContext, request: Request) => TContext | Promise<TContext>;
  /** Work after the response. Default: Next's `after()`. */
  waitUntil?: WaitUntil;
  /** Called with unexpected errors (answered as a generic 500); log them here. */
  onUnexpectedError?: (error: unknown) => void;
}

/**
 * A route handler that authenticates (401), rate-limits per user (429), builds the caller's context (with the
 * request id) and hands the request to `handle`; every error becomes a JSON answer through `errorResponse`. Every
 * answer carries the request id in `x-request-id`, an error also in its body (`error.requestId`).
 */
export function userRoute<TContext>(
  factory: string,
  options: UserRouteOptions<TContext>,
  handle: (request: Request, context: TContext) => Promise<Response>,
): RouteHandler {
  const authenticate = resolveAuthenticator(options.auth, factory);
  const after = options.waitUntil ?? nextWaitUntil;
  const { rateLimiter, context, onUnexpectedError } = options;
  return async (request) => {
    const requestId = requestIdOf(request);
    try {
      const user = await authenticate(request);
      if (rateLimiter) {
        const result = await rateLimiter.limit(user.userId);
        if (!result.success) throw rateLimitDenial(result);
      }
      const adapterContext: AdapterContext = { ...user, waitUntil: after, requestId };
      const storeContext = context
        ? await context(adapterContext, request)
        : (adapterContext as unknown as TContext);
      return withHeaders(await handle(request, storeContext), { [REQUEST_ID_HEADER]: requestId });
    } catch (error) {
      return errorResponse(error, { requestId, ...(onUnexpectedError ? { onUnexpectedError } : {}) });
    }
  };
}
