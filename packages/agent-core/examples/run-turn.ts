/**
 * One chat turn, the way every example (and an app's route handler) runs it: route the message, build the SDK agent
 * for that route, run it with an explicit model provider. Apps import from `@relaykit/agent-core`; the examples use
 * the package's sources so they always match this checkout.
 */
import { type AgentInputItem, type ModelProvider, Runner, type RunResult, user } from '@openai/agents';
import type { AgentDependencies, AgentRegistry, AgentRoute } from '../src/index.ts';
import { instantiateAgent } from '../src/index.ts';

/** What {@link runTurn} needs. */
export interface RunTurnOptions {
  /** The registry of the scenario (`create<Name>Agents(...).registry`). */
  registry: AgentRegistry;
  /** The data loaders the scenario's context builders use. */
  dependencies?: AgentDependencies;
  /** The model provider for this request (`createModelAccess(...).providerFor(ctx)`). */
  modelProvider: ModelProvider;
  /** The user's message. */
  text: string;
  /** Request metadata (ChatKit thread metadata, `agentType`, ids the agent needs). */
  metadata?: Record<string, unknown>;
  /** The authenticated user. */
  userId: string;
  /** Earlier turns (`result.history` of the previous turn) for a multi-turn conversation. */
  history?: AgentInputItem[];
  /**
   * Decides the tool calls that need approval (`needsApproval`): each call is approved (`true`) or rejected, and the
   * run continues from its `RunState`. Without it the turn stops there (`result.interruptions`, `result.state`).
   */
  approve?: (call: { tool: string; arguments: unknown }) => boolean;
}

/** The run result, and the route that chose the agent and model. */
export interface TurnResult {
  route: AgentRoute;
  /** The calls that needed approval, in order, with the decision taken. */
  approvals: { tool: string; arguments: unknown; approved: boolean }[];
  // biome-ignore lint/suspicious/noExplicitAny: the SDK's result type is generic over the agent
  result: RunResult<any, any>;
}

/**
 * Routes, instantiates and runs one turn. Metadata errors (`invalid_request`) are thrown by `route()` before any
 * model call. Tools receive `{ userId, agentType }` as their tool-registry context.
 */
export async function runTurn(options: RunTurnOptions): Promise<TurnResult> {
  const route = options.registry.route({
    text: options.text,
    ...(options.metadata ? { metadata: options.metadata } : {}),
  });
  const agent = await instantiateAgent(route.agent, {
    registry: options.registry,
    metadata: route.metadata,
    userId: options.userId,
    model: route.model.model,
    ...(options.dependencies ? { dependencies: options.dependencies } : {}),
  });
  const runner = new Runner({ modelProvider: options.modelProvider });
  const input = options.history ? [...options.history, user(route.text)] : route.text;
  let result = await runner.run(agent, input, {
    context: { userId: options.userId, agentType: route.agent.type },
  });
  const approvals: TurnResult['approvals'] = [];
  while (options.approve && result.interruptions.length > 0) {
    const state = result.state;
    for (const item of result.interruptions) {
      const call = { tool: item.name ?? '', arguments: JSON.parse(item.arguments ?? '{}') as unknown };
      const approved = options.approve(call);
      approvals.push({ ...call, approved });
      if (approved) state.approve(item);
      else state.reject(item);
    }
    result = await runner.run(agent, state);
  }
  return { route, result, approvals };
}
