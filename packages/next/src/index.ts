/**
 * `@relaykit/next`: Next.js App Router route handlers for RelayKit. Routes are plain
 * `(request: Request) => Promise<Response>` functions; auth, body limits, rate limits and the error → status
 * mapping come from the shared glue in `@relaykit/agent-core`.
 */
export type {
  AdapterContext,
  AuthenticatedUser,
  DatabaseKind,
  JwtVerificationOptions,
  RelayKitConfig,
  RequestAuthenticator,
  WaitUntil,
} from '@relaykit/agent-core/http';
export {
  isRelayKitError,
  RelayKitError,
  type RelayKitErrorCode,
  type RelayKitErrorJSON,
} from '@relaykit/sse-protocol';
export { createNextWaitUntil, type NextAfter, nextWaitUntil } from './after';
export { type AttachmentUploadRouteOptions, createAttachmentUploadRoute } from './attachment-upload-route';
export {
  type ChatStreamRoute,
  type ChatStreamRouteOptions,
  createChatStreamRoute,
} from './chat-stream-route';
export { type ChatKitRouteOptions, createChatKitRoute, type RouteHandler } from './chatkit-route';
export {
  createEnvironmentAuthenticator,
  type EnvironmentAuthenticatorOptions,
  MISSING_AUTH_MESSAGE,
  readRelayKitConfig,
} from './config';
export { createHealthRoute, type HealthRouteOptions } from './health-route';
export { createImageRoutes, type ImageRoutesOptions } from './image-routes';
export { createThreadSearchRoute, type ThreadSearchRouteOptions } from './thread-search-route';
export { createUsageRoute, type UsageRouteOptions } from './usage-route';
