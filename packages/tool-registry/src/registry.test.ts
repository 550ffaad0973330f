import { RequestError } from '@relaykit/sse-protocol';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineClientTool, defineTool, type ToolContext } from './define-tool';
import { createToolRegistry, type ToolCallEnd, type ToolCallStart, type ToolPolicy } from './registry';

const echo = defineTool({
  name: 'echo',
  description: 'Echo a message back.',
  risk: 'read',
  input: z.object({ message: z.string().max(100) }),
  output: z.object({ echoed: z.string() }),
  execute: ({ message }) => ({ echoed: message }),
});
const sendMessage = defineTool({
  name: 'send_message',
  description: 'Send a message to an attendee.',
  risk: 'write',
  input: z.object({ to: z.string(), body: z.string() }),
  execute: ({ to }) => ({ sent: to }),
});
const deleteEvent = defineTool({
  name: 'delete_event',
  description: 'Delete an event.',
  risk: 'destructive',
  input: z.object({ id: z.string() }),
  execute: ({ id }) => ({ deleted: id }),
});

function registryWith(
  policies: ToolPolicy[] = [],
  isEnabled?: (flag: string, context: ToolContext) => boolean,
) {
  return createToolRegistry({ policies, isEnabled }).register(echo, sendMessage, deleteEvent);
}

const names = async (registry: ReturnType<typeof registryWith>, context?: ToolContext) =>
  (await registry.available(context)).map((tool) => tool.name);

describe('defineTool', () => {
  it('rejects invalid definitions with a ConfigurationError', () => {
    const base = { description: 'd', risk: 'read' as const, input: z.object({}), execute: () => 1 };
    expect(() => defineTool({ ...base, name: 'has space' })).toThrow(/name/);
    expect(() => defineTool({ ...base, name: 'x'.repeat(65) })).toThrow(/name/);
    expect(() => defineTool({ ...base, name: 'ok', description: ' ' })).toThrow(/description/);
    expect(() => defineTool({ ...base, name: 'ok', input: z.string() as never })).toThrow(/object schema/);
    expect(() => defineTool({ ...base, name: 'ok', risk: 'nuclear' as never })).toThrow(/risk/);
    expect(() => defineTool({ ...base, name: 'ok', timeoutMs: -1 })).toThrow(/timeoutMs/);
    try {
      defineTool({ ...base, name: '' });
    } catch (error) {
      expect((error as RequestError).code).toBe('configuration');
    }
  });

  it('makes destructive tools need approval by default', () => {
    expect(deleteEvent.needsApproval).toBe(true);
    expect(echo.needsApproval).toBe(false);
    expect(Object.isFrozen(echo)).toBe(true);
  });
});

