import { type InputGuardrail, MCPServerStreamableHttp } from '@openai/agents';
import { expect, it } from 'vitest';
import { z } from 'zod';
import { expectReadmeSnippet } from '../../test/readme-snippet';
import { defineAgent, instantiateAgent } from '../index';
import { createAgentRegistry } from './registry';

it('README: every Agents SDK option through defineAgent', async () => {
  const started: string[] = [];
  const noSecrets: InputGuardrail = {
    name: 'no_secrets',
    execute: async ({ input }) => ({
      tripwireTriggered: JSON.stringify(input).includes('sk-'),
      outputInfo: null,
    }),
  };
  const venues = new MCPServerStreamableHttp({ url: 'http://127.0.0.1:9/mcp', name: 'venues' }); // never connected here
  // --- agent options ---
  const Contract = z.object({ venue: z.string(), guests: z.number(), depositPercent: z.number() });
  const contractWriter = defineAgent({
    type: 'contract_writer',
    description: 'Drafts venue contracts',
    metadata: z.object({ eventId: z.string() }),
    instructions: (context) => `Draft the contract for event ${context.metadata.eventId}.`,
    modelSettings: { reasoning: { effort: 'low' }, toolChoice: 'auto' },
    outputType: Contract, // structured output (the final answer is this JSON)
    inputGuardrails: [noSecrets],
    // Options that may depend on the run can be functions of the run context, like `tools`:
    mcpServers: (context) => (context.metadata.eventId.startsWith('vip_') ? [venues] : []),
    toolUseBehavior: { stopAtToolNames: ['submit_contract'] },
    hooks: { agent_start: (_runContext, agent) => started.push(agent.name) },
    configure: (agent) => agent.clone({ resetToolChoice: false }), // escape hatch: the built SDK Agent
  });
  // --- end agent options ---
  const build = (eventId: string) =>
    instantiateAgent(contractWriter, {
      registry: createAgentRegistry([contractWriter]),
      metadata: { eventId },
      userId: 'user-1',
      model: 'gpt-4.1-mini',
    });
  const vip = await build('vip_1');
  expect(vip.instructions).toBe('Draft the contract for event vip_1.');
  expect(vip.modelSettings).toEqual({ reasoning: { effort: 'low' }, toolChoice: 'auto' });
  expect((vip as unknown as { outputType: unknown }).outputType).toBe(Contract);
  expect(vip.inputGuardrails).toEqual([noSecrets]);
  expect(vip.mcpServers).toEqual([venues]);
  expect(vip.toolUseBehavior).toEqual({ stopAtToolNames: ['submit_contract'] });
  expect(vip.resetToolChoice).toBe(false);
  vip.emit('agent_start', {} as never, vip);
  expect(started).toEqual(['contract_writer']);
  expect((await build('ev_2')).mcpServers).toEqual([]);
  expectReadmeSnippet(new URL(import.meta.url), 'agent options');
});
