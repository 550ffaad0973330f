/**
 * `@relaykit/agent-core/http`: the framework-free HTTP layer both adapters share — the request guard (auth, rate
 * limit, body cap, one JSON parse), JWT/JWKS auth, CORS, body caps, environment config, error → `Response`, the one
 * function that turns a ChatKit answer into a `Response` (`chatKitResponse`), `createChatKitServer` (the core with
 * its HTTP face), the simple chat stream endpoint, and the image, usage, health, search and upload handlers. The
 * ChatKit server's core (`src/server`) never imports this layer. Everything here is also exported by the root entry.
 */

export {
  type AttachmentUploadHandler,
  type AttachmentUploadHandlerOptions,
  createAttachmentUploadHandler,
} from './attachment-upload';
export {
  type AuthenticatedUser,
  bearerToken,
  createBearerAuthenticator,
  createJwtVerifier,
  isUuid,
  type JwtClaimOptions,
  type JwtVerificationOptions,
  type RequestAuthenticator,
} from './auth';
export {
  type BodyIssue,
  DEFAULT_MAX_BODY_BYTES,
  parseJsonBody,
  type ReadJsonBodyOptions,
  readBodyText,
  readJsonBody,
  validateBody,
} from './body';
export { createChatStream } from './chat-stream';
export {
  ChatStreamBody,
  type ChatStreamHandlerOptions,
  createChatStreamHandler,
} from './chat-stream-handler';
export { type ChatKitResponseOptions, chatKitResponse } from './chatkit-response';
export { createChatKitServer } from './chatkit-server';
export {
  type DatabaseKind,
  type EnvironmentReader,
  parseRelayKitEnvironment,
  RELAYKIT_ENV_NAMES,
  type RelayKitConfig,
} from './config';
export {
  type CorsOptions,
  corsHeaders,
  isOriginAllowed,
  isPreflightRequest,
  preflightResponse,
} from './cors';
export {
  createDeferredAuthenticator,
  createDeferredHandler,
  type DeferredAuthenticatorOptions,
  type DeferredHandlerOptions,
} from './deferred';
export {
  type ErrorResponseBody,
  type ErrorResponseOptions,
  errorResponse,
  jsonResponse,
  logServerError,
  type ServerErrorInfo,
  withHeaders,
} from './errors';
export {
  type AdapterAuth,
  type AdapterContext,
  type ChatKitServerLike,
  createGuardedHandler,
  type GuardedHandlerOptions,
  type RequestRateLimiter,
  rateLimitDenial,
  resolveAuthenticator,
  resolveServer,
  type ServerOrHandler,
  type WaitUntil,
} from './guard';
export {
  createHealthHandler,
  type HealthCheck,
  type HealthCheckOptions,
  type HealthCheckResult,
  type HealthHandlerOptions,
  type HealthReport,
  type OpenAIHealthCheckOptions,
  openAIHealthCheck,
  runHealthChecks,
} from './health';
export {
  createImageHandlers,
  createImageServers,
  type GenerateImageResponse,
  type ImageHandlers,
  type ImageHandlersOptions,
  type ImageJSON,
  type ImageServerOptions,
  type ImageServers,
  type ImageUsageJSON,
} from './images';
export type {
  ImageBatchCounts,
  ImageBatchEvents,
  ImageBatchItemJSON,
} from './images-batch';
export {
  GenerateImageBody,
  ImageBatchBody,
  ImageBatchItem,
  ImageQuality,
  ImageSize,
} from './images-body';
export { newRequestId, REQUEST_ID_HEADER, requestIdOf } from './request-id';
export {
  createThreadSearchHandler,
  type ThreadSearchHandlerOptions,
  type ThreadSearchResponse,
} from './thread-search';
export {
  createUsageHandler,
  parseUsageRange,
  type RateLimitStatus,
  type RecentError,
  type RecentErrorReport,
  rateLimitStatusOf,
  type UsageHandlerOptions,
  type UsageReport,
} from './usage';
