import {
  type AdapterAuth,
  type AdapterContext,
  type AttachmentUploadHandlerOptions,
  createAttachmentUploadHandler,
  errorResponse,
  type RequestRateLimiter,
  resolveAuthenticator,
  type WaitUntil,
} from '@relaykit/agent-core';
import { rateLimitResponse } from '@relaykit/usage-tracker';
import { nextWaitUntil } from './after';
import type { RouteHandler } from './chatkit-route';

/** Options of {@link createAttachmentUploadRoute}. */
export interface AttachmentUploadRouteOptions<TContext = AdapterContext>
  extends Omit<AttachmentUploadHandlerOptions<TContext>, 'onUnexpectedError'> {
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
 * Creates the upload route of two-phase ChatKit attachments, e.g. `app/api/attachments/[id]/route.ts`:
 * `export const { POST, PUT } = createAttachmentUploadRoute({ server, blobs, auth })`, with
 * `createBlobAttachmentStore({ blobs, uploadUrl: (id) => \`/api/attachments/${id}\` })` on the server. The attachment id
 * is the last path segment (or `?attachment_id=`). Unauthenticated → 401, rate limited → 429, another user's or an
 * unknown attachment → 404, a second upload → 409, size or type unlike the declared ones → 400/413.
 */
export function createAttachmentUploadRoute<TContext = AdapterContext>(
  options: AttachmentUploadRouteOptions<TContext>,
): { POST: RouteHandler; PUT: RouteHandler } {
  const authenticate = resolveAuthenticator(options.auth, 'createAttachmentUploadRoute');
  const { auth: _auth, rateLimiter, context, waitUntil, onUnexpectedError, ...handlerOptions } = options;
  const upload = createAttachmentUploadHandler<TContext>({
    ...handlerOptions,
    ...(onUnexpectedError ? { onUnexpectedError } : {}),
  });
  const after = waitUntil ?? nextWaitUntil;
  const handler: RouteHandler = async (request) => {
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
      return await upload(request, storeContext);
    } catch (error) {
      return errorResponse(error, { onUnexpectedError });
    }
  };
  return { POST: handler, PUT: handler };
}
