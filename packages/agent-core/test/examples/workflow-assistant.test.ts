import { describe, expect, it } from 'vitest';
import { runTurn } from '../../examples/run-turn.ts';
import {
  createDemoWorkflowStore,
  createWorkflowAssistantAgents,
} from '../../examples/workflow-assistant/index.ts';
import { offeredTools, startFake, toolOutputs } from './harness.ts';

describe('scenario A: workflow assistant', () => {
  it('the orchestrator hands off to the workflow designer, which saves a workflow', async () => {
    const store = createDemoWorkflowStore();
    const { registry } = createWorkflowAssistantAgents({ store });
    const { fake, modelProvider } = await startFake([
      {
        match: { hasToolOutput: false },
        replies: [{ toolCalls: [{ name: 'transfer_to_workflow_designer', arguments: {} }] }],
      },
      {
        match: { hasToolOutput: true },
        replies: [
          {
            toolCalls: [
              {
                name: 'create_workflow',
                arguments: { name: 'Onboarding', steps: ['invite', 'setup', 'welcome'] },
              },
            ],
          },
          { text: 'Saved the Onboarding workflow with 3 steps.' },
        ],
      },
    ]);
    try {
      const { route, result } = await runTurn({
        registry,
        modelProvider,
        text: 'Design an onboarding workflow',
        userId: 'user-1',
      });
      expect(route.agent.type).toBe('orchestrator');
      expect(route.reason).toBe('default');
      // "design" marks a complex query: the stronger model.
      expect(route.model.model).toBe('gpt-4.1');
      expect(fake.calls.map((call) => (call.body as { model: string }).model)).toEqual([
        'gpt-4.1',
        'gpt-4.1',
        'gpt-4.1',
      ]);
      expect(result.lastAgent?.name).toBe('workflow_designer');
      expect(result.finalOutput).toBe('Saved the Onboarding workflow with 3 steps.');
      expect(store.workflows.at(-1)).toEqual({
        id: 'wf-2',
        name: 'Onboarding',
        steps: ['invite', 'setup', 'welcome'],
        ownerId: 'user-1',
      });
      const tools = offeredTools(fake);
      expect(tools[0]).toEqual(
        expect.arrayContaining([
          'transfer_to_workflow_designer',
          'transfer_to_deployment',
          'transfer_to_system',
        ]),
      );
      expect(tools[1]).toEqual(['create_workflow', 'list_workflows']);
      expect(toolOutputs(fake).at(-1)?.output).toMatchObject({ id: 'wf-2', name: 'Onboarding' });
      expect(fake.calls).toHaveLength(3);
    } finally {
      await fake.close();
    }
  });

  it('the deployment agent deploys only the user’s own workflow', async () => {
    const store = createDemoWorkflowStore();
    const { registry } = createWorkflowAssistantAgents({ store });
    const { fake, modelProvider } = await startFake([
      {
        match: { hasToolOutput: false },
        reply: { toolCalls: [{ name: 'transfer_to_deployment', arguments: {} }] },
      },
      {
        match: { hasToolOutput: true },
        replies: [
          {
            toolCalls: [
              { name: 'deploy_workflow', arguments: { workflowId: 'wf-1', environment: 'staging' } },
            ],
          },
          { text: 'That workflow is not yours.' },
          {
            toolCalls: [
              { name: 'deploy_workflow', arguments: { workflowId: 'wf-1', environment: 'staging' } },
            ],
          },
          { text: 'Deployed wf-1 to staging.' },
        ],
      },
    ]);
    try {
      const { route, result } = await runTurn({
        registry,
        modelProvider,
        text: 'Deploy wf-1 to staging',
        userId: 'intruder',
      });
      expect(route.model.model).toBe('gpt-4.1-mini'); // a short, simple query: the cheaper model
      expect(result.lastAgent?.name).toBe('deployment');
      expect(result.finalOutput).toBe('That workflow is not yours.');
      expect(store.deployments).toEqual([]);
      expect(toolOutputs(fake).at(-1)?.output).toEqual({
        error: { code: 'not_found', message: 'workflow wf-1 does not exist' },
      });

      const { result: own } = await runTurn({
        registry,
        modelProvider,
        text: 'Deploy wf-1 to staging',
        userId: 'demo',
      });
      expect(own.lastAgent?.name).toBe('deployment');
      expect(own.finalOutput).toBe('Deployed wf-1 to staging.');
      expect(store.deployments).toEqual([{ workflowId: 'wf-1', environment: 'staging', status: 'deployed' }]);
    } finally {
      await fake.close();
    }
  });
});
