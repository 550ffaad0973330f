/**
 * `@relaykit/agent-core`: agent definitions, routing, model access and the ChatKit server.
 */

export {
  isRelayKitError,
  RelayKitError,
  type RelayKitErrorCode,
  type RelayKitErrorJSON,
} from '@relaykit/sse-protocol';
export {
  type AgentLifecycleHooks,
  type AgentPassThroughOptions,
  type AgentPrompt,
  type BuiltAgent,
  MANAGED_AGENT_OPTIONS,
  type ManagedAgentOption,
  PASSED_THROUGH_AGENT_OPTIONS,
  type PassedThroughAgentOption,
  type RunContextual,
} from './agents/agent-options';
export {
  type AgentDefinition,
  type AgentDefinitionOptions,
  type AgentDependencies,
  type AgentRunContext,
  type AnyAgentDefinition,
  buildAgentRunContext,
  defineAgent,
  parseAgentMetadata,
} from './agents/define-agent';
export { type InstantiateAgentOptions, instantiateAgent } from './agents/instantiate';
export {
  type AgentRegistry,
  type AgentRegistryOptions,
  type AgentRoute,
  createAgentRegistry,
  type RouteInput,
} from './agents/registry';
export { type ParsedSlashCommand, parseSlashCommand, type SlashCommand } from './agents/slash-commands';
export {
  type HistoryConverterOptions,
  threadItemsToAgentInput,
  userMessageText,
} from './history/convert';
export {
  type ChatKitSession,
  type CreateChatKitSessionOptions,
  createChatKitSession,
} from './hosted/chatkit-session';
export {
  type AttachmentUploadHandler,
  type AttachmentUploadHandlerOptions,
  createAttachmentUploadHandler,
} from './http/attachment-upload';
export {
  type AuthenticatedUser,
  bearerToken,
  createBearerAuthenticator,
  createJwtVerifier,
  isUuid,
  type JwtClaimOptions,
  type JwtVerificationOptions,
  type RequestAuthenticator,
} from './http/auth';
export {
  type BodyIssue,
  DEFAULT_MAX_BODY_BYTES,
  parseJsonBody,
  type ReadJsonBodyOptions,
  readBodyText,
  readJsonBody,
  validateBody,
} from './http/body';
export {
  ChatStreamBody,
  type ChatStreamHandlerOptions,
  createChatStreamHandler,
} from './http/chat-stream-handler';
export {
  type DatabaseKind,
  type EnvironmentReader,
  parseRelayKitEnvironment,
  RELAYKIT_ENV_NAMES,
  type RelayKitConfig,
} from './http/config';
export {
  type CorsOptions,
  corsHeaders,
  isOriginAllowed,
  isPreflightRequest,
  preflightResponse,
} from './http/cors';
export {
  createDeferredAuthenticator,
  createDeferredHandler,
  type DeferredAuthenticatorOptions,
  type DeferredHandlerOptions,
} from './http/deferred';
export {
  type ErrorResponseBody,
  type ErrorResponseOptions,
  errorResponse,
  jsonResponse,
  logServerError,
  type ServerErrorInfo,
  withHeaders,
} from './http/errors';
export {
  type AdapterAuth,
  type AdapterContext,
  type ChatKitServerLike,
  createGuardedHandler,
  type GuardedHandlerOptions,
  type RequestRateLimiter,
  resolveAuthenticator,
  resolveServer,
  type ServerOrHandler,
  type WaitUntil,
} from './http/guard';
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
} from './http/health';
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
} from './http/images';
export type {
  ImageBatchCounts,
  ImageBatchEvents,
  ImageBatchItemJSON,
} from './http/images-batch';
export {
  GenerateImageBody,
  ImageBatchBody,
  ImageBatchItem,
  ImageQuality,
  ImageSize,
} from './http/images-body';
export { newRequestId, REQUEST_ID_HEADER, requestIdOf } from './http/request-id';
export {
  createThreadSearchHandler,
  type ThreadSearchHandlerOptions,
  type ThreadSearchResponse,
} from './http/thread-search';
export {
  createUsageHandler,
  parseUsageRange,
  type RateLimitStatus,
  type RecentError,
  rateLimitStatusOf,
  type UsageHandlerOptions,
  type UsageReport,
} from './http/usage';
export {
  type AiSdkGenerateResult,
  type AiSdkLanguageModel,
  type AiSdkModelAccessOptions,
  type AiSdkModelOptions,
  type AiSdkStreamPart,
  aiSdkModel,
  aiSdkModelProvider,
  createAiSdkModelAccess,
} from './models/ai-sdk-model';
export {
  createModelAccess,
  type ModelAccess,
  type ModelAccessOptions,
  type ModelApi,
} from './models/model-access';
export {
  type ComplexityModelPolicyOptions,
  complexityModelPolicy,
  fixedModelPolicy,
  type ModelChoice,
  type ModelChoiceInput,
  type ModelPolicy,
} from './models/model-policy';
export { toRelayKitError } from './models/provider-errors';
export {
  DEFAULT_MODEL_STREAM_TIMEOUTS,
  type ModelStreamTimeouts,
  modelStreamTimeoutError,
  withModelStreamTimeouts,
} from './models/stream-timeouts';
export {
  type ChatKitAgentsOptions,
  createAgentsRespond,
  THREAD_AGENT_METADATA_KEY,
  THREAD_LAST_RUN_KEY,
  type ToolCallTelemetry,
  validateAgentRoute,
} from './server/agents-respond';
export { applyItemUpdate } from './server/apply-update';
export {
  type BlobAttachmentMetadata,
  type BlobAttachmentStoreOptions,
  createBlobAttachmentStore,
  DEFAULT_ATTACHMENT_MAX_BYTES,
  isMimeTypeAllowed,
} from './server/attachments';
export { type ChatStreamRequest, type ChatStreamResult, createChatStream } from './server/chat-stream';
export {
  CHAT_STREAM_CANCELLED,
  type ResumeChatStreamOptions,
  resumeChatStream,
  type StopChatStreamResult,
  stopChatStream,
} from './server/chat-stream-resumable';
export { createChatKitServer } from './server/chatkit-server';
export type { ToolProgressEvent, ToolProgressOption } from './server/tool-progress';
export {
  createOpenAITranscriber,
  DEFAULT_TRANSCRIPTION_MODEL,
  MAX_TRANSCRIPTION_BODY_BYTES,
  MAX_TRANSCRIPTION_BYTES,
  type OpenAITranscriberOptions,
  TRANSCRIPTION_MEDIA_TYPES,
  type Transcriber,
  type TranscriptionClient,
} from './server/transcribe';
export {
  type AttachmentStore,
  CANCELLED_STREAM_CONTEXT,
  type ChatKitAction,
  type ChatKitHandlerEvents,
  type ChatKitProcessOptions,
  type ChatKitRateLimiter,
  type ChatKitRespond,
  type ChatKitRunInfo,
  type ChatKitServer,
  type ChatKitServerOptions,
  type ChatKitSyncAction,
  DEFAULT_PAGE_SIZE,
  INCOMPLETE_REPLY_CONTEXT,
  type TranscriptionInput,
} from './server/types';
