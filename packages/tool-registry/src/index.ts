/**
 * `@relaykit/tool-registry`: zod-defined tools, policies, execution with timeouts and hooks, and conversion to
 * OpenAI function tools and ChatKit client tools. Agents SDK tools live in `@relaykit/tool-registry/agents`; the
 * Postgres tool pack and SQL guard in `@relaykit/tool-registry/postgres`.
 */
export {
  type ClientToolCallItem,
  type ClientToolCallItemOptions,
  clientToolNames,
  createClientToolCallItem,
  isClientTool,
  markClientTool,
  parseClientToolCall,
} from './chatkit';
export {
  type AnyToolDefinition,
  type ClientToolOptions,
  defineClientTool,
  defineTool,
  TOOL_RISKS,
  type ToolApprovalOption,
  type ToolContext,
  type ToolDefinition,
  type ToolExecutionContext,
  type ToolOptions,
  type ToolOutputOf,
  type ToolRisk,
} from './define-tool';
export {
  ConfigurationError,
  isRelayKitError,
  RelayKitError,
  type RelayKitErrorCode,
  RequestError,
  StoreError,
  type ToolErrorBody,
  toToolErrorBody,
} from './errors';
export { type JsonSchema, type ToolParametersSchema, toolParametersSchema } from './json-schema';
export {
  type ChatCompletionsFunctionTool,
  type ResponsesFunctionTool,
  toChatCompletionsTool,
  toResponsesTool,
} from './openai';
export {
  type ClientToolCall,
  createToolRegistry,
  type FeatureFlagCheck,
  type ToolCallEnd,
  type ToolCallIds,
  type ToolCallOptions,
  type ToolCallOutcome,
  type ToolCallStart,
  type ToolDenial,
  type ToolHooks,
  type ToolPolicy,
  type ToolRegistry,
  type ToolRegistryOptions,
  type ToolResult,
} from './registry';
