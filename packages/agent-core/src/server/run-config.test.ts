// biome-ignore-all lint/suspicious/noExplicitAny: the test reads request bodies loosely.
import { setTraceProcessors, setTracingDisabled, type Trace, type TracingProcessor } from '@openai/agents';
import { createMemoryStore } from '@relaykit/chatkit-store';
import { createFakeOpenAI, type FakeOpenAI } from '@relaykit/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '../agents/define-agent';
import { createAgentRegistry } from '../agents/registry';
import { createChatKitServer } from '../http/chatkit-server';
import { createModelAccess } from '../models/model-access';
import type { ChatKitAgentsOptions } from './agents-respond';
import { post, readEvents } from './conformance.suite';

/** Collects the traces the SDK starts (instead of exporting them). */
const traces: Trace[] = [];
const collector: TracingProcessor = {
  onTraceStart: async (trace) => {
    traces.push(trace);
  },
  onTraceEnd: async () => {},
  onSpanStart: async () => {},
  onSpanEnd: async () => {},
  shutdown: async () => {},
  forceFlush: async () => {},
};

describe("agents runConfig / runOptions: tracing on with the application's processors, every Runner and run() option passed through", () => {
  let fake: FakeOpenAI | undefined;
  beforeAll(() => {
    // The application's processor (the collector replaces the exporter): the responder traces unless told not to.
    // Tracing is globally on here, so only the Runner option decides. (Without processors: tracing.e2e.test.ts.)
    setTraceProcessors([collector]);
    setTracingDisabled(false);
  });
  afterAll(() => {
    setTracingDisabled(true);
    setTraceProcessors([]);
  });
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
    traces.length = 0;
  });

  async function turn(extra: Partial<ChatKitAgentsOptions<{ userId: string }>>) {
    fake = await createFakeOpenAI({ script: { rules: [{ reply: { text: 'Hi!' } }], fallback: 'error' } });
    const server = createChatKitServer({
      store: createMemoryStore(),
      agents: {
        registry: createAgentRegistry([
          defineAgent({
            type: 'helper',
            description: 'Helps',
            metadata: z.object({}),
            instructions: 'Help.',
          }),
        ]),
        modelAccess: createModelAccess({ apiKey: 'test', baseURL: fake.url, maxRetries: 0 }),
        ...extra,
      },
    });
    const events = await readEvents(
      await server.handle(
        post({
          type: 'threads.create',
          params: {
            input: { content: [{ type: 'input_text', text: 'Hi' }], attachments: [], inference_options: {} },
          },
        }),
        { userId: crypto.randomUUID() },
      ),
    );
    return { events, threadId: events[0]?.thread.id as string, body: fake.calls[0]?.body as any };
  }

  it('traces by default once the application registered a trace processor; tracingDisabled: true turns it off', async () => {
    const { events, threadId } = await turn({});
    expect(events.filter((e) => e.type === 'thread.item.done').at(-1)?.item.content[0].text).toBe('Hi!');
    expect(traces.map((trace) => trace.groupId)).toEqual([threadId]);
    traces.length = 0;
    await fake?.close();
    await turn({ runConfig: { tracingDisabled: true } });
    expect(traces).toEqual([]);
  });

  it('traces with tracingDisabled: false, with the workflow name, metadata and the thread as group', async () => {
    const { threadId } = await turn({
      runConfig: { tracingDisabled: false, workflowName: 'event planner', traceMetadata: { app: 'events' } },
    });
    expect(traces).toHaveLength(1);
    expect(traces[0]).toMatchObject({
      name: 'event planner',
      groupId: threadId,
      metadata: { app: 'events' },
    });
  });

  it('passes other Runner and run() options through (functions of the request context too)', async () => {
    const filtered: string[] = [];
    const { body } = await turn({
      runConfig: (context) => ({
        modelSettings: { temperature: 0.25 },
        traceMetadata: { user: context.userId },
      }),
      runOptions: {
        callModelInputFilter: ({ modelData }) => {
          filtered.push(modelData.instructions ?? '');
          return { ...modelData, instructions: `${modelData.instructions} Be brief.` };
        },
      },
    });
    expect(body.temperature).toBe(0.25);
    expect(filtered).toEqual(['Help.']);
    expect(body.instructions).toBe('Help. Be brief.');
    expect(traces).toHaveLength(1);
    expect(traces[0]?.metadata).toEqual({ user: expect.any(String) });
  });
});
