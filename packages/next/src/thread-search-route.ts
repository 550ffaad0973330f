import {
  type AdapterContext,
  createThreadSearchHandler,
  type ThreadSearchHandlerOptions,
} from '@relaykit/agent-core/http';
import type { RouteHandler } from './chatkit-route';
import { type UserRouteOptions, userRoute } from './user-route';

/** Options of {@link createThreadSearchRoute}. */
export interface ThreadSearchRouteOptions<TContext = AdapterContext>
  extends Omit<ThreadSearchHandlerOptions<TContext>, 'onUnexpectedError'>,
    UserRouteOptions<TContext> {}

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
  const { auth, rateLimiter, context, waitUntil, onUnexpectedError, ...handlerOptions } = options;
  const search = createThreadSearchHandler<TContext>({
    ...handlerOptions,
    ...(onUnexpectedError ? { onUnexpectedError } : {}),
  });
  return { GET: userRoute('createThreadSearchRoute', options, search) };
}
