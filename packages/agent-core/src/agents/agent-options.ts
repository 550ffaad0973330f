import type {
  Agent,
  AgentConfiguration,
  AgentHookEvents,
  AgentOutputType,
  InputGuardrail,
  MCPServer,
  ModelSettings,
  OutputGuardrail,
  ToolUseBehavior,
} from '@openai/agents';
import type { AgentRunContext } from './define-agent';

/**
 * The `@openai/agents` `Agent` options RelayKit computes for every run, so a definition cannot set them directly:
 * `name` (= the definition's `type`), `handoffDescription` (= `description`), `instructions` and `tools` (resolved
 * from the run context), `handoffs` (built from the registry by agent type) and `model` (the model policy's choice;
 * a definition's `model` is its default). Use `configure` to change them on the built `Agent` anyway.
 */
export const MANAGED_AGENT_OPTIONS = [
  'name',
  'handoffDescription',
  'instructions',
  'tools',
  'handoffs',
  'model',
] as const;
/** An SDK `Agent` option RelayKit computes (see {@link MANAGED_AGENT_OPTIONS}). */
export type ManagedAgentOption = (typeof MANAGED_AGENT_OPTIONS)[number];

/** Passed-through options that may also be a function of the run context (resolved once per run). */
const CONTEXTUAL_AGENT_OPTIONS = [
  'modelSettings',
  'prompt',
  'mcpServers',
  'mcpConfig',
  'inputGuardrails',
  'outputGuardrails',
] as const;

/**
 * The `@openai/agents` `Agent` options a definition passes to `new Agent()` untouched (same name, same meaning).
 * `modelSettings`, `prompt`, `mcpServers`, `mcpConfig`, `inputGuardrails` and `outputGuardrails` may also be a function
 * of the run context (resolved once per run, when the agent is built); `outputType`, `toolUseBehavior`,
 * `resetToolChoice` and `handoffOutputTypeWarningEnabled` are static (an SDK function value, such as a
 * `toolUseBehavior` function, is passed as it is). A type test keeps this list and {@link MANAGED_AGENT_OPTIONS}
 * equal to the SDK's `AgentConfiguration` keys, so a new SDK option cannot be dropped silently.
 */
export const PASSED_THROUGH_AGENT_OPTIONS = [
  ...CONTEXTUAL_AGENT_OPTIONS,
  'outputType',
  'toolUseBehavior',
  'resetToolChoice',
  'handoffOutputTypeWarningEnabled',
] as const;
/** An SDK `Agent` option a definition passes through (see {@link PASSED_THROUGH_AGENT_OPTIONS}). */
export type PassedThroughAgentOption = (typeof PASSED_THROUGH_AGENT_OPTIONS)[number];

/** The SDK's agent configuration, as RelayKit builds it (any context, any output type). */
export type SdkAgentConfiguration = AgentConfiguration<unknown, AgentOutputType>;

/** A static prompt-template reference of the Responses API (`{ promptId, version?, variables? }`). */
export type AgentPrompt = Exclude<
  NonNullable<SdkAgentConfiguration['prompt']>,
  // biome-ignore lint/suspicious/noExplicitAny: strips the SDK's function form, whatever its arguments
  (...args: any[]) => any
>;

/** A value, or a function of the run context returning it (called once per run, when the agent is built). */
export type RunContextual<T, TMetadata, TData> =
  | T
  | ((context: AgentRunContext<TMetadata, TData>) => T | Promise<T>);

/** Listeners of the SDK agent's lifecycle events (`agent_start`, `agent_end`, `agent_handoff`, `agent_tool_*`). */
export type AgentLifecycleHooks = {
  [K in keyof AgentHookEvents<unknown, AgentOutputType>]?: (
    ...args: AgentHookEvents<unknown, AgentOutputType>[K]
  ) => void;
};

/** The SDK `Agent` a definition builds, whatever its output type. */
export type BuiltAgent = Agent<unknown, AgentOutputType>;

/**
 * The `@openai/agents` options a definition passes through (see {@link PASSED_THROUGH_AGENT_OPTIONS}), plus lifecycle
 * `hooks` and the `configure` escape hatch. Every option keeps the SDK's meaning and default.
 */
