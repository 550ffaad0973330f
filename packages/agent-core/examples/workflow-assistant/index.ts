/**
 * Scenario A, the multi-agent workflow assistant: an orchestrator hands off (SDK handoffs) to a workflow designer,
 * a deployment agent or a system agent. `result.lastAgent.name` records which agent answered.
 */
import { createToolRegistry, defineTool, RequestError } from '@relaykit/tool-registry';
import { toAgentsTools } from '@relaykit/tool-registry/agents';
import { z } from 'zod';
import { complexityModelPolicy, createAgentRegistry, defineAgent } from '../../src/index.ts';
import { appendCapped, nextDemoId } from '../demo-store.ts';

/** A workflow the designer drafted. */
export interface Workflow {
  id: string;
  name: string;
  steps: string[];
  ownerId: string;
}

/** A deployment of a workflow. */
export interface Deployment {
  workflowId: string;
  environment: 'staging' | 'production';
  status: 'deployed';
}

/** The data the tools work on; an app passes its database-backed equivalent. */
export interface WorkflowStore {
  workflows: Workflow[];
  deployments: Deployment[];
  services: Record<string, 'up' | 'degraded' | 'down'>;
}

/** A small in-memory data set for demos and tests. */
export function createDemoWorkflowStore(): WorkflowStore {
  return {
    workflows: [
      { id: 'wf-1', name: 'Invoice approval', steps: ['receive', 'review', 'approve'], ownerId: 'demo' },
    ],
    deployments: [],
    services: { api: 'up', queue: 'up', scheduler: 'degraded' },
  };
}

/** The agents of scenario A over `store`. */
export function createWorkflowAssistantAgents(deps: { store: WorkflowStore }) {
  const { store } = deps;
  const createWorkflow = defineTool({
    name: 'create_workflow',
    description: 'Create a workflow from an ordered list of step names.',
    risk: 'write',
    input: z.object({ name: z.string().min(1), steps: z.array(z.string().min(1)).min(1) }),
    execute: ({ name, steps }, context) => {
      const workflow = {
        id: nextDemoId(store.workflows, 'wf'),
        name,
        steps,
        ownerId: context.userId ?? 'anonymous',
      };
      appendCapped(store.workflows, workflow);
      return workflow;
    },
  });
  const listWorkflows = defineTool({
    name: 'list_workflows',
    description: 'List the workflows of the current user.',
    risk: 'read',
    input: z.object({}),
    execute: (_input, context) => ({
      workflows: store.workflows.filter((w) => w.ownerId === context.userId),
    }),
  });
  const deployWorkflow = defineTool({
    name: 'deploy_workflow',
    description: 'Deploy one of the user’s workflows to staging or production.',
    risk: 'write',
    input: z.object({ workflowId: z.string(), environment: z.enum(['staging', 'production']) }),
    execute: ({ workflowId, environment }, context) => {
      const workflow = store.workflows.find((w) => w.id === workflowId && w.ownerId === context.userId);
      if (!workflow) throw new RequestError('not_found', `workflow ${workflowId} does not exist`);
      const deployment: Deployment = { workflowId, environment, status: 'deployed' };
      appendCapped(store.deployments, deployment);
      return deployment;
    },
  });
  const systemStatus = defineTool({
    name: 'system_status',
    description: 'Report the status of each platform service.',
    risk: 'read',
    input: z.object({}),
    execute: () => ({ services: store.services }),
  });
  const tools = createToolRegistry().register(createWorkflow, listWorkflows, deployWorkflow, systemStatus);
  const pick = (...names: string[]) => toAgentsTools(tools, { names });

  const none = z.object({});
  const registry = createAgentRegistry(
    [
      defineAgent({
        type: 'orchestrator',
        description: 'Understands the request and hands it to the right specialist.',
        metadata: none,
        instructions:
          'Hand off to workflow_designer for designing workflows, deployment for deploying them, system for platform status.',
        handoffs: ['workflow_designer', 'deployment', 'system'],
        starterPrompts: [
          'Design an onboarding workflow',
          'Deploy my workflow to staging',
          'Is the platform healthy?',
        ],
      }),
      defineAgent({
        type: 'workflow_designer',
        description: 'Designs and edits workflows.',
        metadata: none,
        instructions: 'You design workflows as short ordered lists of steps. Save them with create_workflow.',
        tools: pick('create_workflow', 'list_workflows'),
      }),
      defineAgent({
        type: 'deployment',
        description: 'Deploys workflows to staging and production.',
        metadata: none,
        instructions: 'You deploy the user’s workflows. Deploy to production only when asked explicitly.',
        tools: pick('list_workflows', 'deploy_workflow'),
      }),
      defineAgent({
        type: 'system',
        description: 'Answers questions about platform health.',
        metadata: none,
        instructions: 'You report platform status from system_status; never guess.',
        tools: pick('system_status'),
        modelSettings: { temperature: 0 },
      }),
    ],
    {
      orchestrator: 'orchestrator',
      // A cheaper model for simple queries, the stronger one for long or complex ones.
      modelPolicy: complexityModelPolicy({ simpleModel: 'gpt-4.1-mini', complexModel: 'gpt-4.1' }),
    },
  );
  return { registry, tools };
}
