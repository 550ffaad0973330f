export {
  type AgentsModelResponse,
  type AgentsResponseUsage,
  type AgentsRunSource,
  type AgentsRunStreamEvent,
  type AgentsRunTranslationOptions,
  type AgentsRunTranslator,
  agentsRunToChatKit,
  createAgentsRunTranslator,
  isGuardrailTripwire,
} from './agents';
export {
  type ChatCompletionsStreamChunk,
  type ChatCompletionsToolCall,
  type ChatCompletionsTranslationOptions,
  type CompletedChatCompletion,
  chatCompletionsToChatKit,
} from './chat-completions';
export type {
  ChatKitTranslationOptions,
  CompletedResponse,
  GeneratedIdKind,
  GeneratedImageBytes,
  GeneratedImageUrl,
} from './options';
export {
  convertAnnotation,
  createResponsesTranslator,
  type ResponsesStreamEvent,
  type ResponsesTranslator,
  responsesToChatKit,
  withImageUrl,
} from './responses';
export { type ChatKitToSimpleStreamOptions, chatKitToSimpleStream, toSimpleUsage } from './simple';
