import { describe, expect, it } from 'vitest';
import { createScenarioAgents } from './agents';

// The copilot's connection is only used when a tool runs; routing never touches it.
const { registry, options } = createScenarioAgents({ connection: {} as never });

describe('the combined scenario registry', () => {
  it('routes by agentType to the scenario that owns the agent, defaulting to the workflow orchestrator', () => {
    expect(registry.route({ text: 'Hi' }).agent.type).toBe('orchestrator');
    const client = registry.route({
      text: 'Hi',
      metadata: { agentType: 'client', clientId: 'client-1', eventId: 'event-1' },
    });
    expect(client.agent.type).toBe('client');
    expect(client.metadata).toEqual({ clientId: 'client-1', eventId: 'event-1' });
    expect(registry.route({ text: 'I slept 7 hours', metadata: { agentType: 'health' } }).agent.type).toBe(
      'health',
    );
  });

  it('accepts the picker ids as aliases and fills in their demo ids (apps/cli --agent event-client)', () => {
    const route = registry.route({ text: 'Add a guest: Ana', metadata: { agentType: 'event-client' } });
    expect(route.agent.type).toBe('client');
    expect(route.metadata).toEqual({ clientId: 'client-1', eventId: 'event-1' });
    const venue = registry.route({ text: 'Hi', metadata: { agentType: 'event-venue', venueId: 'venue-9' } });
    expect(venue.metadata).toEqual({ venueId: 'venue-9' });
  });

  it('keeps each scenario’s slash commands and natural-language triggers', () => {
    const metadata = { agentType: 'classroom_assistant', classId: '5b' };
    expect(registry.route({ text: '/ptm', metadata }).agent.type).toBe('ptm_prep');
    // A bare command reaches the model as its own text, never as an empty message.
    expect(registry.route({ text: '/ptm', metadata }).text).toBe('/ptm');
    const phrase = registry.route({ text: 'Help me prepare the parent-teacher meeting', metadata });
    expect(phrase).toMatchObject({ agent: { type: 'ptm_prep' }, reason: 'slash_command' });
    expect(registry.route({ text: '/lesson fractions', metadata }).text).toContain(
      'lesson plan on: fractions',
    );
  });

  it('refuses unknown agent types and missing metadata with invalid_request', () => {
    expect(() => registry.route({ text: 'Hi', metadata: { agentType: 'pirate' } })).toThrow(
      expect.objectContaining({ code: 'invalid_request' }),
    );
    expect(() => registry.route({ text: 'Hi', metadata: { agentType: 7 } })).toThrow(
      expect.objectContaining({ code: 'invalid_request' }),
    );
    expect(() => registry.route({ text: 'Hi', metadata: { agentType: 'client' } })).toThrow(
      expect.objectContaining({ code: 'invalid_request' }),
    );
  });

  it('finds every agent of every scenario by type (handoff targets included)', () => {
    for (const type of [
      'workflow_designer',
      'deployment',
      'system',
      'venue_event',
      'database_copilot',
      'ptm_prep',
    ])
      expect(registry.get(type).type).toBe(type);
    expect(registry.commands().map((command) => command.name)).toEqual(['ptm', 'lesson', 'progress']);
  });

  it('offers one picker entry per scenario role, each with a real agent and starter prompts', () => {
    expect(options.map((option) => option.agentType)).toEqual([
      'orchestrator',
      'client',
      'venue_general',
      'venue_event',
      'database_copilot',
      'classroom_assistant',
      'health',
    ]);
    for (const option of options) {
      expect(option.starterPrompts.length).toBeGreaterThan(0);
      expect(() =>
        registry.route({ text: 'Hi', metadata: { agentType: option.agentType, ...option.metadata } }),
      ).not.toThrow();
    }
  });
});
