import {
  type AdapterAuth,
  type AdapterContext,
  errorResponse,
  type RequestRateLimiter,
  resolveAuthenticator,
  type WaitUntil,
} from '@relaykit/agent-core/http';
import { rateLimitResponse } from '@relaykit/usage-tracker';
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
 * A route handler that authenticates (401), rate-limits per user (429), builds the caller's context and hands the
 * request to `handle`; every error becomes a JSON answer through `errorResponse`.
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
    try {
      const user = await authenticate(request);
      if (rateLimiter) {
        const result = await rateLimiter.limit(user.userId);
        if (!result.success) return rateLimitResponse(result);
      }
      const adapterContext: AdapterContext = { ...user, waitUntil: after };
      const storeContext = context
        ? await context(adapterContext, request)
        : (adapterContext as unknown as TContext);
      return await handle(request, storeContext);
    } catch (error) {
      return errorResponse(error, { onUnexpectedError });
    }
  };
}
