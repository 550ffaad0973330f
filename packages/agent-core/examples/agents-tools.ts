/**
 * `toAgentsTools` from `@relaykit/tool-registry/agents`, with one workaround: with zod 4.6, `z.toJSONSchema()` returns
 * a schema carrying a non-enumerable `~standard` marker, and the Agents SDK refuses such a schema for non-strict tools
 * (tools with `.optional()` fields, like the Postgres pack's `list_tables`): "Strict mode is required for Standard
 * Schema parameters". Until the tool registry strips the marker, a tool the SDK refuses is converted here the same
 * way (same schema as plain JSON, same approval, policy and error handling). Strict tools use the registry's
 * conversion unchanged, and so will every tool once the registry is fixed.
 */
import { type FunctionTool, ModelBehaviorError, type RunContext, tool, UserError } from '@openai/agents';
import { type ToolContext, type ToolRegistry, toolParametersSchema } from '@relaykit/tool-registry';
import { toAgentsTool } from '@relaykit/tool-registry/agents';

const contextOf = (runContext: RunContext<unknown> | undefined): ToolContext => {
  const value = runContext?.context;
  return value !== null && typeof value === 'object' ? (value as ToolContext) : {};
};

function plainSchemaTool(registry: ToolRegistry, name: string): FunctionTool {
  const definition = registry.get(name)!;
  const schema = JSON.parse(JSON.stringify(toolParametersSchema(definition).schema));
  return tool({
    name,
    description: definition.description,
    parameters: schema,
    strict: false,
    needsApproval: async (runContext, input) => registry.requiresApproval(name, input, contextOf(runContext)),
    isEnabled: async ({ runContext }) => (await registry.check(name, contextOf(runContext))) === null,
    execute: async (input, runContext, details) => {
      const result = await registry.execute(name, input, contextOf(runContext), {
        approved: true,
        ...(details?.toolCall?.callId ? { callId: details.toolCall.callId } : {}),
        ...(details?.signal ? { signal: details.signal } : {}),
      });
      return JSON.stringify(result.ok ? result.output : { error: result.error });
    },
    errorFunction: (_runContext, error) =>
      JSON.stringify({
        error:
          error instanceof ModelBehaviorError
            ? { code: 'invalid_request', message: `Invalid arguments for tool "${name}".` }
            : { code: 'internal', message: `Tool "${name}" failed unexpectedly.` },
      }),
  }) as FunctionTool;
}

/** Every registered tool (or the named ones) as Agents SDK tools. */
export function agentsToolsOf(registry: ToolRegistry, names?: readonly string[]): FunctionTool[] {
  return (names ?? registry.list().map((definition) => definition.name)).map((name) => {
    try {
      return toAgentsTool(registry, name);
    } catch (error) {
      if (error instanceof UserError && /Standard Schema/.test(error.message))
        return plainSchemaTool(registry, name);
      throw error;
    }
  });
}
