// biome-ignore-all lint/suspicious/noExplicitAny: the test reads decoded wire JSON loosely, as a client would.
import { type RunContext, setTracingDisabled, tool } from '@openai/agents';
import { createMemoryStore } from '@relaykit/chatkit-store';
import { Card, Text } from '@relaykit/sse-protocol/widgets';
import { createFakeOpenAI } from '@relaykit/testing';
import { expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '../agents/define-agent';
import { createAgentRegistry } from '../agents/registry';
import { createChatKitServer } from '../http/chatkit-server';
import { createModelAccess } from '../models/model-access';
import { post, readEvents } from './conformance.suite';
import type { RelayKitRunContext } from './run-context';

setTracingDisabled(true);

it('a tool reads the run context and streams a progress update and a widget into the turn (persisted)', async () => {
  const fake = await createFakeOpenAI({
    script: {
      rules: [
        { match: { hasToolOutput: true }, reply: { text: 'Here is your contract.' } },
        { reply: { toolCalls: [{ name: 'showContract', arguments: {} }] } },
      ],
      fallback: 'error',
    },
  });
  try {
    const seen: Record<string, unknown>[] = [];
    const showContract = tool({
      name: 'showContract',
      description: 'Shows the contract',
      parameters: z.object({}),
      execute: async (
        _input,
        runContext?: RunContext<RelayKitRunContext<{ userId: string; tenant: string }>>,
      ) => {
        const context = runContext!.context;
        seen.push({
          userId: context.userId,
          threadId: context.threadId,
          agentType: context.agentType,
          tenant: context.request.tenant,
          aborted: context.signal.aborted,
          serialized: JSON.parse(JSON.stringify(context)),
        });
        context.progress('Loading the contract…');
        await context.streamWidget(Card({ children: [Text({ value: 'Total: 12 000 €' })] }), {
          copyText: 'Total: 12 000 €',
        });
        return { shown: true };
      },
    });
    const store = createMemoryStore();
    const server = createChatKitServer({
      store,
      agents: {
        registry: createAgentRegistry([
          defineAgent({
            type: 'planner',
            description: 'Plans events',
            metadata: z.object({}),
            instructions: 'Plan.',
            tools: [showContract],
          }),
        ]),
        modelAccess: createModelAccess({ apiKey: 'test', baseURL: fake.url, maxRetries: 0 }),
      },
    });
    const ctx = { userId: crypto.randomUUID(), tenant: 'acme', claims: { sub: 'x' } };
    const events = await readEvents(
      await server.handle(
        post({
          type: 'threads.create',
          params: {
            input: {
              content: [{ type: 'input_text', text: 'Contract?' }],
              attachments: [],
              inference_options: {},
            },
          },
        }),
        ctx,
      ),
    );
    const threadId = events[0]?.thread.id;
    expect(seen).toEqual([
      {
        userId: ctx.userId,
        threadId,
        agentType: 'planner',
        tenant: 'acme',
        aborted: false,
        // What a paused run's state would keep: no claims, no request context.
        serialized: { userId: ctx.userId, threadId, agentType: 'planner' },
      },
    ]);
    const progress = events.findIndex((e) => e.type === 'progress_update');
    const widget = events.findIndex((e) => e.type === 'thread.item.done' && e.item.type === 'widget');
    const answer = events.findIndex(
      (e) => e.type === 'thread.item.done' && e.item.type === 'assistant_message',
    );
    expect(events[progress]).toMatchObject({ text: 'Loading the contract…' });
    expect(progress).toBeGreaterThan(0);
    expect(widget).toBeGreaterThan(progress);
    expect(answer).toBeGreaterThan(widget);
    expect(events[widget]?.item).toMatchObject({ copy_text: 'Total: 12 000 €' });
    const items = (await store.loadThreadItems(threadId, null, 20, 'asc', ctx)).data;
    expect(items.map((item) => item.type)).toEqual(['user_message', 'widget', 'assistant_message']);
  } finally {
    await fake.close();
  }
});