describe('registry and policies', () => {
  it('registers, gets and lists tools and refuses duplicates', () => {
    const registry = registryWith();
    expect(registry.get('echo')).toBe(echo);
    expect(registry.get('nope')).toBeUndefined();
    expect(registry.list().map((tool) => tool.name)).toEqual(['echo', 'send_message', 'delete_event']);
    expect(() => registry.register(echo)).toThrow(/already registered/);
  });

  it('keeps destructive tools off unless a policy names them or their risk', async () => {
    expect(await names(registryWith())).toEqual(['echo', 'send_message']);
    expect(await names(registryWith([{ effect: 'allow' }]))).toEqual(['echo', 'send_message']);
    expect(await names(registryWith([{ effect: 'allow', tools: ['delete_event'] }]))).toContain(
      'delete_event',
    );
    expect(await names(registryWith([{ effect: 'allow', risks: ['destructive'] }]))).toContain(
      'delete_event',
    );
  });

  it('lets deny win over allow, by name or risk', async () => {
    const registry = registryWith([
      { effect: 'allow', risks: ['destructive'] },
      { effect: 'deny', tools: ['delete_event'] },
      { effect: 'deny', risks: ['write'] },
    ]);
    expect(await names(registry)).toEqual(['echo']);
    expect(await registry.check('send_message')).toEqual({
      reason: 'disabled',
      message: 'Tool "send_message" is not enabled for this caller.',
    });
    expect((await registry.check('missing'))?.reason).toBe('unknown_tool');
  });

  it('scopes rules to agent types, roles, conditions and feature flags', async () => {
    const flags = new Set(['beta-delete']);
    const registry = registryWith(
      [
        { effect: 'deny', risks: ['write'], agentTypes: ['faq'] },
        { effect: 'allow', tools: ['delete_event'], roles: ['admin'], flag: 'beta-delete' },
        { effect: 'deny', tools: ['echo'], when: (context) => context.attributes?.muted === true },
      ],
      (flag, context) => flags.has(flag) && context.userId !== 'not-in-beta',
    );
    expect(await names(registry, { agentType: 'faq' })).toEqual(['echo']);
    expect(await names(registry, { agentType: 'planner' })).toEqual(['echo', 'send_message']);
    expect(await names(registry, { roles: ['admin'] })).toEqual(['echo', 'send_message', 'delete_event']);
    expect(await names(registry, { roles: ['admin'], userId: 'not-in-beta' })).toEqual([
      'echo',
      'send_message',
    ]);
    expect(await names(registry, { roles: ['member'] })).toEqual(['echo', 'send_message']);
    expect(await names(registry, { attributes: { muted: true } })).toEqual(['send_message']);
    flags.clear();
    expect(await names(registry, { roles: ['admin'] })).toEqual(['echo', 'send_message']);
  });

  it('treats every flag as off without an isEnabled function', async () => {
    const registry = registryWith([{ effect: 'deny', tools: ['echo'], flag: 'kill-echo' }]);
    expect(await names(registry)).toContain('echo');
  });
});

