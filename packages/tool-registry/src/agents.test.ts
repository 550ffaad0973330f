import { Agent, run, setTracingDisabled } from '@openai/agents';
import { assistantMessage, functionCall, ScriptedModel } from '@openai/agents/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { clientToolUseBehavior, toAgentsTool, toAgentsTools } from './agents';
import { clientToolNames, isClientTool, parseClientToolCall } from './chatkit';
import { defineClientTool, defineTool, type ToolContext } from './define-tool';
import { createToolRegistry } from './registry';

beforeAll(() => {
  setTracingDisabled(true);
});

function fixture() {
  const deleted: string[] = [];
  const seenContexts: ToolContext[] = [];
  const listEvents = defineTool({
    name: 'list_events',
    description: 'List upcoming events.',
    risk: 'read',
    input: z.object({ city: z.string() }),
    execute: ({ city }, context) => {
      seenContexts.push(context);
      return { events: [`${city} meetup`] };
    },
  });
  const deleteEvent = defineTool({
    name: 'delete_event',
    description: 'Delete an event.',
    risk: 'destructive',
    input: z.object({ id: z.string() }),
    execute: ({ id }) => {
      deleted.push(id);
      return { deleted: id };
    },
  });
  const pickDate = defineClientTool({
    name: 'pick_date',
    description: 'Ask the user for a date.',
    input: z.object({ label: z.string() }),
  });
  const registry = createToolRegistry({
    policies: [{ effect: 'allow', tools: ['delete_event'], roles: ['organizer'] }],
  }).register(listEvents, deleteEvent, pickDate);
  return { registry, deleted, seenContexts };
}

const toolOutputs = (model: ScriptedModel, index: number) =>
  JSON.stringify(model.calls[index]?.request.input);

