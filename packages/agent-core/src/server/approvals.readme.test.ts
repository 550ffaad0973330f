// biome-ignore-all lint/suspicious/noExplicitAny: the test reads decoded wire JSON loosely, as a client would.
import { type RunContext, setTracingDisabled, tool } from '@openai/agents';
import { createMemoryStore } from '@relaykit/chatkit-store';
import { createFakeOpenAI } from '@relaykit/testing';
import { expect, it } from 'vitest';
import { z } from 'zod';
import { expectReadmeSnippet } from '../../test/readme-snippet';
import {
  createAgentRegistry,
  createChatKitServer,
  createModelAccess,
  defineAgent,
  type RelayKitRunContext,
} from '../index';
import { post, readEvents } from './conformance.suite';

setTracingDisabled(true);

it('README: tool approvals, the run context and Runner options', async () => {
  const fake = await createFakeOpenAI({
    script: {
      rules: [
        { match: { hasToolOutput: true }, reply: { text: 'Ada is on the list.' } },
        { reply: { toolCalls: [{ name: 'addGuest', arguments: { name: 'Ada' } }] } },
      ],
      fallback: 'error',
    },
  });
  try {
    const store = createMemoryStore();
    const modelAccess = createModelAccess({ apiKey: 'test', baseURL: fake.url, maxRetries: 0 });
    const guests: { name: string; addedBy: string }[] = [];
    // --- tool approvals ---
    const addGuest = tool({
      name: 'addGuest',
      description: 'Add a guest to the event',
      parameters: z.object({ name: z.string() }),
      needsApproval: true, // the run pauses until the user clicks Approve or Reject
      execute: async ({ name }, runContext?: RunContext<RelayKitRunContext>) => {
        const context = runContext!.context; // who asks, the thread, an abort signal, an event channel
        context.progress(`Adding ${name}…`); // streamed into the turn
        guests.push({ name, addedBy: context.userId });
        return { added: name };
      },
    });
    const server = createChatKitServer({
      store,
      agents: {
        registry: createAgentRegistry([
          defineAgent({
            type: 'planner',
            description: 'Plans events',
            metadata: z.object({}),
            instructions: 'Plan the event.',
            tools: [addGuest],
          }),
        ]),
        modelAccess,
        // Any Runner option; tracing follows your addTraceProcessor() unless `tracingDisabled` is set.
        runConfig: { workflowName: 'event planner', traceMetadata: { app: 'events' } },
        // Any run() option, e.g. what the model reads when the user rejects a call:
        runOptions: {
          toolErrorFormatter: ({ kind, toolName }) =>
            kind === 'approval_rejected' ? `The user declined ${toolName}.` : undefined,
        },
      },
    });
    // --- end tool approvals ---
    const ctx = { userId: 'user-1' };
    const first = await readEvents(
      await server.handle(
        post({
          type: 'threads.create',
          params: {
            input: {
              content: [{ type: 'input_text', text: 'Add Ada' }],
              attachments: [],
              inference_options: {},
            },
          },
        }),
        ctx,
      ),
    );
    const widget = first.filter((e) => e.type === 'thread.item.done').at(-1)?.item;
    expect(guests).toEqual([]);
    const approve = widget.widget.children.at(-1).children[0];
    expect(approve.label).toBe('Approve');
    const second = await readEvents(
      await server.handle(
        post({
          type: 'threads.custom_action',
          params: { thread_id: first[0]?.thread.id, item_id: widget.id, action: approve.onClickAction },
        }),
        ctx,
      ),
    );
    expect(guests).toEqual([{ name: 'Ada', addedBy: 'user-1' }]);
    expect(second.find((e) => e.type === 'progress_update')).toMatchObject({ text: 'Adding Ada…' });
    expect(second.filter((e) => e.type === 'thread.item.done').at(-1)?.item.content[0].text).toBe(
      'Ada is on the list.',
    );
  } finally {
    await fake.close();
  }
  expectReadmeSnippet(new URL(import.meta.url), 'tool approvals');
});
