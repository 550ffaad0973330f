import { Agent, tool } from '@openai/agents';
import { isRelayKitError, type RelayKitError } from '@relaykit/sse-protocol';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { complexityModelPolicy } from '../models/model-policy';
import { buildAgentRunContext, defineAgent, parseAgentMetadata } from './define-agent';
import { instantiateAgent } from './instantiate';
import { createAgentRegistry } from './registry';
import { parseSlashCommand } from './slash-commands';

function caught(fn: () => unknown): RelayKitError {
  try {
    fn();
  } catch (error) {
    if (isRelayKitError(error)) return error;
    throw error;
  }
  throw new Error('expected a RelayKitError');
}

const getEventDetails = tool({
  name: 'getEventDetails',
  description: 'Loads an event',
  parameters: z.object({ eventId: z.string() }),
  execute: async ({ eventId }) => ({ eventId }),
});

const client = defineAgent({
  type: 'client',
  description: 'Helps a client plan their event',
  metadata: z.object({ clientId: z.string(), eventId: z.string() }),
  contextBuilder: async (metadata, dependencies) => {
    const loadEvent = dependencies.loadEvent as (id: string) => Promise<{ date: string; guests: number }>;
    return loadEvent(metadata.eventId);
  },
  instructions: (context) =>
    `Event ${context.metadata.eventId} on ${context.data.date} for ${context.data.guests} guests.`,
  tools: [getEventDetails],
  model: 'gpt-4.1',
});
const venueGeneral = defineAgent({
  type: 'venue_general',
  description: 'Helps a venue manager across events',
  metadata: z.object({ venueId: z.string() }),
  instructions: 'You help venue staff.',
});
const orchestrator = defineAgent({
  type: 'orchestrator',
  description: 'Routes to a specialist',
  metadata: z.object({}),
  instructions: 'Hand off to the right specialist.',
  handoffs: ['workflow_designer', 'deployment'],
});
const workflowDesigner = defineAgent({
  type: 'workflow_designer',
  description: 'Designs workflows',
  metadata: z.object({}),
  instructions: 'You design workflows.',
  handoffs: ['orchestrator'],
});
const deployment = defineAgent({
  type: 'deployment',
  description: 'Deploys workflows',
  metadata: z.object({}),
  instructions: 'You deploy.',
});

describe('defineAgent and metadata', () => {
  it('rejects missing required metadata before any model call, naming the field', () => {
    const error = caught(() => parseAgentMetadata(client, { clientId: 'c1' }));
    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain('eventId');
    expect(error.details).toEqual([expect.objectContaining({ path: ['eventId'] })]);
  });

  it('rejects bad agent types at definition time', () => {
    expect(() =>
      defineAgent({ type: 'Bad Type', description: 'x', metadata: z.object({}), instructions: 'x' }),
    ).toThrowError(/agent type/);
  });

  it('builds context through injected loaders and bounds its size', async () => {
    const dependencies = { loadEvent: async (id: string) => ({ date: '2026-12-01', guests: id.length }) };
    const context = await buildAgentRunContext(client, {
      metadata: { clientId: 'c1', eventId: 'evt_42' },
      userId: 'u1',
      dependencies,
    });
    expect(context).toEqual({
      agentType: 'client',
      metadata: { clientId: 'c1', eventId: 'evt_42' },
      data: { date: '2026-12-01', guests: 6 },
      userId: 'u1',
    });
    const small = defineAgent({ ...client, maxContextBytes: 10 });
    await expect(
      buildAgentRunContext(small, { metadata: { clientId: 'c', eventId: 'e' }, userId: 'u1', dependencies }),
    ).rejects.toMatchObject({ code: 'payload_too_large' });
  });
});

