/**
 * `@relaykit/agent-core`: agent definitions, routing, model access and (as it lands) the ChatKit server.
 */

export {
  isRelayKitError,
  RelayKitError,
  type RelayKitErrorCode,
  type RelayKitErrorJSON,
} from '@relaykit/sse-protocol';
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
  type ChatKitSession,
  type CreateChatKitSessionOptions,
  createChatKitSession,
} from './hosted/chatkit-session';
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
