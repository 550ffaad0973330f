import {
  type AgentDependencies,
  type AgentRegistry,
  type AgentRoute,
  type AnyAgentDefinition,
  RelayKitError,
  type RouteInput,
} from '@relaykit/agent-core';
import { RequestError } from '@relaykit/sse-protocol';
import type { ToolRegistry } from '@relaykit/tool-registry';
import type { SqlConnection } from '@relaykit/tool-registry/postgres';
import {
  applyNaturalLanguageTriggers,
  type ClassroomPortraits,
  createClassroomAgents,
  createDatabaseCopilotAgents,
  createDemoClassroomStore,
  createDemoEventStore,
  createDemoHealthStore,
  createDemoWorkflowStore,
  createEventPlanningAgents,
  createHealthAssistantAgents,
  createWorkflowAssistantAgents,
  type EventPlanningStore,
} from '../../../../packages/agent-core/examples/index.ts';

/** One entry of the chat page's agent picker. */
export interface AgentOption {
  /** Stable id of the entry. */
  id: string;
  /** The picker's label. */
  label: string;
  /** The `agentType` sent as ChatKit request metadata. */
  agentType: string;
  /** The rest of the request metadata the agent needs (demo ids). */
  metadata: Record<string, string>;
  /** Starter prompts shown for this agent. */
  starterPrompts: string[];
  description: string;
}

/** The picker entries, in order, with the demo data's ids. */
const PICKER: Omit<AgentOption, 'starterPrompts' | 'description'>[] = [
  { id: 'workflow', label: 'Workflow assistant', agentType: 'orchestrator', metadata: {} },
  {
    id: 'event-client',
    label: 'Event planner — client',
    agentType: 'client',
    metadata: { clientId: 'client-1', eventId: 'event-1' },
  },
  {
    id: 'event-venue',
    label: 'Event planner — venue',
    agentType: 'venue_general',
    metadata: { venueId: 'venue-1' },
  },
  {
    id: 'event-venue-event',
    label: 'Event planner — venue event',
    agentType: 'venue_event',
    metadata: { venueId: 'venue-1', eventId: 'event-1' },
  },
  { id: 'database', label: 'Database copilot', agentType: 'database_copilot', metadata: {} },
  {
    id: 'classroom',
    label: 'Classroom assistant',
    agentType: 'classroom_assistant',
    metadata: { classId: '5b' },
  },
  { id: 'health', label: 'Health assistant', agentType: 'health', metadata: {} },
];

/**
 * Where the database copilot's tools run: their own connection, never the chat store's, so a runaway query the model
 * writes cannot hold the app's storage (a small postgres.js pool on Postgres; a PGlite in a worker thread offline).
 */
export interface CopilotDatabase {
  connection: SqlConnection;
}

/** The scenario agents as one registry for one ChatKit server, and the picker built from them. */
export interface ScenarioAgents {
  registry: AgentRegistry;
  dependencies: AgentDependencies;
  options: AgentOption[];
  /**
   * The database copilot's tools (the Postgres pack and `table_row_count`). Each call runs as the caller: the run
   * context's `userId` and `claims` (`{ userId, claims }` of the signed-in user) become role `authenticated` and
   * `request.jwt.claims`, so the copilot reads only the user's own rows.
   */
  copilotTools: ToolRegistry;
  /** The event planner's demo data (the contract widget reads it). */
  eventStore: EventPlanningStore;
}

/**
 * Combines several scenario registries into one: a request's `agentType` picks the scenario whose registry routes
 * it (with that scenario's slash commands, handoffs and model policy); without one, the first registry decides.
 */
