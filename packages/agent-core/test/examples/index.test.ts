import { describe, expect, it } from 'vitest';
import * as examples from '../../examples/index.ts';

describe('examples/index.ts', () => {
  it('re-exports every scenario’s factory and the run helper (names pinned)', () => {
    expect(Object.keys(examples).sort()).toEqual([
      'agentsToolsOf',
      'applyNaturalLanguageTriggers',
      'classroomCommands',
      'createClassroomAgents',
      'createClassroomLoaders',
      'createDatabaseCopilotAgents',
      'createDemoClassroomStore',
      'createDemoEventStore',
      'createDemoHealthStore',
      'createDemoWorkflowStore',
      'createEventLoaders',
      'createEventPlanningAgents',
      'createHealthAssistantAgents',
      'createWorkflowAssistantAgents',
      'runTurn',
      'startHostedHealthSession',
      'tableRowCount',
    ]);
  });

  it('each in-memory scenario builds a registry with its agents, in order', async () => {
    const registries = [
      examples.createWorkflowAssistantAgents({ store: examples.createDemoWorkflowStore() }).registry,
      examples.createHealthAssistantAgents({ store: examples.createDemoHealthStore() }).registry,
      examples.createEventPlanningAgents({ store: examples.createDemoEventStore() }).registry,
      examples.createClassroomAgents({ store: examples.createDemoClassroomStore() }).registry,
    ];
    expect(registries.map((registry) => registry.list().map((agent) => agent.type))).toEqual([
      ['orchestrator', 'workflow_designer', 'deployment', 'system'],
      ['health'],
      ['client', 'venue_general', 'venue_event'],
      ['classroom_assistant', 'ptm_prep'],
    ]);
  });
});

describe('agentsToolsOf', () => {
  it('converts strict and non-strict tools, and still fails on an unregistered name', async () => {
    const { createToolRegistry, defineTool } = await import('@relaykit/tool-registry');
    const { z } = await import('zod');
    const registry = createToolRegistry().register(
      defineTool({
        name: 'strict_tool',
        description: 'd',
        risk: 'read',
        input: z.object({ a: z.string() }),
        execute: () => 1,
      }),
      defineTool({
        name: 'optional_tool',
        description: 'd',
        risk: 'read',
        input: z.object({ a: z.string().optional() }),
        execute: () => 2,
      }),
    );
    const tools = examples.agentsToolsOf(registry);
    expect(tools.map((t) => [t.name, t.strict])).toEqual([
      ['strict_tool', true],
      ['optional_tool', false],
    ]);
    expect('~standard' in (tools[1]!.parameters as object)).toBe(false);
    expect(() => examples.agentsToolsOf(registry, ['missing'])).toThrow(/not registered/);
  });
});
