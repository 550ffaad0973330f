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
  type AgentTool,
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
// The HTTP layer, also its own entry (`@relaykit/agent-core/http`).
export * from './http/index';
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
  type AgentsResponder,
  type AgentsRunOptions,
  type ChatKitAgentsOptions,
  createAgentsRespond,
  createAgentsResponder,
  THREAD_AGENT_METADATA_KEY,
  THREAD_LAST_RUN_KEY,
  type ToolCallTelemetry,
  validateAgentRoute,
} from './server/agents-respond';
export { applyItemUpdate } from './server/apply-update';
export {
  PAUSED_RUN_CONTENT_TYPE,
  type PausedRun,
  type PausedRunApproval,
  pausedRunOf,
  type ResumeProgress,
} from './server/approvals';
export {
  type BlobAttachmentMetadata,
  type BlobAttachmentStoreOptions,
  createBlobAttachmentStore,
  DEFAULT_ATTACHMENT_MAX_BYTES,
  isMimeTypeAllowed,
} from './server/attachments';
export type { ChatStreamApproval, ChatStreamRequest, ChatStreamResult } from './server/chat-stream';
export {
  CHAT_STREAM_CANCELLED,
  type ResumeChatStreamOptions,
  resumeChatStream,
  type StopChatStreamResult,
  stopChatStream,
} from './server/chat-stream-resumable';
export { createChatKitCore } from './server/chatkit-core';
export {
  createOpenAIRespond,
  type OpenAIChatCompletionsParams,
  type OpenAIChatCompletionsRespondOptions,
  type OpenAIRequestOptions,
  type OpenAIRespondOptions,
  type OpenAIRespondParams,
  type OpenAIRespondTurn,
  type OpenAIResponsesParams,
  type OpenAIResponsesRespondOptions,
} from './server/openai-respond';
export { runErrorOf } from './server/pipeline';
export type { RelayKitRunContext, RelayKitToolRunContext } from './server/run-context';
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
  type ChatKitCore,
  type ChatKitHandlerEvents,
  type ChatKitJsonResult,
  type ChatKitProcessOptions,
  type ChatKitRateLimiter,
  type ChatKitRespond,
  type ChatKitResult,
  type ChatKitRunInfo,
  type ChatKitServer,
  type ChatKitServerOptions,
  type ChatKitStreamResult,
  type ChatKitSyncAction,
  DEFAULT_PAGE_SIZE,
  INCOMPLETE_REPLY_CONTEXT,
  type TranscriptionInput,
} from './server/types';
