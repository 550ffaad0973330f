import { Agent } from '@openai/agents';
import { clientToolNames } from '@relaykit/tool-registry';
import { finishAgent, resolvePassThroughOptions } from './agent-options';
import { type AgentDependencies, type AnyAgentDefinition, buildAgentRunContext } from './define-agent';
import type { AgentRegistry } from './registry';

/** Options of {@link instantiateAgent}. */
export interface InstantiateAgentOptions {
  /** The registry the agent's handoff targets come from. */
  registry: AgentRegistry;
  /** The validated (or raw) request metadata. */
  metadata: unknown;
  /** The user the run is for. */
  userId: string;
  /** The model chosen for the run (handoff targets keep their own model when they name one). */
  model: string;
  /** Injected data loaders for context builders. */
  dependencies?: AgentDependencies;
}

/**
 * Builds an `@openai/agents` `Agent` from a definition: validates metadata, runs the context builder, resolves
 * instructions and tools for that context, and builds handoff targets the same way (SDK handoffs). Every other SDK
 * option of the definition is passed to `new Agent()` (context-dependent ones resolved first), its lifecycle `hooks`
 * are attached, and its `configure` hook gets the last word. Handoff cycles are cut: an agent already on the path is
 * not built again. An agent with ChatKit client tools (made by `defineClientTool` + `toAgentsTool` of
 * `@relaykit/tool-registry`) stops its run at their call (`toolUseBehavior: { stopAtToolNames }`, unless the
 * definition sets its own `toolUseBehavior`), so the browser can answer it.
 */
export async function instantiateAgent(
  definition: AnyAgentDefinition,
  options: InstantiateAgentOptions,
  path: readonly string[] = [],
): Promise<Agent> {
  const context = await buildAgentRunContext(definition, {
    metadata: options.metadata,
    userId: options.userId,
    ...(options.dependencies ? { dependencies: options.dependencies } : {}),
  });
  const instructions =
    typeof definition.instructions === 'function'
      ? await definition.instructions(context)
      : definition.instructions;
  const tools = typeof definition.tools === 'function' ? definition.tools(context) : (definition.tools ?? []);
  const onPath = [...path, definition.type];
  const handoffs: Agent[] = [];
  for (const target of definition.handoffs) {
    if (onPath.includes(target)) continue;
    const targetDefinition = options.registry.get(target);
    handoffs.push(
      await instantiateAgent(
        targetDefinition,
        { ...options, model: targetDefinition.model ?? options.model },
        onPath,
      ),
    );
  }
  const passedThrough = await resolvePassThroughOptions(definition, context);
  const clientTools = clientToolNames(tools);
  const agent = new Agent({
    ...passedThrough,
    name: definition.type,
    handoffDescription: definition.description,
    instructions,
    model: path.length === 0 ? options.model : (definition.model ?? options.model),
    tools,
    handoffs,
    ...(clientTools.length > 0 && passedThrough.toolUseBehavior === undefined
      ? { toolUseBehavior: { stopAtToolNames: clientTools } }
      : {}),
  });
  // An `Agent<unknown, AgentOutputType>` at run time; typed as the SDK's default agent so callers keep `Agent`.
  return (await finishAgent(agent, definition, context)) as unknown as Agent;
}
