import { RelayKitError, RequestError } from '@relaykit/sse-protocol';
import { fixedModelPolicy, type ModelChoice, type ModelPolicy } from '../models/model-policy';
import { type AnyAgentDefinition, parseAgentMetadata } from './define-agent';
import {
  type ParsedSlashCommand,
  parseSlashCommand,
  type SlashCommand,
  validateSlashCommands,
} from './slash-commands';

/** Options of {@link createAgentRegistry}. */
export interface AgentRegistryOptions {
  /** The agent used when the request names none. Defaults to the orchestrator, else the first definition. */
  defaultAgent?: string;
  /** An agent that routes by handing off to specialists; it must list them in `handoffs`. */
  orchestrator?: string;
  /** Slash commands recognised at the start of a message. */
  slashCommands?: SlashCommand[];
  /** Chooses the model per run. Default: each agent's model, else `gpt-4.1-mini`. */
  modelPolicy?: ModelPolicy;
  /** The request-metadata key naming the agent. Default `agentType`. */
  agentTypeKey?: string;
}

/** What to run for one message. */
export interface AgentRoute {
  /** The agent that answers (or the orchestrator that hands off). */
  agent: AnyAgentDefinition;
  /** The request metadata, validated by the agent's schema. */
  metadata: unknown;
  /** The text to send to the model (a slash command's prompt, or the message). */
  text: string;
  /** The slash command the message started with, if any. */
  command?: ParsedSlashCommand;
  /** The model chosen by the policy, and why. */
  model: ModelChoice;
  /** How the agent was chosen. */
  reason: 'slash_command' | 'metadata' | 'default';
}

/** What a request offers for routing. */
export interface RouteInput {
  /** The user's message text. */
  text: string;
  /** Request metadata (for example ChatKit thread metadata merged with the request's). */
  metadata?: Record<string, unknown>;
  /** A model the client asked for; the policy decides whether to honour it. */
  requestedModel?: string;
}

/** Agents by type, with routing by metadata, slash commands and a default or orchestrator. */
export interface AgentRegistry {
  /** The definition of an agent type; `not_found` when unknown. */
  get(type: string): AnyAgentDefinition;
  /** Every definition, in registration order. */
  list(): AnyAgentDefinition[];
  /** The registered slash commands. */
  commands(): SlashCommand[];
  /** The default agent type. */
  readonly defaultAgent: string;
  /** Chooses the agent, text and model for one message, validating the metadata before any model call. */
  route(input: RouteInput): AgentRoute;
}

const FALLBACK_MODEL = 'gpt-4.1-mini';

/** Creates a registry; checks that every handoff, command target and default names a registered agent. */
export function createAgentRegistry(
  definitions: readonly AnyAgentDefinition[],
  options: AgentRegistryOptions = {},
): AgentRegistry {
  if (definitions.length === 0)
    throw new RelayKitError('configuration', 'an agent registry needs at least one agent');
  const byType = new Map<string, AnyAgentDefinition>();
  for (const definition of definitions) {
    if (byType.has(definition.type)) {
      throw new RelayKitError('configuration', `agent type "${definition.type}" is registered twice`);
    }
    byType.set(definition.type, definition);
  }
  const requireKnown = (type: string, where: string) => {
    if (!byType.has(type))
      throw new RelayKitError('configuration', `${where} names unknown agent type "${type}"`);
  };
  for (const definition of definitions) {
    for (const target of definition.handoffs) requireKnown(target, `agent "${definition.type}" handoffs`);
  }
  const commands = [...(options.slashCommands ?? [])];
  validateSlashCommands(commands);
  for (const command of commands)
    if (command.agent) requireKnown(command.agent, `slash command "/${command.name}"`);
  if (options.orchestrator) {
    requireKnown(options.orchestrator, 'the orchestrator option');
    if (byType.get(options.orchestrator)!.handoffs.length === 0) {
      throw new RelayKitError('configuration', `orchestrator "${options.orchestrator}" lists no handoffs`);
    }
  }
  const defaultAgent = options.defaultAgent ?? options.orchestrator ?? definitions[0]!.type;
  requireKnown(defaultAgent, 'the defaultAgent option');
  const policy = options.modelPolicy ?? fixedModelPolicy(FALLBACK_MODEL);
  const agentTypeKey = options.agentTypeKey ?? 'agentType';

  const get = (type: string): AnyAgentDefinition => {
    const definition = byType.get(type);
    if (!definition) {
      throw new RequestError(
        'not_found',
        `unknown agent type "${type}"; known types: ${[...byType.keys()].join(', ')}`,
        {
          details: { known: [...byType.keys()] },
        },
      );
    }
    return definition;
  };

  return {
    defaultAgent,
    get,
    list: () => [...byType.values()],
    commands: () => [...commands],
    route(input) {
      const metadata = input.metadata ?? {};
      const command = parseSlashCommand(input.text, commands);
      const requested = metadata[agentTypeKey];
      if (requested !== undefined && typeof requested !== 'string') {
        throw new RequestError('invalid_request', `metadata.${agentTypeKey} must be a string`);
      }
      let agent: AnyAgentDefinition;
      let reason: AgentRoute['reason'];
      if (command?.command.agent) {
        agent = get(command.command.agent);
        reason = 'slash_command';
      } else if (requested !== undefined) {
        if (!byType.has(requested)) {
          throw new RequestError(
            'invalid_request',
            `metadata.${agentTypeKey} "${requested}" is not an agent type; known types: ${[...byType.keys()].join(', ')}`,
          );
        }
        agent = get(requested);
        reason = 'metadata';
      } else {
        agent = get(defaultAgent);
        reason = 'default';
      }
      const validated = parseAgentMetadata(agent, metadata);
      const text = command ? command.text : input.text;
      const choiceInput = {
        text,
        agentType: agent.type,
        ...(agent.model ? { agentModel: agent.model } : {}),
        ...(input.requestedModel ? { requestedModel: input.requestedModel } : {}),
      };
      return {
        agent,
        metadata: validated,
        text,
        model: policy(choiceInput),
        reason,
        ...(command ? { command } : {}),
      };
    },
  };
}