export interface AgentPassThroughOptions<TMetadata, TData> {
  /** Model settings (temperature, `reasoning: { effort }`, `toolChoice`, `providerData`, ...). */
  modelSettings?: RunContextual<ModelSettings, TMetadata, TData>;
  /** A stored prompt template (Responses API only). For the SDK's per-turn function form, set it in `configure`. */
  prompt?: RunContextual<AgentPrompt, TMetadata, TData>;
  /**
   * Local MCP servers (`MCPServerStdio`, `MCPServerStreamableHttp`, `MCPServerSSE` or your own `MCPServer`). RelayKit
   * never connects or closes them: connect long-lived servers once when the app starts (`await server.connect()` or
   * `connectMcpServers`) and close them when it stops. Hosted MCP tools (`hostedMcpTool`) go in `tools`.
   */
  mcpServers?: RunContextual<MCPServer[], TMetadata, TData>;
  /** How MCP tools are exposed (`convertSchemasToStrict`, `errorFunction`, `includeServerInToolNames`). */
  mcpConfig?: RunContextual<SdkAgentConfiguration['mcpConfig'], TMetadata, TData>;
  /** Input guardrails (run when this agent is the first of the run). */
  inputGuardrails?: RunContextual<InputGuardrail[], TMetadata, TData>;
  /** Output guardrails (run on this agent's final output). */
  outputGuardrails?: RunContextual<OutputGuardrail<AgentOutputType, unknown>[], TMetadata, TData>;
  /** Structured output: a zod object, a JSON schema definition or `'text'` (default). */
  outputType?: AgentOutputType;
  /** `run_llm_again` (default), `stop_on_first_tool`, `{ stopAtToolNames }` or an SDK `ToolToFinalOutputFunction`. */
  toolUseBehavior?: ToolUseBehavior;
  /** Reset the tool choice after a tool call (SDK default `true`). */
  resetToolChoice?: boolean;
  /** Warn when handoff targets declare different output types (SDK default). */
  handoffOutputTypeWarningEnabled?: boolean;
  /** Lifecycle listeners, attached with `agent.on(event, listener)` to the agent built for each run (after `configure`). */
  hooks?: AgentLifecycleHooks;
  /**
   * Escape hatch: called with the built `Agent` (all options applied) and the run context. Change it in place, or
   * return another agent (e.g. `agent.clone({ ... })`) to use instead; `hooks` are attached to the agent it returns.
   * Runs for handoff targets too.
   */
  configure?: (
    agent: BuiltAgent,
    context: AgentRunContext<TMetadata, TData>,
  ) => BuiltAgent | undefined | Promise<BuiltAgent | undefined>;
}

/**
 * The passed-through SDK options of a definition for one run: contextual options resolved with `context`, options the
 * definition leaves unset left out (so the SDK's defaults apply).
 */
export async function resolvePassThroughOptions<TMetadata, TData>(
  definition: AgentPassThroughOptions<TMetadata, TData>,
  context: AgentRunContext<TMetadata, TData>,
): Promise<Partial<Pick<SdkAgentConfiguration, PassedThroughAgentOption>>> {
  const resolved: Record<string, unknown> = {};
  for (const key of PASSED_THROUGH_AGENT_OPTIONS) {
    const value: unknown = definition[key];
    if (value === undefined) continue;
    resolved[key] =
      typeof value === 'function' && (CONTEXTUAL_AGENT_OPTIONS as readonly string[]).includes(key)
        ? await (value as (context: AgentRunContext<TMetadata, TData>) => unknown)(context)
        : value;
  }
  return resolved as Partial<Pick<SdkAgentConfiguration, PassedThroughAgentOption>>;
}

/** Runs the definition's `configure` hook, then attaches its lifecycle hooks to the agent to use, and returns it. */
export async function finishAgent<TMetadata, TData>(
  agent: BuiltAgent,
  definition: AgentPassThroughOptions<TMetadata, TData>,
  context: AgentRunContext<TMetadata, TData>,
): Promise<BuiltAgent> {
  const finished = (await definition.configure?.(agent, context)) ?? agent;
  for (const [event, listener] of Object.entries(definition.hooks ?? {})) {
    if (typeof listener === 'function')
      finished.on(event as keyof AgentHookEvents, listener as (...args: unknown[]) => void);
  }
  return finished;
}
