/**
 * Scenario D, event planning with ChatKit: three agents chosen by request metadata `agentType` (`client`,
 * `venue_general`, `venue_event`). Each declares the ids it needs (missing ones are an `invalid_request` naming
 * them), builds its system prompt from data its context builder loads through injected loaders, and has its own
 * model, temperature and max tokens. Tools are scoped to the run's ids.
 */
import { type AnyToolDefinition, createToolRegistry, RequestError } from '@relaykit/tool-registry';
import { toAgentsTools } from '@relaykit/tool-registry/agents';
import { z } from 'zod';
import { type AgentDependencies, createAgentRegistry, defineAgent } from '../../src/index.ts';
import { createEventLoaders, type EventPlanningLoaders, type EventPlanningStore } from './data.ts';
import { clientTools, venueEventTools, venueGeneralTools } from './tools.ts';

export * from './data.ts';

const asSdkTools = (definitions: AnyToolDefinition[]) =>
  toAgentsTools(createToolRegistry().register(...definitions));
const loadersOf = (dependencies: AgentDependencies) => dependencies as unknown as EventPlanningLoaders;

/** The agents of scenario D over `store`; pass `dependencies` to `instantiateAgent` (or `runTurn`). */
export function createEventPlanningAgents(deps: {
  store: EventPlanningStore;
  loaders?: EventPlanningLoaders;
  /** `addGuest`, `updateEvent` and `requestElementChange` ask the user first (see `EventPlanningToolOptions`). Default true. */
  approvals?: boolean;
}) {
  const toolOptions = { approvals: deps.approvals ?? true };
  const { store } = deps;
  const dependencies = { ...(deps.loaders ?? createEventLoaders(store)) } as AgentDependencies;

  const client = defineAgent({
    type: 'client',
    description: 'Helps a client plan their own event.',
    metadata: z.object({ clientId: z.string().min(1), eventId: z.string().min(1) }),
    contextBuilder: async ({ clientId, eventId }, deps) => {
      const event = await loadersOf(deps).loadEvent(eventId);
      if (!event) throw new RequestError('not_found', `event ${eventId} does not exist`);
      if (event.clientId !== clientId) throw new RequestError('forbidden', `event ${eventId} is not yours`);
      const venue = await loadersOf(deps).loadVenue(event.venueId);
      const { name, date, guestCount, budget, elements } = event;
      return {
        name,
        date,
        guestCount,
        budget,
        elements: elements.map((e) => e.name),
        venue: venue?.name ?? '',
      };
    },
    instructions: ({ data }) =>
      `You help a client plan "${data.name}" at ${data.venue} on ${data.date} for ${data.guestCount} guests, ` +
      `budget ${data.budget}. Selected elements: ${data.elements.join(', ') || 'none'}. ` +
      'Element changes are requests the venue confirms; never promise them.',
    tools: ({ metadata }) => asSdkTools(clientTools(store, metadata, toolOptions)),
    model: 'gpt-4.1-mini',
    modelSettings: { temperature: 0.7, maxTokens: 800 },
    starterPrompts: ['What is in my contract?', 'Add a guest', 'Which extras can we add?'],
  });

  const venueGeneral = defineAgent({
    type: 'venue_general',
    description: 'Helps venue staff across all their events.',
    metadata: z.object({ venueId: z.string().min(1) }),
    contextBuilder: async ({ venueId }, deps) => {
      const venue = await loadersOf(deps).loadVenue(venueId);
      if (!venue) throw new RequestError('not_found', `venue ${venueId} does not exist`);
      const events = await loadersOf(deps).listVenueEvents(venueId);
      return {
        venue: venue.name,
        upcoming: events.map((e) => `${e.date} ${e.name} (${e.guestCount} guests)`),
      };
    },
    instructions: ({ data }) =>
      `You assist the staff of ${data.venue}. Upcoming events: ${data.upcoming.join('; ') || 'none'}.`,
    tools: ({ metadata }) => asSdkTools(venueGeneralTools(store, metadata)),
    model: 'gpt-4.1-mini',
    modelSettings: { temperature: 0.3, maxTokens: 1200 },
    starterPrompts: ['What is pending this week?', 'List my vendors', 'Find messages about the stage'],
  });

  const venueEvent = defineAgent({
    type: 'venue_event',
    description: 'Helps venue staff run one event.',
    metadata: z.object({ venueId: z.string().min(1), eventId: z.string().min(1) }),
    contextBuilder: async ({ venueId, eventId }, deps) => {
      const event = await loadersOf(deps).loadEvent(eventId);
      if (!event || event.venueId !== venueId) {
        throw new RequestError('not_found', `event ${eventId} does not exist at venue ${venueId}`);
      }
      const { name, date, guestCount, budget, elements } = event;
      return { name, date, guestCount, budget, elements: elements.map((e) => `${e.name} (${e.status})`) };
    },
    instructions: ({ data }) =>
      `You help venue staff run "${data.name}" on ${data.date}: ${data.guestCount} guests, budget ${data.budget}. ` +
      `Elements: ${data.elements.join(', ') || 'none'}.`,
    tools: ({ metadata }) => asSdkTools(venueEventTools(store, metadata, toolOptions)),
    model: 'gpt-4.1',
    modelSettings: { temperature: 0.2, maxTokens: 1500 },
    starterPrompts: ['Confirm the pending elements', 'Message the client', 'Create a task for the setup'],
  });

  const registry = createAgentRegistry([client, venueGeneral, venueEvent], { defaultAgent: 'client' });
  return { registry, dependencies };
}
