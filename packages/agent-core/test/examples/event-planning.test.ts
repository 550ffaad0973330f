import { isRelayKitError, type RelayKitError } from '@relaykit/sse-protocol';
import { describe, expect, it } from 'vitest';
import { createDemoEventStore, createEventPlanningAgents } from '../../examples/event-planning/index.ts';
import { runTurn } from '../../examples/run-turn.ts';
import { offeredTools, startFake, toolOutputs } from './harness.ts';

async function rejection(promise: Promise<unknown>): Promise<RelayKitError> {
  try {
    await promise;
  } catch (error) {
    if (isRelayKitError(error)) return error;
    throw error;
  }
  throw new Error('expected a RelayKitError');
}

type Body = { model: string; instructions: string; temperature?: number; max_output_tokens?: number };

describe('scenario D: event planning', () => {
  it('missing metadata is an invalid_request naming the field, before any model call', async () => {
    const { registry, dependencies } = createEventPlanningAgents({ store: createDemoEventStore() });
    const { fake, modelProvider } = await startFake([{ reply: { text: 'unused' } }]);
    try {
      const base = { registry, dependencies, modelProvider, text: 'Hi', userId: 'u1' };
      const client = await rejection(
        runTurn({ ...base, metadata: { agentType: 'client', clientId: 'client-1' } }),
      );
      expect(client.code).toBe('invalid_request');
      expect(client.message).toContain('eventId');
      expect(client.message).not.toContain('clientId');
      const venueEvent = await rejection(
        runTurn({ ...base, metadata: { agentType: 'venue_event', eventId: 'event-1' } }),
      );
      expect(venueEvent.code).toBe('invalid_request');
      expect(venueEvent.message).toContain('venueId');
      const unknown = await rejection(runTurn({ ...base, metadata: { agentType: 'vendor' } }));
      expect(unknown.code).toBe('invalid_request');
      // Another client's event is refused by the context builder.
      const foreign = await rejection(
        runTurn({ ...base, metadata: { agentType: 'client', clientId: 'client-1', eventId: 'event-2' } }),
      );
      expect(foreign.code).toBe('forbidden');
      expect(fake.calls).toHaveLength(0);
    } finally {
      await fake.close();
    }
  });

  it('client: adds a guest and requests an element, with a prompt built from the event', async () => {
    const store = createDemoEventStore();
    const { registry, dependencies } = createEventPlanningAgents({ store });
    const { fake, modelProvider } = await startFake([
      {
        match: { hasToolOutput: false },
        reply: {
          toolCalls: [
            { name: 'addGuest', arguments: { name: 'João Costa', email: 'joao@example.com' } },
            {
              name: 'requestElementChange',
              arguments: { element: 'Photo booth', action: 'add', note: 'near the bar' },
            },
          ],
        },
      },
      {
        match: { hasToolOutput: true },
        reply: { text: 'João is on the list and the photo booth is requested.' },
      },
    ]);
    try {
      const { route, result, approvals } = await runTurn({
        registry,
        dependencies,
        modelProvider,
        text: 'Add João Costa and ask for a photo booth',
        metadata: { agentType: 'client', clientId: 'client-1', eventId: 'event-1' },
        userId: 'user-client-1',
        approve: () => true,
      });
      // Both writes waited for the user's approval before running.
      expect(approvals).toEqual([
        {
          tool: 'addGuest',
          arguments: { name: 'João Costa', email: 'joao@example.com' },
          approved: true,
        },
        {
          tool: 'requestElementChange',
          arguments: { element: 'Photo booth', action: 'add', note: 'near the bar' },
          approved: true,
        },
      ]);
      expect(route.reason).toBe('metadata');
      expect(result.lastAgent?.name).toBe('client');
      expect(result.finalOutput).toBe('João is on the list and the photo booth is requested.');
      expect(store.guests.filter((g) => g.eventId === 'event-1').map((g) => g.name)).toEqual([
        'Maria Silva',
        'João Costa',
      ]);
      expect(store.changeRequests).toEqual([
        { eventId: 'event-1', element: 'Photo booth', action: 'add', note: 'near the bar' },
      ]);
      expect(toolOutputs(fake).map((o) => o.output)).toEqual([
        { added: 'João Costa', guests: 2 },
        { requested: { eventId: 'event-1', element: 'Photo booth', action: 'add', note: 'near the bar' } },
      ]);
      const body = fake.calls[0]!.body as Body;
      expect(body.instructions).toContain('"Ana & Rui wedding" at Harbour Hall on 2027-06-12 for 120 guests');
      expect(body.instructions).toContain('String quartet');
      expect(body).toMatchObject({ model: 'gpt-4.1-mini', temperature: 0.7, max_output_tokens: 800 });
      expect(offeredTools(fake)[0]).toEqual([
        'getEventDetails',
        'listAvailableElements',
        'requestElementChange',
        'viewGuestList',
        'addGuest',
        'viewContract',
      ]);
    } finally {
      await fake.close();
    }
  });

  it('venue_event: confirms an element and messages the client of that event', async () => {
    const store = createDemoEventStore();
    const { registry, dependencies } = createEventPlanningAgents({ store });
    const { fake, modelProvider } = await startFake([
      {
        match: { hasToolOutput: false },
        reply: {
          toolCalls: [
            { name: 'updateElementStatus', arguments: { element: 'Stage', status: 'confirmed' } },
            { name: 'sendMessageToClient', arguments: { text: 'Your stage is confirmed.' } },
          ],
        },
      },
      { match: { hasToolOutput: true }, reply: { text: 'Stage confirmed and the client informed.' } },
    ]);
    try {
      const { result } = await runTurn({
        registry,
        dependencies,
        modelProvider,
        text: 'Confirm the stage and tell the client',
        metadata: { agentType: 'venue_event', venueId: 'venue-1', eventId: 'event-2' },
        userId: 'staff-1',
      });
      expect(result.lastAgent?.name).toBe('venue_event');
      expect(result.finalOutput).toBe('Stage confirmed and the client informed.');
      expect(store.events[1]!.elements).toEqual([{ name: 'Stage', status: 'confirmed' }]);
      expect(store.messages.at(-1)).toEqual({
        venueId: 'venue-1',
        eventId: 'event-2',
        to: 'client-2',
        text: 'Your stage is confirmed.',
      });
      const body = fake.calls[0]!.body as Body;
      expect(body).toMatchObject({ model: 'gpt-4.1', temperature: 0.2, max_output_tokens: 1500 });
      expect(body.instructions).toContain('"Acme summer party" on 2027-07-03: 300 guests');
    } finally {
      await fake.close();
    }
  });

  it('venue_event: updateEvent waits for approval; rejected, the event is unchanged and the model is told', async () => {
    const store = createDemoEventStore();
    const before = structuredClone(store.events[1]);
    const { registry, dependencies } = createEventPlanningAgents({ store });
    const { fake, modelProvider } = await startFake([
      {
        match: { hasToolOutput: false },
        reply: { toolCalls: [{ name: 'updateEvent', arguments: { date: '2027-08-01', guestCount: null } }] },
      },
      { match: { hasToolOutput: true }, reply: { text: 'I left the date as it is.' } },
    ]);
    try {
      const { result, approvals } = await runTurn({
        registry,
        dependencies,
        modelProvider,
        text: 'Move the party to August 1st',
        metadata: { agentType: 'venue_event', venueId: 'venue-1', eventId: 'event-2' },
        userId: 'staff-1',
        approve: () => false,
      });
      expect(approvals).toEqual([
        { tool: 'updateEvent', arguments: { date: '2027-08-01', guestCount: null }, approved: false },
      ]);
      expect(store.events[1]).toEqual(before);
      expect(JSON.stringify(fake.calls.at(-1)?.body)).toContain('Tool execution was not approved.');
      expect(result.finalOutput).toBe('I left the date as it is.');
    } finally {
      await fake.close();
    }
  });

  it('venue_general: searches messages and reads tasks of its own venue', async () => {
    const store = createDemoEventStore();
    const { registry, dependencies } = createEventPlanningAgents({ store });
    const { fake, modelProvider } = await startFake([
      {
        match: { hasToolOutput: false },
        reply: {
          toolCalls: [
            { name: 'searchMessages', arguments: { query: 'STAGE' } },
            { name: 'listPendingTasks', arguments: {} },
          ],
        },
      },
      { match: { hasToolOutput: true }, reply: { text: 'One message and one open task about the stage.' } },
    ]);
    try {
      const { result } = await runTurn({
        registry,
        dependencies,
        modelProvider,
        text: 'Anything about the stage?',
        metadata: { agentType: 'venue_general', venueId: 'venue-1' },
        userId: 'staff-1',
      });
      expect(result.lastAgent?.name).toBe('venue_general');
      expect(result.finalOutput).toBe('One message and one open task about the stage.');
      expect(toolOutputs(fake).map((o) => o.output)).toEqual([
        { messages: [store.messages[0]] },
        { tasks: [store.tasks[0]] },
      ]);
      expect((fake.calls[0]!.body as Body).instructions).toContain(
        '2027-06-12 Ana & Rui wedding (120 guests)',
      );
      expect(registry.get('venue_general').starterPrompts).toContain('List my vendors');
    } finally {
      await fake.close();
    }
  });
});

