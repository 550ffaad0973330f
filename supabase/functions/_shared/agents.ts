/**
 * The agents of the two scenario functions: the reference agent sets of `@relaykit/agent-core/examples` (the workflow
 * assistant of scenario A, the health assistant of scenario B), the very definitions the reference app runs, with
 * their tools, starter prompts, model settings and model policy. Their data is the examples' in-memory demo set, one per
 * function instance, each list capped at its newest rows: a deployment shape to copy, not a database. An app replaces
 * these stores with its own tables (the factories take any store of the same shape) or defines its own agents.
 */
import type { AgentRegistry } from '@relaykit/agent-core';
import {
  createDemoHealthStore,
  createDemoWorkflowStore,
  createHealthAssistantAgents,
  createWorkflowAssistantAgents,
  type HealthStore,
  type WorkflowStore,
} from '@relaykit/agent-core/examples';

/** Scenario A: an orchestrator that hands off to a workflow designer, a deployment agent or a system agent. */
export function workflowAssistantRegistry(store: WorkflowStore = createDemoWorkflowStore()): AgentRegistry {
  return createWorkflowAssistantAgents({ store }).registry;
}

/** Scenario B: one health agent; the device the message came from is request metadata, passed to its tools. */
export function healthAssistantRegistry(store: HealthStore = createDemoHealthStore()): AgentRegistry {
  return createHealthAssistantAgents({ store }).registry;
}
