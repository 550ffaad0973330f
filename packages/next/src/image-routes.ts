import { createImageHandlers, type ImageHandlersOptions } from '@relaykit/agent-core/http';
import { nextWaitUntil } from './after';
import type { RouteHandler } from './chatkit-route';

/**
 * Options of {@link createImageRoutes}: those of `createImageHandlers` from `@relaykit/agent-core`; `waitUntil`
 * defaults to Next's `after()` (fire-and-forget outside a request scope).
 */
export type ImageRoutesOptions = ImageHandlersOptions;

/**
 * Creates the image routes: `export const { POST } = createImageRoutes(options).generate` in
 * `app/api/images/route.ts` and `.batch` in `app/api/images/batch/route.ts`. `generate` answers
 * `{ image, usage }`; `batch` streams `start`, `progress` (one per item state change), `done` or `error` as SSE.
 * Errors: 400 (zod issues), 401, 413, 429 with `Retry-After`, provider errors; all through `errorResponse`.
 */
export function createImageRoutes(options: ImageRoutesOptions): {
  generate: { POST: RouteHandler };
  batch: { POST: RouteHandler };
} {
  const handlers = createImageHandlers({ ...options, waitUntil: options.waitUntil ?? nextWaitUntil });
  return { generate: { POST: handlers.generate }, batch: { POST: handlers.batch } };
}
