import {
  addTraceProcessor,
  getGlobalTraceProvider,
  setTracingDisabled,
  TraceProvider,
  type TracingProcessor,
} from '@openai/agents';
import { createMemoryStore } from '@relaykit/chatkit-store';
import { createFakeOpenAI, type FakeOpenAI } from '@relaykit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '../agents/define-agent';
import { createAgentRegistry } from '../agents/registry';
import { createChatKitServer } from '../http/chatkit-server';
import { createModelAccess } from '../models/model-access';
import { post, readEvents } from './conformance.suite';
import { hasTraceProcessors } from './tracing';

/** A processor that records the traces it is given. */
function recorder(): TracingProcessor & { traces: { name: string; groupId: string | null }[] } {
  const traces: { name: string; groupId: string | null }[] = [];
  return {
    traces,
    onTraceStart: async (trace) => {
      traces.push({ name: trace.name, groupId: trace.groupId });
    },
    onTraceEnd: async () => {},
    onSpanStart: async () => {},
    onSpanEnd: async () => {},
    shutdown: async () => {},
    forceFlush: async () => {},
  };
}

describe('tracing of the agents responder: on when the application registered trace processors', () => {
  let fake: FakeOpenAI;
  // What the SDK itself set up (or anything registered before RelayKit loaded): not the application's choice.
  const unseen = recorder();
  beforeAll(async () => {
    fake = await createFakeOpenAI({ script: { rules: [{ reply: { text: 'Hi.' } }], fallback: 'error' } });
    // The SDK's global switch (OPENAI_AGENTS_DISABLE_TRACING in CI) is opened so the Runner option decides, and the
    // default OpenAI exporter is replaced, uncounted, by a local recorder: nothing leaves the test.
    setTracingDisabled(false);
    TraceProvider.prototype.setProcessors.call(getGlobalTraceProvider(), [unseen]);
  });
  afterAll(async () => {
    setTracingDisabled(true);
    await fake.close();
  });

  const server = (runConfig?: { tracingDisabled?: boolean }) =>
    createChatKitServer({
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
        runConfig: { workflowName: 'traced chat', ...runConfig },
      },
    });

  async function turn(instance: ReturnType<typeof server>): Promise<string> {
    const events = await readEvents(
      await instance.handle(
        post({
          type: 'threads.create',
          params: {
            input: {
              content: [{ type: 'input_text', text: 'Hello' }],
              attachments: [],
              inference_options: {},
            },
          },
        }),
        { userId: crypto.randomUUID() },
      ),
    );
    expect(events.at(-1)).not.toMatchObject({ type: 'error' });
    return events[0]?.thread.id as string;
  }

  it('is off by default: no processor of the application, no trace', async () => {
    expect(hasTraceProcessors()).toBe(false);
    await turn(server());
    expect(unseen.traces).toEqual([]);
  });

  it('is on once the application calls addTraceProcessor: every run is a trace grouped by thread', async () => {
    const mine = recorder();
    addTraceProcessor(mine);
    expect(hasTraceProcessors()).toBe(true);
    const threadId = await turn(server());
    expect(mine.traces).toEqual([{ name: 'traced chat', groupId: threadId }]);
  });

  it('an explicit tracingDisabled wins both ways', async () => {
    const mine = recorder();
    addTraceProcessor(mine);
    await turn(server({ tracingDisabled: true }));
    expect(mine.traces).toEqual([]);
    // setTraceProcessors([]) takes the application's processors away: off again, unless asked for.
    getGlobalTraceProvider().setProcessors([]);
    expect(hasTraceProcessors()).toBe(false);
    TraceProvider.prototype.setProcessors.call(getGlobalTraceProvider(), [unseen]);
    unseen.traces.length = 0;
    await turn(server());
    expect(unseen.traces).toEqual([]);
    const threadId = await turn(server({ tracingDisabled: false }));
    expect(unseen.traces).toEqual([{ name: 'traced chat', groupId: threadId }]);
  });
});
