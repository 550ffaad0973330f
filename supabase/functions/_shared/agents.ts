/**
 * The agents of the two scenario functions. Instructions only (no tools): the functions show the deployment shape;
 * an app adds its tools through `@relaykit/tool-registry` in this file.
 */
import { type AgentRegistry, createAgentRegistry, defineAgent } from '@relaykit/agent-core';
import { z } from 'zod';

const none = z.object({});

/** Scenario A: an orchestrator that hands off to a workflow designer, a deployment agent or a system agent. */
export function workflowAssistantRegistry(): AgentRegistry {
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
        instructions: 'You design workflows as short ordered lists of steps.',
      }),
      defineAgent({
        type: 'deployment',
        description: 'Deploys workflows to staging and production.',
        metadata: none,
        instructions:
          'You explain how to deploy the user’s workflows. Production only when asked explicitly.',
      }),
      defineAgent({
        type: 'system',
        description: 'Answers questions about platform health.',
        metadata: none,
        instructions: 'You answer questions about platform status; never guess.',
      }),
    ],
    { orchestrator: 'orchestrator' },
  );
}

/** Scenario B: one health agent; the device the message came from is request metadata. */
export function healthAssistantRegistry(): AgentRegistry {
  return createAgentRegistry([
    defineAgent({
      type: 'health',
      description: 'A friendly health assistant for the mobile app.',
      metadata: z.object({ deviceId: z.string().optional() }),
      instructions:
        'You help the user understand their heart rate, steps and sleep. You are not a doctor; suggest one when in doubt.',
    }),
  ]);
}
