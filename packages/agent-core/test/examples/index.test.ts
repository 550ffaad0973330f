import { describe, expect, it } from 'vitest';
import * as examples from '../../examples/index.ts';

describe('examples/index.ts', () => {
  it('re-exports every scenario’s factory and the run helper (names pinned)', () => {
    expect(Object.keys(examples).sort()).toEqual([
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