describe('Agents SDK conversion (real run() against a scripted model)', () => {
  it('runs a tool with the run context and feeds its JSON output back to the model', async () => {
    const { registry, seenContexts } = fixture();
    const model = new ScriptedModel([
      [functionCall('list_events', { city: 'Oslo' }, { callId: 'call_1' })],
      [assistantMessage('There is an Oslo meetup.')],
    ]);
    const agent = new Agent({
      name: 'planner',
      instructions: 'Plan.',
      model,
      tools: toAgentsTools(registry),
    });
    const result = await run(agent, 'What is on?', { context: { userId: 'u1', agentType: 'planner' } });
    expect(result.finalOutput).toBe('There is an Oslo meetup.');
    expect(toolOutputs(model, 1)).toContain(
      JSON.stringify(JSON.stringify({ events: ['Oslo meetup'] })).slice(1, -1),
    );
    expect(seenContexts[0]).toMatchObject({ userId: 'u1', agentType: 'planner', callId: 'call_1' });
    const sent = model.calls[0]?.request.tools.map((tool) => tool.name);
    expect(sent).toEqual(['list_events', 'pick_date']);
  });

  it('sends schema-invalid arguments back as a structured error instead of throwing', async () => {
    const { registry } = fixture();
    const model = new ScriptedModel([
      [functionCall('list_events', { city: 42 }, { callId: 'call_1' })],
      [assistantMessage('Sorry.')],
    ]);
    const agent = new Agent({ name: 'planner', model, tools: [toAgentsTool(registry, 'list_events')] });
    const result = await run(agent, 'Go');
    expect(result.finalOutput).toBe('Sorry.');
    expect(toolOutputs(model, 1)).toContain('invalid_request');
  });

  it('maps a destructive tool to the SDK approval flow: interrupt, approve, then run', async () => {
    const { registry, deleted } = fixture();
    const model = new ScriptedModel([
      [functionCall('delete_event', { id: 'ev_1' }, { callId: 'call_1' })],
      [assistantMessage('Deleted.')],
    ]);
    const context = { userId: 'u1', roles: ['organizer'] };
    const agent = new Agent({ name: 'planner', model, tools: toAgentsTools(registry) });
    const first = await run(agent, 'Delete ev_1', { context });
    expect(first.interruptions).toHaveLength(1);
    expect(first.interruptions[0]?.name).toBe('delete_event');
    expect(deleted).toEqual([]);
    first.state.approve(first.interruptions[0] as never);
    const second = await run(agent, first.state);
    expect(second.finalOutput).toBe('Deleted.');
    expect(deleted).toEqual(['ev_1']);
  });

  it('never runs a rejected destructive call', async () => {
    const { registry, deleted } = fixture();
    const model = new ScriptedModel([
      [functionCall('delete_event', { id: 'ev_1' }, { callId: 'call_1' })],
      [assistantMessage('Not deleted.')],
    ]);
    const agent = new Agent({ name: 'planner', model, tools: toAgentsTools(registry) });
    const first = await run(agent, 'Delete ev_1', { context: { roles: ['organizer'] } });
    first.state.reject(first.interruptions[0] as never);
    const second = await run(agent, first.state);
    expect(second.finalOutput).toBe('Not deleted.');
    expect(deleted).toEqual([]);
  });

  it('hides tools the policies disable for this caller', async () => {
    const { registry } = fixture();
    const model = new ScriptedModel([[assistantMessage('ok')]]);
    const agent = new Agent({ name: 'planner', model, tools: toAgentsTools(registry) });
    await run(agent, 'hi', { context: { roles: ['organizer'] } });
    expect(model.calls[0]?.request.tools.map((tool) => tool.name)).toEqual([
      'list_events',
      'delete_event',
      'pick_date',
    ]);
  });

  it('stops the run at a client tool and returns its pending client_tool_call', async () => {
    const { registry } = fixture();
    const model = new ScriptedModel([[functionCall('pick_date', { label: 'Start' }, { callId: 'call_7' })]]);
    const agent = new Agent({
      name: 'planner',
      model,
      tools: toAgentsTools(registry),
      toolUseBehavior: clientToolUseBehavior(registry),
    });
    const result = await run(agent, 'Pick a date');
    expect(parseClientToolCall(result.finalOutput)).toEqual({
      type: 'client_tool_call',
      status: 'pending',
      call_id: 'call_7',
      name: 'pick_date',
      arguments: { label: 'Start' },
    });
    expect(model.calls).toHaveLength(1);
  });

  it('marks client tools, so a responder can find them among an agent tools', () => {
    const { registry } = fixture();
    const tools = toAgentsTools(registry);
    expect(tools.map((tool) => [tool.name, isClientTool(tool)])).toEqual([
      ['list_events', false],
      ['delete_event', false],
      ['pick_date', true],
    ]);
    expect(clientToolNames(tools)).toEqual(['pick_date']);
    expect(Object.keys(tools[2]!)).not.toContain('relaykit.tool.client');
  });

  it('refuses to convert an unregistered tool', () => {
    expect(() => toAgentsTool(createToolRegistry(), 'ghost')).toThrow(/not registered/);
  });
});

describe('tools with optional fields', () => {
  it('convert to non-strict SDK tools with a plain JSON schema and run', async () => {
    const seen: unknown[] = [];
    const registry = createToolRegistry();
    registry.register(
      defineTool({
        name: 'search_notes',
        description: 'Search notes.',
        risk: 'read',
        input: z.object({ query: z.string(), limit: z.number().int().optional() }),
        execute: (input) => {
          seen.push(input);
          return { hits: 1 };
        },
      }),
    );
    const converted = toAgentsTool(registry, 'search_notes');
    expect(converted.strict).toBe(false);
    expect(Object.hasOwn(converted.parameters, '~standard')).toBe(false);
    expect('~standard' in converted.parameters).toBe(false);
    const model = new ScriptedModel([
      [functionCall('search_notes', { query: 'venue' }, { callId: 'call_1' })],
      [assistantMessage('found one')],
    ]);
    const agent = new Agent({ name: 'notes', instructions: 'x', model, tools: [converted] });
    const result = await run(agent, 'find venue notes');
    expect(result.finalOutput).toBe('found one');
    expect(seen).toEqual([{ query: 'venue' }]);
  });
});