describe('execute', () => {
  it('validates input and output and returns the output', async () => {
    const registry = registryWith();
    expect(await registry.execute('echo', '{"message":"hi"}')).toEqual({
      ok: true,
      output: { echoed: 'hi' },
    });
    expect(await registry.execute('echo', { message: 'hi' })).toEqual({ ok: true, output: { echoed: 'hi' } });
  });

  it('refuses bad arguments from the model with structured errors and never runs the tool', async () => {
    let runs = 0;
    const counted = defineTool({
      name: 'counted',
      description: 'Counts calls.',
      risk: 'read',
      input: z.object({ n: z.number().int() }),
      execute: () => {
        runs += 1;
        return { runs };
      },
    });
    const registry = createToolRegistry({ maxInputBytes: 1000 }).register(counted);
    const cases: Array<[unknown, string]> = [
      ['{"n": 1.5}', 'invalid_request'],
      ['{"n": "1"}', 'invalid_request'],
      ['{}', 'invalid_request'],
      ['not json', 'invalid_request'],
      ['[1,2]', 'invalid_request'],
      ['null', 'invalid_request'],
      [42, 'invalid_request'],
      [[1], 'invalid_request'],
      [`{"n": 1, "pad": "${'x'.repeat(2000)}"}`, 'payload_too_large'],
    ];
    for (const [input, code] of cases) {
      const result = await registry.execute('counted', input);
      expect(result.ok, String(input).slice(0, 40)).toBe(false);
      if (!result.ok) expect(result.error.code).toBe(code);
    }
    expect(runs).toBe(0);
    const invalid = await registry.execute('counted', '{"n":"x"}');
    expect(invalid).toMatchObject({
      ok: false,
      error: { code: 'invalid_request', details: { issues: [{ path: ['n'] }] } },
    });
  });

  it('answers unknown and disabled tools with not_found and forbidden', async () => {
    const registry = registryWith();
    expect(await registry.execute('rm_rf', '{}')).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await registry.execute('delete_event', '{"id":"e1"}')).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('requires approval for enabled destructive tools and runs them once approved', async () => {
    const registry = registryWith([{ effect: 'allow', tools: ['delete_event'] }]);
    expect(await registry.requiresApproval('delete_event', { id: 'e1' })).toBe(true);
    const refused = await registry.execute('delete_event', '{"id":"e1"}');
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: expect.stringMatching(/approval/) },
    });
    expect(await registry.execute('delete_event', '{"id":"e1"}', {}, { approved: true })).toEqual({
      ok: true,
      output: { deleted: 'e1' },
    });
  });

  it('supports approval decided per call', async () => {
    const transfer = defineTool({
      name: 'transfer',
      description: 'Move money.',
      risk: 'write',
      input: z.object({ cents: z.number() }),
      needsApproval: ({ cents }) => cents > 10_000,
      execute: ({ cents }) => ({ moved: cents }),
    });
    const registry = createToolRegistry().register(transfer);
    expect((await registry.execute('transfer', { cents: 500 })).ok).toBe(true);
    expect(await registry.execute('transfer', { cents: 50_000 })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await registry.requiresApproval('transfer', { cents: 50_000 })).toBe(true);
    // An approval rule only ever sees validated input; invalid input is refused before it could run.
    expect(await registry.requiresApproval('transfer', { cents: 'lots' })).toBe(false);
    expect(await registry.execute('transfer', { cents: 'lots' }, {}, { approved: true })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
  });

  it('turns thrown errors into results: RelayKit errors keep their code, others become internal without details', async () => {
    const failing = (error: unknown) =>
      defineTool({
        name: 'failing',
        description: 'Fails.',
        risk: 'read',
        input: z.object({}),
        execute: () => {
          throw error;
        },
      });
    const typed = await createToolRegistry()
      .register(failing(new RequestError('not_found', 'Event e9 does not exist.')))
      .execute('failing', '{}');
    expect(typed).toEqual({ ok: false, error: { code: 'not_found', message: 'Event e9 does not exist.' } });
    const foreign = await createToolRegistry()
      .register(failing(new Error('connect postgres://admin:hunter2@db failed')))
      .execute('failing', '{}');
    expect(foreign).toEqual({
      ok: false,
      error: { code: 'internal', message: 'Tool "failing" failed unexpectedly.' },
    });
  });

  it('rejects output that breaks the output schema', async () => {
    const liar = defineTool({
      name: 'liar',
      description: 'Returns the wrong shape.',
      risk: 'read',
      input: z.object({}),
      output: z.object({ count: z.number() }),
      execute: () => ({ count: 'many' }) as never,
    });
    expect(await createToolRegistry().register(liar).execute('liar', '{}')).toMatchObject({
      ok: false,
      error: { code: 'internal' },
    });
  });

  it('times out a hanging tool and aborts its signal', async () => {
    let seen: AbortSignal | undefined;
    const hang = defineTool({
      name: 'hang',
      description: 'Never finishes.',
      risk: 'read',
      timeoutMs: 30,
      input: z.object({}),
      execute: (_input, context) => {
        seen = context.signal;
        return new Promise(() => {});
      },
    });
    const result = await createToolRegistry().register(hang).execute('hang', '{}');
    expect(result).toMatchObject({ ok: false, error: { code: 'timeout' } });
    expect(seen?.aborted).toBe(true);
  });

  it('cancels a call when the caller aborts, before or during the run', async () => {
    const slow = defineTool({
      name: 'slow',
      description: 'Slow.',
      risk: 'read',
      input: z.object({}),
      execute: (_input, context) =>
        new Promise((resolve) => {
          const timer = setTimeout(() => resolve({ done: true }), 5_000);
          context.signal.addEventListener('abort', () => clearTimeout(timer));
        }),
    });
    const registry = createToolRegistry().register(slow);
    const controller = new AbortController();
    const pending = registry.execute('slow', '{}', {}, { signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    expect(await pending).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(await registry.execute('slow', '{}', {}, { signal: AbortSignal.abort() })).toMatchObject({
      ok: false,
      error: { code: 'cancelled' },
    });
  });

  it('runs at most `concurrency` calls at once', async () => {
    let running = 0;
    let peak = 0;
    const busy = defineTool({
      name: 'busy',
      description: 'Busy.',
      risk: 'read',
      input: z.object({ i: z.number() }),
      execute: async ({ i }) => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running -= 1;
        return { i };
      },
    });
    const registry = createToolRegistry({ concurrency: 3 }).register(busy);
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => registry.execute('busy', { i })));
    expect(results.map((result) => (result.ok ? (result.output as { i: number }).i : -1))).toEqual(
      Array.from({ length: 12 }, (_, i) => i),
    );
    expect(peak).toBe(3);
  });

  it('reports every call to the hooks with sizes, timing, outcome and ids, never inputs or secrets', async () => {
    const starts: ToolCallStart[] = [];
    const ends: ToolCallEnd[] = [];
    const registry = createToolRegistry({
      hooks: {
        onToolStart: (event) => {
          starts.push(event);
        },
        onToolEnd: (event) => {
          ends.push(event);
          throw new Error('a broken telemetry sink must not break the call');
        },
      },
    }).register(echo, sendMessage);
    const context: ToolContext = {
      agentType: 'planner',
      userId: 'u1',
      threadId: 't1',
      runId: 'r1',
      roles: ['admin'],
      attributes: { apiKey: 'sk-live-SECRET-CONTEXT' },
    };
    const ok = await registry.execute('send_message', { to: 'ann', body: 'sk-live-SECRET-INPUT' }, context, {
      callId: 'call_1',
    });
    expect(ok.ok).toBe(true);
    await registry.execute('echo', { message: 'x'.repeat(200) }, context);
    await registry.execute('unknown_tool', '{}', context);
    expect(ends.map((event) => [event.tool, event.outcome, event.errorCode])).toEqual([
      ['send_message', 'success', undefined],
      ['echo', 'invalid_input', 'invalid_request'],
      ['unknown_tool', 'denied', 'not_found'],
    ]);
    expect(starts).toHaveLength(3);
    expect(ends[0]).toMatchObject({
      tool: 'send_message',
      risk: 'write',
      callId: 'call_1',
      inputBytes: JSON.stringify({ to: 'ann', body: 'sk-live-SECRET-INPUT' }).length,
      context: { agentType: 'planner', userId: 'u1', threadId: 't1', runId: 'r1' },
    });
    expect(ends[0]?.durationMs).toBeGreaterThanOrEqual(0);
    expect(ends[0]?.outputBytes).toBe(JSON.stringify({ sent: 'ann' }).length);
    const payloads = JSON.stringify([starts, ends]);
    expect(payloads).not.toContain('SECRET');
    expect(payloads).not.toContain('admin');
  });

  it('turns a client-side tool call into a pending client_tool_call', async () => {
    const pickDate = defineClientTool({
      name: 'pick_date',
      description: 'Ask the user to pick a date in the browser.',
      input: z.object({ label: z.string() }),
    });
    const registry = createToolRegistry().register(pickDate);
    const result = await registry.execute('pick_date', '{"label":"Start"}', {}, { callId: 'call_9' });
    expect(result).toEqual({
      ok: true,
      output: {
        type: 'client_tool_call',
        status: 'pending',
        call_id: 'call_9',
        name: 'pick_date',
        arguments: { label: 'Start' },
      },
      clientToolCall: {
        type: 'client_tool_call',
        status: 'pending',
        call_id: 'call_9',
        name: 'pick_date',
        arguments: { label: 'Start' },
      },
    });
    expect(await registry.execute('pick_date', '{"label":3}')).toMatchObject({ ok: false });
    expect(() => pickDate.execute({ label: 'x' }, {} as never)).toThrow(/client/);
  });

  it('rejects invalid registry options', () => {
    expect(() => createToolRegistry({ concurrency: 0 })).toThrow(/concurrency/);
    expect(() => createToolRegistry({ defaultTimeoutMs: Number.NaN })).toThrow(/defaultTimeoutMs/);
  });
});