export function combineRegistries(
  registries: readonly AgentRegistry[],
  agentTypeKey = 'agentType',
): AgentRegistry {
  if (registries.length === 0) throw new RelayKitError('configuration', 'combineRegistries needs a registry');
  const owner = new Map<string, AgentRegistry>();
  for (const registry of registries)
    for (const definition of registry.list()) {
      if (owner.has(definition.type))
        throw new RelayKitError('configuration', `agent type "${definition.type}" is registered twice`);
      owner.set(definition.type, registry);
    }
  const first = registries[0]!;
  const ownerOf = (type: string): AgentRegistry => {
    const registry = owner.get(type);
    if (!registry)
      throw new RequestError('invalid_request', `metadata.${agentTypeKey} "${type}" is not an agent type`, {
        details: { known: [...owner.keys()] },
      });
    return registry;
  };
  return {
    defaultAgent: first.defaultAgent,
    get: (type) => (owner.get(type) ?? first).get(type),
    list: () => registries.flatMap((registry) => registry.list()),
    commands: () => registries.flatMap((registry) => registry.commands()),
    route(input: RouteInput): AgentRoute {
      const requested = input.metadata?.[agentTypeKey];
      if (requested === undefined) return first.route(input);
      if (typeof requested !== 'string')
        throw new RequestError('invalid_request', `metadata.${agentTypeKey} must be a string`);
      return ownerOf(requested).route(input);
    },
  };
}

/**
 * Picker ids work as agent types too (`relaykit chat --agent event-client`): the entry's agent type and demo ids fill
 * in whatever the request's metadata leaves out.
 */
export function withPickerAliases(
  registry: AgentRegistry,
  picker: readonly Pick<AgentOption, 'id' | 'agentType' | 'metadata'>[],
  agentTypeKey = 'agentType',
): AgentRegistry {
  const byId = new Map(picker.map((entry) => [entry.id, entry]));
  return {
    ...registry,
    route(input) {
      const requested = input.metadata?.[agentTypeKey];
      const entry = typeof requested === 'string' ? byId.get(requested) : undefined;
      if (!entry) return registry.route(input);
      const metadata = { ...entry.metadata, ...input.metadata, [agentTypeKey]: entry.agentType };
      return registry.route({ ...input, metadata });
    },
  };
}

/** Classroom phrases ("parent-teacher meeting") become slash commands before routing. */
function withNaturalLanguageTriggers(registry: AgentRegistry): AgentRegistry {
  return {
    ...registry,
    route: (input) => registry.route({ ...input, text: applyNaturalLanguageTriggers(input.text) }),
  };
}

/** Options of {@link createScenarioAgents}. */
export interface ScenarioAgentsOptions {
  /** Lets the classroom assistant draw student portraits (the app's image stack). */
  portraits?: ClassroomPortraits;
}

/** Builds every scenario's agents over the demo data sets, and the copilot over `database`. */
export function createScenarioAgents(
  database: CopilotDatabase,
  scenarioOptions: ScenarioAgentsOptions = {},
): ScenarioAgents {
  const workflow = createWorkflowAssistantAgents({ store: createDemoWorkflowStore() });
  const eventStore = createDemoEventStore();
  // The planner's writes (addGuest, updateEvent, requestElementChange) need the user's approval: the run pauses on an
  // approval card and resumes when the user clicks Approve or Reject.
  const events = createEventPlanningAgents({ store: eventStore });
  const copilotAgents = createDatabaseCopilotAgents({ connection: database.connection });
  const copilot = copilotAgents.registry;
  const classroom = createClassroomAgents({
    store: createDemoClassroomStore(),
    ...(scenarioOptions.portraits ? { portraits: scenarioOptions.portraits } : {}),
  });
  const health = createHealthAssistantAgents({ store: createDemoHealthStore() });
  const registry = combineRegistries([
    workflow.registry,
    events.registry,
    copilot,
    withNaturalLanguageTriggers(classroom.registry),
    health.registry,
  ]);
  const routed = withPickerAliases(registry, PICKER);
  const dependencies = { ...events.dependencies, ...classroom.dependencies } as AgentDependencies;
  const describe = (definition: AnyAgentDefinition) => ({
    starterPrompts: [...definition.starterPrompts],
    description: definition.description,
  });
  const options = PICKER.map((entry) => ({ ...entry, ...describe(registry.get(entry.agentType)) }));
  return { registry: routed, dependencies, options, copilotTools: copilotAgents.tools, eventStore };
}
