/**
 * `@relaykit/tool-registry/agents`: registry tools as `@openai/agents` function tools.
 */
import { type FunctionTool, ModelBehaviorError, type RunContext, tool } from '@openai/agents';
import { ConfigurationError } from '@relaykit/sse-protocol';
import { markClientTool } from './chatkit';
import type { ToolContext } from './define-tool';
import { toolParametersSchema } from './json-schema';
import type { ToolRegistry } from './registry';

/** Options of {@link toAgentsTool} and {@link toAgentsTools}. */
export interface AgentsToolOptions {
  /**
   * Reads the caller from the run context (default: `runContext.context` when it is an object). Policies, flags,
   * approvals and hooks see what this returns.
   */
  context?: (runContext: RunContext<unknown> | undefined) => ToolContext;
}

function defaultContext(runContext: RunContext<unknown> | undefined): ToolContext {
  const value = runContext?.context;
  return value !== null && typeof value === 'object' ? (value as ToolContext) : {};
}

/**
 * Converts one registered tool to an Agents SDK `tool()`:
 * - the parameters are the tool's strict JSON schema (non-strict when it has optional fields), validated by the
 *   registry with the tool's zod schema;
 * - `needsApproval` asks the registry, so destructive tools and tools with an approval rule interrupt the run
 *   (`result.interruptions`, `state.approve()`) and only run once approved;
 * - `isEnabled` applies the registry's policies and feature flags to each run;
 * - the result the model reads is the JSON output, or `{ "error": { "code", "message" } }`: a tool failure never
 *   throws through the run;
 * - a client-side tool (`defineClientTool`) returns its pending `client_tool_call` item and is marked
 *   (`isClientTool`): the agents responder of `@relaykit/agent-core` stops a run at it and streams a ChatKit
 *   `client_tool_call` item; with the Agents SDK alone, pair it with {@link clientToolUseBehavior}.
 *
 * @throws ConfigurationError (from the registry lookup) when the tool is not registered.
 */
export function toAgentsTool(
  registry: ToolRegistry,
  name: string,
  options: AgentsToolOptions = {},
): FunctionTool {
  const definition = registry.get(name);
  if (!definition) throw new ConfigurationError(`Tool "${name}" is not registered.`);
  const contextOf = options.context ?? defaultContext;
  const { schema, strict } = toolParametersSchema(definition);
  const common = {
    name,
    description: definition.description,
    needsApproval: async (runContext: RunContext, input: unknown) =>
      registry.requiresApproval(name, input, contextOf(runContext)),
    isEnabled: async ({ runContext }: { runContext: RunContext<unknown> }) =>
      (await registry.check(name, contextOf(runContext))) === null,
    execute: async (
      input: unknown,
      runContext?: RunContext<unknown>,
      details?: { toolCall?: { callId?: string }; signal?: AbortSignal },
    ) => {
      const result = await registry.execute(name, input, contextOf(runContext), {
        approved: true,
        callId: details?.toolCall?.callId,
        signal: details?.signal,
      });
      return JSON.stringify(result.ok ? result.output : { error: result.error });
    },
    // The SDK checks arguments against the strict JSON schema before `execute`; its refusals reach the model as
    // the same structured error the registry gives. Anything else is reported without its message.
    errorFunction: (_runContext: RunContext<unknown>, error: unknown) =>
      JSON.stringify({
        error:
          error instanceof ModelBehaviorError
            ? { code: 'invalid_request', message: `Invalid arguments for tool "${name}".` }
            : { code: 'internal', message: `Tool "${name}" failed unexpectedly.` },
      }),
  };
  // The two branches only differ in the schema type the SDK expects for strict and non-strict tools.
  const converted = strict
    ? tool({ ...common, parameters: schema as never, strict: true })
    : (tool({ ...common, parameters: schema as never, strict: false }) as FunctionTool);
  // A client tool is marked, so the agents responder of `@relaykit/agent-core` stops the run at its call and
  // streams it as a ChatKit `client_tool_call` item (see `isClientTool`).
  return definition.runsOn === 'client' ? markClientTool(converted) : converted;
}

/** Converts every registered tool (or the named ones) to Agents SDK tools. */
export function toAgentsTools(
  registry: ToolRegistry,
  options: AgentsToolOptions & { names?: readonly string[] } = {},
): FunctionTool[] {
  const names = options.names ?? registry.list().map((definition) => definition.name);
  return names.map((name) => toAgentsTool(registry, name, options));
}

/**
 * The agent `toolUseBehavior` that stops a run at the first client-side tool call, so its pending
 * `client_tool_call` item becomes the run's final output and the browser can answer it.
 */
export function clientToolUseBehavior(registry: ToolRegistry): { stopAtToolNames: string[] } {
  return {
    stopAtToolNames: registry
      .list()
      .filter((definition) => definition.runsOn === 'client')
      .map((definition) => definition.name),
  };
}