describe('createAgentRegistry routing', () => {
  const registry = createAgentRegistry([orchestrator, workflowDesigner, deployment, client, venueGeneral], {
    orchestrator: 'orchestrator',
    slashCommands: [
      {
        name: 'ptm',
        description: 'Parent-teacher meeting prep',
        agent: 'venue_general',
        prompt: (rest) => `PTM: ${rest}`,
      },
      { name: 'lesson', description: 'Plan a lesson' },
    ],
    modelPolicy: complexityModelPolicy({ simpleModel: 'gpt-4.1-mini', complexModel: 'gpt-4.1' }),
  });

  it('chooses by metadata, validating that agent’s metadata', () => {
    const route = registry.route({
      text: 'hi',
      metadata: { agentType: 'client', clientId: 'c', eventId: 'e' },
    });
    expect(route.agent.type).toBe('client');
    expect(route.reason).toBe('metadata');
    expect(route.metadata).toEqual({ clientId: 'c', eventId: 'e' });
    const missing = caught(() =>
      registry.route({ text: 'hi', metadata: { agentType: 'client', clientId: 'c' } }),
    );
    expect(missing.code).toBe('invalid_request');
    expect(missing.message).toContain('eventId');
  });

  it('falls back to the orchestrator and refuses unknown agent types', () => {
    expect(registry.route({ text: 'hello' })).toMatchObject({
      reason: 'default',
      agent: { type: 'orchestrator' },
    });
    const unknown = caught(() => registry.route({ text: 'hi', metadata: { agentType: 'nope' } }));
    expect(unknown.code).toBe('invalid_request');
    expect(unknown.message).toContain('client');
    expect(caught(() => registry.get('nope')).code).toBe('not_found');
  });

  it('maps slash commands to agents and prompts; unregistered slashes stay text', () => {
    const route = registry.route({ text: '/ptm  Sam in year 5', metadata: { venueId: 'v1' } });
    expect(route).toMatchObject({
      reason: 'slash_command',
      text: 'PTM: Sam in year 5',
      agent: { type: 'venue_general' },
    });
    const lesson = registry.route({ text: '/LESSON fractions' });
    expect(lesson).toMatchObject({ agent: { type: 'orchestrator' }, text: 'fractions' });
    expect(lesson.command?.command.name).toBe('lesson');
    expect(parseSlashCommand('/usr/bin is a path', registry.commands())).toBeUndefined();
    expect(registry.route({ text: '/shrug ok' }).text).toBe('/shrug ok');
  });

  it('sends a bare command without a prompt as its own text, never an empty message', () => {
    const bare = registry.route({ text: '/lesson' });
    expect(bare).toMatchObject({ reason: 'default', text: '/lesson' });
    expect(bare.command?.command.name).toBe('lesson');
    expect(registry.route({ text: '  /LESSON  ' }).text).toBe('/LESSON');
  });

  it('chooses a cheap model for simple messages and a strong one otherwise, saying why', () => {
    expect(registry.route({ text: 'thanks!' }).model).toEqual({
      model: 'gpt-4.1-mini',
      reason: expect.stringContaining('simple'),
    });
    const complex = registry.route({ text: 'Please analyze last month and plan the next steps' });
    expect(complex.model.model).toBe('gpt-4.1');
    expect(complex.model.reason).toContain('complex');
    const long = registry.route({ text: 'a '.repeat(200) });
    expect(long.model).toMatchObject({ model: 'gpt-4.1', reason: expect.stringContaining('longer') });
  });

  it('refuses a registry whose handoffs, defaults or commands name unknown agents', () => {
    expect(() => createAgentRegistry([workflowDesigner])).toThrowError(/unknown agent type "orchestrator"/);
    expect(() => createAgentRegistry([deployment], { defaultAgent: 'x' })).toThrowError(
      /unknown agent type "x"/,
    );
    expect(() =>
      createAgentRegistry([deployment], { slashCommands: [{ name: 'go', description: 'x', agent: 'y' }] }),
    ).toThrowError(/"\/go"/);
    expect(() => createAgentRegistry([deployment, deployment])).toThrowError(/twice/);
  });

  it('instantiates SDK agents with resolved instructions, tools and handoffs (cycles cut)', async () => {
    const agent = await instantiateAgent(registry.get('orchestrator'), {
      registry,
      metadata: {},
      userId: 'u1',
      model: 'gpt-4.1-mini',
    });
    expect(agent).toBeInstanceOf(Agent);
    expect(agent.name).toBe('orchestrator');
    expect(agent.model).toBe('gpt-4.1-mini');
    expect(agent.handoffs.map((handoff) => (handoff as Agent).name)).toEqual([
      'workflow_designer',
      'deployment',
    ]);
    const designer = agent.handoffs[0] as Agent;
    expect(designer.handoffs).toEqual([]);
    expect(designer.handoffDescription).toBe('Designs workflows');

    const clientAgent = await instantiateAgent(client, {
      registry,
      metadata: { clientId: 'c', eventId: 'evt_1' },
      userId: 'u1',
      model: 'gpt-4.1',
      dependencies: { loadEvent: async () => ({ date: '2026-12-01', guests: 80 }) },
    });
    expect(clientAgent.instructions).toBe('Event evt_1 on 2026-12-01 for 80 guests.');
    expect(clientAgent.tools.map((entry) => entry.name)).toEqual(['getEventDetails']);
  });
});
