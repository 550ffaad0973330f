/**
 * The agents of the two scenario functions and their tools (`@relaykit/tool-registry`, converted to Agents SDK tools),
 * as in `packages/agent-core/examples` (workflow-assistant, health-assistant). The tools work on a small in-memory
 * data set per function instance: a deployment shape to copy, not a database. An app replaces the stores with its own
 * tables and adds tools here.
 *
 * Why a copy instead of importing the examples: (1) the examples import agent-core's sources (`../../src/index.ts`,
 * so they always match the checkout, see `examples/run-turn.ts`); Deno would need them to import `@relaykit/agent-core`
 * by name, which in Node resolves through the package's self-reference to its built `dist`, so the example tests
 * could run a stale build mixed with the sources `run-turn.ts` uses. (2) `supabase functions deploy` bundles a
 * relative import leaving `supabase/functions/` only in CLI versions that walk the static module graph (the Docker
 * bundler binding the walked files, `--use-api` uploading them relative to the workdir); older CLIs fail with "Module
 * not found" (supabase/cli#1016, #2533), and files above the workdir fail under `--use-api` (supabase/cli#3467).
 * (3) `packages/supabase-edge/test/supabase-functions.test.ts` copies only `_shared/` and each `index.ts` into a
 * temporary app, where `../../../packages/...` would not resolve. Keep this file self-contained (npm imports only,
 * through each function's `deno.json`); mirror example changes here by hand.
 */
import { type AgentRegistry, createAgentRegistry, defineAgent } from '@relaykit/agent-core';
import { createToolRegistry, defineTool, RequestError } from '@relaykit/tool-registry';
import { toAgentsTools } from '@relaykit/tool-registry/agents';
import { z } from 'zod';
import { appendCapped } from './capped.ts';

const none = z.object({});

/** The workflow assistant's data: workflows per user, their deployments, the platform's services. */
export interface WorkflowStore {
  workflows: { id: string; name: string; steps: string[]; ownerId: string }[];
  deployments: { workflowId: string; environment: 'staging' | 'production'; status: 'deployed' }[];
  services: Record<string, 'up' | 'degraded' | 'down'>;
}

/** Demo data: no workflows yet, and a degraded scheduler. */
export function createDemoWorkflowStore(): WorkflowStore {
  return { workflows: [], deployments: [], services: { api: 'up', queue: 'up', scheduler: 'degraded' } };
}

/** Scenario A: an orchestrator that hands off to a workflow designer, a deployment agent or a system agent. */
export function workflowAssistantRegistry(store: WorkflowStore = createDemoWorkflowStore()): AgentRegistry {
  const tools = createToolRegistry().register(
    defineTool({
      name: 'create_workflow',
      description: 'Create a workflow from an ordered list of step names.',
      risk: 'write',
      input: z.object({ name: z.string().min(1).max(200), steps: z.array(z.string().min(1)).min(1).max(50) }),
      execute: ({ name, steps }, context) => {
        const workflow = { id: crypto.randomUUID(), name, steps, ownerId: context.userId ?? '' };
        appendCapped(store.workflows, workflow);
        return workflow;
      },
    }),
    defineTool({
      name: 'list_workflows',
      description: 'List the workflows of the current user.',
      risk: 'read',
      input: z.object({}),
      execute: (_input, context) => ({
        workflows: store.workflows.filter((workflow) => workflow.ownerId === context.userId),
      }),
    }),
    defineTool({
      name: 'deploy_workflow',
      description: 'Deploy one of the user’s workflows to staging or production.',
      risk: 'write',
      input: z.object({ workflowId: z.string().min(1), environment: z.enum(['staging', 'production']) }),
      execute: ({ workflowId, environment }, context) => {
        const workflow = store.workflows.find((w) => w.id === workflowId && w.ownerId === context.userId);
        if (!workflow) throw new RequestError('not_found', `workflow ${workflowId} does not exist`);
        const deployment = { workflowId, environment, status: 'deployed' as const };
        appendCapped(store.deployments, deployment);
        return deployment;
      },
    }),
    defineTool({
      name: 'system_status',
      description: 'Report the status of each platform service.',
      risk: 'read',
      input: z.object({}),
      execute: () => ({ services: store.services }),
    }),
  );
  const pick = (...names: string[]) => toAgentsTools(tools, { names });
  return createAgentRegistry(
    [
      defineAgent({
        type: 'orchestrator',
        description: 'Understands the request and hands it to the right specialist.',
        metadata: none,
        instructions:
          'Hand off to workflow_designer for designing workflows, deployment for deploying them, system for platform status.',
        handoffs: ['workflow_designer', 'deployment', 'system'],
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
      }),
    ],
    { orchestrator: 'orchestrator' },
  );
}

const MEASUREMENT_KINDS = ['heart_rate', 'steps', 'sleep_hours'] as const;

/** The health assistant's data: measurements per user and device. */
export interface HealthStore {
  measurements: {
    userId: string;
    deviceId: string | null;
    kind: (typeof MEASUREMENT_KINDS)[number];
    value: number;
    at: string;
  }[];
}

/** Scenario B: one health agent; the device the message came from is request metadata, passed to its tools. */
export function healthAssistantRegistry(store: HealthStore = { measurements: [] }): AgentRegistry {
  const kind = z.enum(MEASUREMENT_KINDS);
  const toolsFor = (deviceId: string | null) =>
    toAgentsTools(
      createToolRegistry().register(
        defineTool({
          name: 'log_measurement',
          description: 'Record a measurement the user reports (heart rate in bpm, steps, sleep in hours).',
          risk: 'write',
          input: z.object({ kind, value: z.number().positive().max(100_000) }),
          execute: ({ kind, value }, context) => {
            const entry = {
              userId: context.userId ?? '',
              deviceId,
              kind,
              value,
              at: new Date().toISOString(),
            };
            appendCapped(store.measurements, entry);
            return { logged: entry };
          },
        }),
        defineTool({
          name: 'get_recent_measurements',
          description: 'The user’s last measurements of one kind, newest first.',
          risk: 'read',
          input: z.object({ kind, limit: z.number().int().min(1).max(50) }),
          execute: ({ kind, limit }, context) => ({
            measurements: store.measurements
              .filter((m) => m.userId === context.userId && m.kind === kind)
              .sort((a, b) => b.at.localeCompare(a.at))
              .slice(0, limit),
          }),
        }),
      ),
    );
  return createAgentRegistry([
    defineAgent({
      type: 'health',
      description: 'A friendly health assistant for the mobile app.',
      metadata: z.object({ deviceId: z.string().optional() }),
      instructions:
        'You help the user track their heart rate, steps and sleep: log what they report with log_measurement and ' +
        'compare with get_recent_measurements. You are not a doctor; suggest one when in doubt.',
      tools: ({ metadata }) => toolsFor(metadata.deviceId ?? null),
    }),
  ]);
}
