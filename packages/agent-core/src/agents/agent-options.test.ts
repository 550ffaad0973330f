import {
  Agent,
  type AgentConfiguration,
  type InputGuardrail,
  MCPServerStreamableHttp,
  type OutputGuardrail,
} from '@openai/agents';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  MANAGED_AGENT_OPTIONS,
  type ManagedAgentOption,
  PASSED_THROUGH_AGENT_OPTIONS,
  type PassedThroughAgentOption,
} from './agent-options';
import {
  type AgentDefinitionOptions,
  type AgentRunContext,
  type AnyAgentDefinition,
  defineAgent,
} from './define-agent';
import { instantiateAgent } from './instantiate';
import { createAgentRegistry } from './registry';

// Type test: every key of the SDK's Agent options is either managed by RelayKit or passed through, and no list names a
// key the SDK does not have. A new SDK option fails `pnpm typecheck` here until it is handled.
type SdkKey = keyof AgentConfiguration;
type Unhandled = Exclude<SdkKey, ManagedAgentOption | PassedThroughAgentOption>;
type Stale = Exclude<ManagedAgentOption | PassedThroughAgentOption, SdkKey>;
type Overlap = ManagedAgentOption & PassedThroughAgentOption;
// Every passed-through option is an option of `defineAgent`.
type NotAccepted = Exclude<PassedThroughAgentOption, keyof AgentDefinitionOptions<unknown, unknown>>;
const exhaustive: [Unhandled, Stale, Overlap, NotAccepted] extends [never, never, never, never]
  ? true
  : false = true;

const inputGuardrail: InputGuardrail = {
  name: 'no_secrets',
  execute: async () => ({ tripwireTriggered: false, outputInfo: null }),
};
const outputGuardrail: OutputGuardrail = {
  name: 'polite',
  execute: async () => ({ tripwireTriggered: false, outputInfo: null }),
};
const Contract = z.object({ title: z.string(), total: z.number() });
const mcpServer = new MCPServerStreamableHttp({ url: 'http://127.0.0.1:9/mcp', name: 'unused' });
const toolUseBehavior = { stopAtToolNames: ['finish'] };

const build = (definition: AnyAgentDefinition, metadata: unknown = {}) =>
  instantiateAgent(definition, {
    registry: createAgentRegistry([definition]),
    metadata,
    userId: 'user-1',
    model: 'gpt-4.1-mini',
  });

