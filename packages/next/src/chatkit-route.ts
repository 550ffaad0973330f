import {
  type AdapterAuth,
  type AdapterContext,
  createGuardedHandler,
  type RequestRateLimiter,
  resolveAuthenticator,
  resolveServer,
  type ServerOrHandler,
  type WaitUntil,
} from '@relaykit/agent-core/http';
import { nextWaitUntil } from './after';

/** An App Router route handler: what `export const POST = ...` in `app/api/.../route.ts` must be. */
export type RouteHandler = (request: Request) => Promise<Response>;

/** Options of {@link createChatKitRoute}. */
export interface ChatKitRouteOptions<TContext = AdapterContext> extends ServerOrHandler<TContext> {
  /** Bearer JWT verification (`{ jwtSecret }`, `{ jwksUrl }`) or a custom authenticator. Required. */
  auth: AdapterAuth;
  /** Largest accepted JSON body in bytes; defaults to 1 MiB (413 above). */
  maxBodyBytes?: number;
  /** Per-user rate limiter (`createRateLimiter()` from `@relaykit/usage-tracker`); 429 when denied. */
  rateLimiter?: RequestRateLimiter;
  /** Builds the server's context from the authenticated user (defaults to `{ userId, role, claims, accessToken, waitUntil }`). */
  context?: (context: AdapterContext, request: Request) => TContext | Promise<TContext>;
  /** Work after the response. Default: Next's `after()` in a request scope, fire-and-forget outside one. */
  waitUntil?: WaitUntil;
  /** Called with unexpected errors (answered as a generic 500); log them here. */
  onUnexpectedError?: (error: unknown) => void;
}

/**
 * Creates the ChatKit route for `app/api/chatkit/route.ts`: `export const { POST } = createChatKitRoute(...)`.
 * Unauthenticated → 401, over the body cap → 413, bad JSON → 400, rate limited → 429 with `Retry-After`;
 * everything else is the server's answer, errors mapped by `errorResponse`.
 */
export function createChatKitRoute<TContext = AdapterContext>(
  options: ChatKitRouteOptions<TContext>,
): { POST: RouteHandler } {
  const server = resolveServer(options, 'createChatKitRoute');
  const POST = createGuardedHandler<TContext>({
    server,
    authenticate: resolveAuthenticator(options.auth, 'createChatKitRoute'),
    ...(options.context ? { context: options.context } : {}),
    ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
    ...(options.rateLimiter ? { rateLimiter: options.rateLimiter } : {}),
    waitUntil: options.waitUntil ?? nextWaitUntil,
    ...(options.onUnexpectedError ? { onUnexpectedError: options.onUnexpectedError } : {}),
  });
  return { POST };
}
