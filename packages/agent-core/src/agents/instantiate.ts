import { Agent } from '@openai/agents';
import { clientToolNames } from '@relaykit/tool-registry';
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
 * instructions and tools for that context, and builds handoff targets the same way (SDK handoffs).
 * Handoff cycles are cut: an agent already on the path is not built again. An agent with ChatKit client tools (made
 * by `defineClientTool` + `toAgentsTool` of `@relaykit/tool-registry`) stops its run at their call
 * (`toolUseBehavior: { stopAtToolNames }`), so the browser can answer it.
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
  const clientTools = clientToolNames(tools);
  return new Agent({
    name: definition.type,
    handoffDescription: definition.description,
    instructions,
    model: path.length === 0 ? options.model : (definition.model ?? options.model),
    ...(definition.modelSettings ? { modelSettings: definition.modelSettings } : {}),
    tools,
    handoffs,
    ...(clientTools.length > 0 ? { toolUseBehavior: { stopAtToolNames: clientTools } } : {}),
  });
}
