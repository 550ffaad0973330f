// biome-ignore-all lint/suspicious/noExplicitAny: the test reads decoded wire JSON loosely, as a client would.
/**
 * One pass per ChatKit request: through the adapters' guard and the server, a `threads.create` and a
 * `threads.add_user_message` read and JSON-parse their body once, validate it once, route the agent once, and make at
 * most 5 store round trips per turn (counted by a wrapper around the memory store).
 */
import { setTracingDisabled } from '@openai/agents';
import { type ChatKitStore, createMemoryStore } from '@relaykit/chatkit-store';
import * as protocol from '@relaykit/sse-protocol';
import { createFakeOpenAI, type FakeOpenAI } from '@relaykit/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '../agents/define-agent';
import { createAgentRegistry } from '../agents/registry';
import { createChatKitServer } from '../http/chatkit-server';
import { createGuardedHandler } from '../http/guard';
import { createModelAccess } from '../models/model-access';
import { type Ctx, readEvents } from './conformance.suite';

vi.mock('@relaykit/sse-protocol', async (importOriginal) => {
  const original = await importOriginal<typeof import('@relaykit/sse-protocol')>();
  return { ...original, parseChatKitRequest: vi.fn(original.parseChatKitRequest) };
});

setTracingDisabled(true);

/** The store with every call counted by method name (each call of a SQL driver is one round trip). */
function countingStore(store: ChatKitStore<Ctx>) {
  const calls: string[] = [];
  const counted = new Proxy(store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function' || typeof key !== 'string' || key.startsWith('generate')) return value;
      return (...args: unknown[]) => {
        calls.push(key);
        return value.apply(target, args);
      };
    },
  });
  return { store: counted, calls };
}

const input = (text: string) => ({
  content: [{ type: 'input_text', text }],
  attachments: [],
  inference_options: {},
});

describe('one pass per ChatKit request (guard → server → agents responder)', () => {
  let fake: FakeOpenAI | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await fake?.close();
    fake = undefined;
  });

  it('threads.create and add_user_message: one body parse, one validation, one route, ≤ 5 store round trips', async () => {
    fake = await createFakeOpenAI({
      script: {
        rules: [{ reply: { text: 'First answer.' }, times: 1 }, { reply: { text: 'Second answer.' } }],
      },
    });
    const assistant = defineAgent({
      type: 'assistant',
      description: 'General assistant',
      metadata: z.object({}),
      instructions: 'Be brief.',
    });
    const registry = createAgentRegistry([assistant]);
    const route = vi.spyOn(registry, 'route');
    const { store, calls } = countingStore(createMemoryStore() as unknown as ChatKitStore<Ctx>);
    const server = createChatKitServer<Ctx>({
      store,
      agents: {
        registry,
        modelAccess: createModelAccess({ apiKey: 'test', baseURL: fake.url, maxRetries: 0 }),
      },
    });
    const userId = crypto.randomUUID();
    const handle = createGuardedHandler<Ctx>({
      server,
      authenticate: async () => ({ userId, role: 'authenticated', claims: {} }) as never,
      context: (context) => ({ userId: context.userId }),
    });
    const validations = vi.mocked(protocol.parseChatKitRequest);

    async function turn(body: Record<string, unknown>) {
      const text = JSON.stringify(body);
      const parse = vi.spyOn(JSON, 'parse');
      validations.mockClear();
      route.mockClear();
      calls.length = 0;
      const response = await handle(
        new Request('http://localhost/api/chatkit', { method: 'POST', body: text }),
      );
      const events = await readEvents(response);
      const bodyParses = parse.mock.calls.filter(([value]) => value === text).length;
      parse.mockRestore();
      return {
        events,
        bodyParses,
        validations: validations.mock.calls.length,
        routes: route.mock.calls.length,
        storeCalls: [...calls],
      };
    }

    const created = await turn({ type: 'threads.create', params: { input: input('Hi') }, metadata: {} });
    expect(created.events.map((event) => event.type)).toContain('thread.created');
    expect(
      created.events.find(
        (event: any) => event.type === 'thread.item.done' && event.item.type === 'assistant_message',
      )?.item.content[0].text,
    ).toBe('First answer.');
    expect(created.bodyParses).toBe(1);
    expect(created.validations).toBe(1);
    expect(created.routes).toBe(1);
    expect(created.storeCalls.length, created.storeCalls.join(', ')).toBeLessThanOrEqual(5);

    const threadId = (created.events[0] as any).thread.id as string;
    const added = await turn({
      type: 'threads.add_user_message',
      params: { thread_id: threadId, input: input('And then?') },
      metadata: {},
    });
    expect(
      added.events.find(
        (event: any) => event.type === 'thread.item.done' && event.item.type === 'assistant_message',
      )?.item.content[0].text,
    ).toBe('Second answer.');
    expect(added.bodyParses).toBe(1);
    expect(added.validations).toBe(1);
    expect(added.routes).toBe(1);
    expect(added.storeCalls.length, added.storeCalls.join(', ')).toBeLessThanOrEqual(5);
    // The thread is saved once per turn (its run record), not after every event.
    expect(added.storeCalls.filter((name) => name === 'saveThread')).toHaveLength(1);
  });
});
