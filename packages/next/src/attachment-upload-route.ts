import {
  type AdapterContext,
  type AttachmentUploadHandlerOptions,
  createAttachmentUploadHandler,
} from '@relaykit/agent-core/http';
import type { RouteHandler } from './chatkit-route';
import { type UserRouteOptions, userRoute } from './user-route';

/** Options of {@link createAttachmentUploadRoute}. */
export interface AttachmentUploadRouteOptions<TContext = AdapterContext>
  extends Omit<AttachmentUploadHandlerOptions<TContext>, 'onUnexpectedError'>,
    UserRouteOptions<TContext> {}

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
  const { auth, rateLimiter, context, waitUntil, onUnexpectedError, ...handlerOptions } = options;
  const upload = createAttachmentUploadHandler<TContext>({
    ...handlerOptions,
    ...(onUnexpectedError ? { onUnexpectedError } : {}),
  });
  const handler = userRoute('createAttachmentUploadRoute', options, upload);
  return { POST: handler, PUT: handler };
}
