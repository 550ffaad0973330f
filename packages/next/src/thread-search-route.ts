import {
  type AdapterAuth,
  type AdapterContext,
  createThreadSearchHandler,
  errorResponse,
  type RequestRateLimiter,
  resolveAuthenticator,
  type ThreadSearchHandlerOptions,
  type WaitUntil,
} from '@relaykit/agent-core';
import { rateLimitResponse } from '@relaykit/usage-tracker';
import { nextWaitUntil } from './after';
import type { RouteHandler } from './chatkit-route';

/** Options of {@link createThreadSearchRoute}. */
export interface ThreadSearchRouteOptions<TContext = AdapterContext>
  extends Omit<ThreadSearchHandlerOptions<TContext>, 'onUnexpectedError'> {
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
 * Creates the thread search route, e.g. `app/api/chatkit/search/route.ts`:
 * `export const { GET } = createThreadSearchRoute({ server, auth })`. `GET ?q=&limit=` answers the caller's threads
 * matching the words, best first, as `{ data: [{ thread, snippet }], has_more }` (`createThreadSearchHandler` of
 * `@relaykit/agent-core` over `store.searchThreads`). Unauthenticated → 401, rate limited → 429, a bad query → 400.
 * `@relaykit/chat-ui` uses it as `api.searchUrl`.
 */
export function createThreadSearchRoute<TContext = AdapterContext>(
  options: ThreadSearchRouteOptions<TContext>,
): { GET: RouteHandler } {
  const authenticate = resolveAuthenticator(options.auth, 'createThreadSearchRoute');
  const { auth: _auth, rateLimiter, context, waitUntil, onUnexpectedError, ...handlerOptions } = options;
  const search = createThreadSearchHandler<TContext>({
    ...handlerOptions,
    ...(onUnexpectedError ? { onUnexpectedError } : {}),
  });
  const after = waitUntil ?? nextWaitUntil;
  const GET: RouteHandler = async (request) => {
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
      return await search(request, storeContext);
    } catch (error) {
      return errorResponse(error, { onUnexpectedError });
    }
  };
  return { GET };
}
