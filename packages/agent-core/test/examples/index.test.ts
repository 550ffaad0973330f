import { describe, expect, it } from 'vitest';
import * as examples from '../../examples/index.ts';

describe('examples/index.ts', () => {
  it('re-exports every scenario’s factory and the run helper (names pinned)', () => {
    expect(Object.keys(examples).sort()).toEqual([
      'MAX_DEMO_ROWS',
      'PORTRAIT_STYLES',
      'appendCapped',
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
      'nextDemoId',
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

describe('the in-memory demo stores', () => {
  it('appendCapped keeps the newest rows only (500 by default)', () => {
    const rows: number[] = [];
    for (let i = 0; i < examples.MAX_DEMO_ROWS + 20; i++) examples.appendCapped(rows, i);
    expect(examples.MAX_DEMO_ROWS).toBe(500);
    expect(rows).toHaveLength(500);
    expect(rows[0]).toBe(20);
    expect(rows.at(-1)).toBe(519);
    const small = [1, 2];
    examples.appendCapped(small, 3, 2);
    expect(small).toEqual([2, 3]);
  });

  it('nextDemoId stays unique once old rows are dropped', () => {
    expect(examples.nextDemoId([], 'wf')).toBe('wf-1');
    expect(examples.nextDemoId([{ id: 'wf-7' }, { id: 'wf-3' }, { id: 'other' }], 'wf')).toBe('wf-8');
    const store = examples.createDemoWorkflowStore();
    for (let i = 0; i < examples.MAX_DEMO_ROWS + 5; i++)
      examples.appendCapped(store.workflows, {
        id: examples.nextDemoId(store.workflows, 'wf'),
        name: `w${i}`,
        steps: ['a'],
        ownerId: 'u',
      });
    expect(new Set(store.workflows.map((workflow) => workflow.id)).size).toBe(examples.MAX_DEMO_ROWS);
    expect(store.workflows.at(-1)?.id).toBe(`wf-${examples.MAX_DEMO_ROWS + 6}`);
  });
});