describe('defineAgent passes every SDK Agent option through', () => {
  it('the option lists cover the SDK configuration exactly (type test, checked at runtime too)', () => {
    expect(exhaustive).toBe(true);
    expect(new Set([...MANAGED_AGENT_OPTIONS, ...PASSED_THROUGH_AGENT_OPTIONS]).size).toBe(
      MANAGED_AGENT_OPTIONS.length + PASSED_THROUGH_AGENT_OPTIONS.length,
    );
  });

  it('each passed option reaches the constructed Agent', async () => {
    const agent = await build(
      defineAgent({
        type: 'planner',
        description: 'Plans events',
        metadata: z.object({}),
        instructions: 'Plan.',
        modelSettings: { temperature: 0.2, reasoning: { effort: 'low' }, toolChoice: 'auto' },
        prompt: { promptId: 'pmpt_1', version: '2', variables: { city: 'Paris' } },
        mcpServers: [mcpServer],
        mcpConfig: { convertSchemasToStrict: true, includeServerInToolNames: true },
        inputGuardrails: [inputGuardrail],
        outputGuardrails: [outputGuardrail],
        outputType: Contract,
        toolUseBehavior,
        resetToolChoice: false,
        handoffOutputTypeWarningEnabled: false,
      }),
    );
    const read = agent as unknown as Record<string, unknown>;
    expect(agent.modelSettings).toEqual({
      temperature: 0.2,
      reasoning: { effort: 'low' },
      toolChoice: 'auto',
    });
    expect(agent.prompt).toEqual({ promptId: 'pmpt_1', version: '2', variables: { city: 'Paris' } });
    expect(agent.mcpServers).toEqual([mcpServer]);
    expect(agent.mcpConfig).toEqual({ convertSchemasToStrict: true, includeServerInToolNames: true });
    expect(agent.inputGuardrails).toEqual([inputGuardrail]);
    expect(agent.outputGuardrails).toEqual([outputGuardrail]);
    expect(read.outputType).toBe(Contract);
    expect(agent.toolUseBehavior).toBe(toolUseBehavior);
    expect(agent.resetToolChoice).toBe(false);
    // `handoffOutputTypeWarningEnabled` is read by the constructor only; the handoff test below observes it.
    // Managed options keep RelayKit's meaning.
    expect(agent.name).toBe('planner');
    expect(agent.handoffDescription).toBe('Plans events');
    expect(agent.instructions).toBe('Plan.');
    expect(agent.model).toBe('gpt-4.1-mini');
  });

  it('context-dependent options may be functions of the run context, resolved once per build', async () => {
    const seen: AgentRunContext<{ tenant: string }, { plan: string }>[] = [];
    const definition = defineAgent({
      type: 'tenant_agent',
      description: 'Per tenant',
      metadata: z.object({ tenant: z.string() }),
      contextBuilder: (metadata) => ({ plan: metadata.tenant === 'acme' ? 'pro' : 'free' }),
      instructions: 'Help.',
      modelSettings: (context) => ({ temperature: context.data.plan === 'pro' ? 0.9 : 0.1 }),
      prompt: async (context) => ({ promptId: `pmpt_${context.metadata.tenant}` }),
      mcpServers: (context) => {
        seen.push(context);
        return context.data.plan === 'pro' ? [mcpServer] : [];
      },
      mcpConfig: () => ({ includeServerInToolNames: true }),
      inputGuardrails: (context) => (context.userId === 'user-1' ? [inputGuardrail] : []),
      outputGuardrails: async () => [outputGuardrail],
    });
    const agent = await build(definition, { tenant: 'acme' });
    expect(agent.modelSettings).toEqual({ temperature: 0.9 });
    expect(agent.prompt).toEqual({ promptId: 'pmpt_acme' });
    expect(agent.mcpServers).toEqual([mcpServer]);
    expect(agent.mcpConfig).toEqual({ includeServerInToolNames: true });
    expect(agent.inputGuardrails).toEqual([inputGuardrail]);
    expect(agent.outputGuardrails).toEqual([outputGuardrail]);
    expect(seen).toEqual([
      { agentType: 'tenant_agent', metadata: { tenant: 'acme' }, data: { plan: 'pro' }, userId: 'user-1' },
    ]);
    const free = await build(definition, { tenant: 'other' });
    expect(free.mcpServers).toEqual([]);
    expect(free.modelSettings).toEqual({ temperature: 0.1 });
  });

  it('a toolUseBehavior function is the SDK function, passed as it is (not called with the run context)', async () => {
    const behavior = async () => ({ isFinalOutput: false as const, isInterrupted: undefined });
    const agent = await build(
      defineAgent({
        type: 'stopper',
        description: 'x',
        metadata: z.object({}),
        instructions: 'x',
        toolUseBehavior: behavior,
      }),
    );
    expect(agent.toolUseBehavior).toBe(behavior);
  });

  it('leaves unset options to the SDK defaults (existing definitions build as before)', async () => {
    const agent = await build(
      defineAgent({ type: 'plain', description: 'x', metadata: z.object({}), instructions: 'x' }),
    );
    const reference = new Agent({ name: 'reference', model: 'gpt-4.1-mini' });
    expect(agent.toolUseBehavior).toBe(reference.toolUseBehavior);
    expect(agent.resetToolChoice).toBe(true);
    expect(agent.inputGuardrails).toEqual([]);
    expect(agent.outputGuardrails).toEqual([]);
    expect(agent.mcpServers).toEqual([]);
    expect(agent.prompt).toBeUndefined();
    expect(agent.outputType).toBe('text');
    expect(agent.modelSettings).toEqual(reference.modelSettings);
  });

  it('attaches lifecycle hooks to the built agent (an EventEmitter) and lets configure adjust or replace it', async () => {
    const started: string[] = [];
    const configured: string[] = [];
    const definition = defineAgent({
      type: 'hooked',
      description: 'x',
      metadata: z.object({}),
      instructions: 'x',
      hooks: { agent_start: (_context, agent) => started.push(agent.name) },
      configure: (agent, context) => {
        configured.push(`${agent.name}:${context.userId}`);
        agent.handoffDescription = 'changed by configure';
      },
    });
    const agent = await build(definition);
    agent.emit('agent_start', {} as never, agent);
    expect(started).toEqual(['hooked']);
    expect(configured).toEqual(['hooked:user-1']);
    expect(agent.handoffDescription).toBe('changed by configure');

    const replaced = await build(
      defineAgent({
        type: 'replaced',
        description: 'x',
        metadata: z.object({}),
        instructions: 'x',
        hooks: { agent_end: (_context, output) => started.push(`end:${output}`) },
        configure: (agent) => agent.clone({ instructions: 'from configure', model: 'gpt-5-mini' }),
      }),
    );
    expect(replaced.instructions).toBe('from configure');
    expect(replaced.model).toBe('gpt-5-mini');
    // Hooks are attached to the agent configure returned.
    replaced.emit('agent_end', {} as never, 'done');
    expect(started).toEqual(['hooked', 'end:done']);
  });

  it('handoff targets get their own passed-through options and configure', async () => {
    const specialist = defineAgent({
      type: 'specialist',
      description: 'Answers with a contract',
      metadata: z.object({}),
      instructions: 'x',
      outputType: Contract,
      inputGuardrails: [inputGuardrail],
      configure: (agent) => {
        agent.resetToolChoice = false;
      },
    });
    const router = defineAgent({
      type: 'router',
      description: 'Routes',
      metadata: z.object({}),
      instructions: 'x',
      handoffs: ['specialist'],
      handoffOutputTypeWarningEnabled: false,
    });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const buildRouter = (definition: typeof router) =>
      instantiateAgent(definition, {
        registry: createAgentRegistry([definition, specialist]),
        metadata: {},
        userId: 'user-1',
        model: 'gpt-4.1-mini',
      });
    const agent = await buildRouter(router);
    // The SDK warns about handoff targets with another output type unless the definition turns the warning off.
    expect(warn).not.toHaveBeenCalled();
    await buildRouter(defineAgent({ ...router, handoffOutputTypeWarningEnabled: undefined }));
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('Handoff agents have different output types'));
    warn.mockRestore();
    const target = agent.handoffs[0] as Agent;
    expect(target.name).toBe('specialist');
    expect((target as unknown as { outputType: unknown }).outputType).toBe(Contract);
    expect(target.inputGuardrails).toEqual([inputGuardrail]);
    expect(target.resetToolChoice).toBe(false);
    expect(agent.outputType).toBe('text');
  });
});