describe('scenario D: read tools stay inside the run’s scope', () => {
  it('client reads its contract and the venue’s catalogue; venue_general cannot read another venue’s event', async () => {
    const store = createDemoEventStore();
    store.venues.push({ id: 'venue-2', name: 'Quinta Verde', city: 'Sintra' });
    const { registry, dependencies } = createEventPlanningAgents({ store });
    const { fake, modelProvider } = await startFake([
      {
        match: { hasToolOutput: false, lastUserText: 'contract' },
        reply: {
          toolCalls: [
            { name: 'viewContract', arguments: {} },
            { name: 'listAvailableElements', arguments: {} },
          ],
        },
      },
      {
        match: { hasToolOutput: false, lastUserText: 'summary' },
        reply: { toolCalls: [{ name: 'getEventSummary', arguments: { eventId: 'event-1' } }] },
      },
      { match: { hasToolOutput: true }, reply: { text: 'Done.' } },
    ]);
    try {
      await runTurn({
        registry,
        dependencies,
        modelProvider,
        text: 'What does my contract say?',
        metadata: { agentType: 'client', clientId: 'client-1', eventId: 'event-1' },
        userId: 'user-client-1',
      });
      await runTurn({
        registry,
        dependencies,
        modelProvider,
        text: 'Give me a summary of event-1',
        metadata: { agentType: 'venue_general', venueId: 'venue-2' },
        userId: 'staff-2',
      });
      expect(toolOutputs(fake).map((o) => o.output)).toEqual([
        store.contracts[0],
        { elements: store.catalogue },
        { error: { code: 'not_found', message: 'event event-1 does not exist at this venue' } },
      ]);
    } finally {
      await fake.close();
    }
  });
});
