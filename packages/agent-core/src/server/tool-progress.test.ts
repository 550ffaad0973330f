// biome-ignore-all lint/suspicious/noExplicitAny: the tests read decoded wire JSON loosely, as a client would.
import { setTracingDisabled, tool } from '@openai/agents';
import { createMemoryStore } from '@relaykit/chatkit-store';
import type { ThreadStreamEventInput } from '@relaykit/sse-protocol';
import { createFakeOpenAI, type FakeOpenAI } from '@relaykit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '../agents/define-agent';
import { createAgentRegistry } from '../agents/registry';
import { createChatKitServer } from '../http/chatkit-server';
import { createModelAccess } from '../models/model-access';
import { post, readEvents } from './conformance.suite';
import { createToolProgress, type ToolProgressOption } from './tool-progress';

setTracingDisabled(true);

const input = (text: string) => ({
  content: [{ type: 'input_text', text }],
  attachments: [],
  inference_options: {},
});

const planner = defineAgent({
  type: 'planner',
  description: 'Plans an event',
  metadata: z.object({}),
  instructions: 'Plan.',
  tools: [
    tool({
      name: 'addGuest',
      description: 'Adds a guest',
      parameters: z.object({ name: z.string() }),
      execute: async ({ name }) => ({ added: name }),
    }),
  ],
});

const workflowEvents = (events: Record<string, any>[]) =>
  events.filter(
    (e) =>
      ((e.type === 'thread.item.added' || e.type === 'thread.item.done') && e.item.type === 'workflow') ||
      (e.type === 'thread.item.updated' && e.update.type.startsWith('workflow.')),
  );
const taskUpdates = (events: Record<string, any>[]) =>
  events
    .filter((e) => e.type === 'thread.item.updated' && e.update.type.startsWith('workflow.task'))
    .map((e) => [e.update.type, e.update.task_index, e.update.task.title, e.update.task.status_indicator]);

/**
 * What the responder's loop (`agentsRunEvents`) does with tool progress, over plain ChatKit events: what tools
 * queued, then what goes before each event, the event, and the workflow's end at the end.
 */
async function drain(
  progress: ReturnType<typeof createToolProgress>,
  events: AsyncIterable<ThreadStreamEventInput>,
  out: Record<string, any>[],
): Promise<void> {
  for await (const event of events) {
    out.push(...progress.take(), ...progress.before(event), event);
  }
  out.push(...progress.take(), ...progress.end());
}

describe('agents responder toolProgress, against the fake OpenAI server', () => {
  let fake: FakeOpenAI | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  async function setup(toolProgress?: ToolProgressOption) {
    fake = await createFakeOpenAI({
      script: {
        rules: [
          { match: { hasToolOutput: true }, reply: { text: 'Ada is on the list.' } },
          { reply: { toolCalls: [{ name: 'addGuest', arguments: { name: 'Ada' } }] } },
        ],
        fallback: 'error',
      },
    });
    const store = createMemoryStore();
    const server = createChatKitServer({
      store,
      agents: {
        registry: createAgentRegistry([planner], { defaultAgent: 'planner' }),
        modelAccess: createModelAccess({ apiKey: 'test', baseURL: fake.url, maxRetries: 0 }),
        ...(toolProgress === undefined ? {} : { toolProgress }),
      },
    });
    return { store, server };
  }

  it('shows a server tool call as a workflow: added, "Calling X" then "Called X", done before the answer, persisted', async () => {
    const { store, server } = await setup(true);
    const ctx = { userId: crypto.randomUUID() };
    const events = await readEvents(
      await server.handle(post({ type: 'threads.create', params: { input: input('Invite Ada') } }), ctx),
    );
    const flow = workflowEvents(events);
    expect(flow.map((e) => e.type)).toEqual([
      'thread.item.added',
      'thread.item.updated',
      'thread.item.updated',
      'thread.item.done',
    ]);
    const [added, , , done] = flow as any[];
    expect(added.item).toMatchObject({
      type: 'workflow',
      workflow: { type: 'custom', tasks: [], expanded: false },
    });
    expect(flow.slice(1, 3).every((e) => e.item_id === added.item.id)).toBe(true);
    expect(taskUpdates(events)).toEqual([
      ['workflow.task.added', 0, 'Calling addGuest', 'loading'],
      ['workflow.task.updated', 0, 'Called addGuest', 'complete'],
    ]);
    expect(done.item).toMatchObject({
      id: added.item.id,
      type: 'workflow',
      workflow: {
        tasks: [{ type: 'custom', title: 'Called addGuest', status_indicator: 'complete' }],
        expanded: false,
        summary: { duration: expect.any(Number) },
      },
    });
    const answer = events.find((e) => e.type === 'thread.item.added' && e.item.type === 'assistant_message');
    expect(events.indexOf(done)).toBeLessThan(events.indexOf(answer!));
    const threadId = events[0]?.thread.id;
    const items = await store.loadThreadItems(threadId, null, 10, 'asc', ctx);
    expect(items.data.map((item) => item.type)).toEqual(['user_message', 'workflow', 'assistant_message']);
    expect((items.data[1] as any).workflow.tasks).toEqual([
      { type: 'custom', title: 'Called addGuest', status_indicator: 'complete' },
    ]);
  });

  it('is off by default: no workflow events and no workflow item', async () => {
    const { store, server } = await setup();
    const ctx = { userId: crypto.randomUUID() };
    const events = await readEvents(
      await server.handle(post({ type: 'threads.create', params: { input: input('Invite Ada') } }), ctx),
    );
    expect(workflowEvents(events)).toEqual([]);
    const items = await store.loadThreadItems(events[0]?.thread.id, null, 10, 'asc', ctx);
    expect(items.data.map((item) => item.type)).toEqual(['user_message', 'assistant_message']);
  });

  it('takes a custom running title', async () => {
    const { server } = await setup({ title: (name) => `Running ${name}…` });
    const events = await readEvents(
      await server.handle(post({ type: 'threads.create', params: { input: input('Invite Ada') } }), {
        userId: crypto.randomUUID(),
      }),
    );
    expect(taskUpdates(events).map((update) => update[2])).toEqual(['Running addGuest…', 'Called addGuest']);
  });

  it('two concurrent runs on one thread each stream and persist their own workflow', async () => {
    const { store, server } = await setup(true);
    const ctx = { userId: crypto.randomUUID() };
    const first = await readEvents(
      await server.handle(post({ type: 'threads.create', params: { input: input('Hello') } }), ctx),
    );
    const threadId = first[0]?.thread.id;
    const [a, b] = await Promise.all(
      ['Invite Ada', 'Invite Ada again'].map(async (text) =>
        readEvents(
          await server.handle(
            post({ type: 'threads.add_user_message', params: { thread_id: threadId, input: input(text) } }),
            ctx,
          ),
        ),
      ),
    );
    const ids = new Set<string>();
    for (const events of [a!, b!]) {
      expect(taskUpdates(events)).toEqual([
        ['workflow.task.added', 0, 'Calling addGuest', 'loading'],
        ['workflow.task.updated', 0, 'Called addGuest', 'complete'],
      ]);
      const flow = workflowEvents(events);
      expect(flow.map((e) => e.type)).toEqual([
        'thread.item.added',
        'thread.item.updated',
        'thread.item.updated',
        'thread.item.done',
      ]);
      expect(flow.slice(1).every((e) => (e.item_id ?? e.item.id) === flow[0]!.item.id)).toBe(true);
      ids.add(flow[0]!.item.id);
    }
    expect(ids.size).toBe(2);
    // The thread's first run (which called the tool too) keeps its own workflow as well.
    ids.add(workflowEvents(first)[0]!.item.id);
    const items = await store.loadThreadItems(threadId, null, 20, 'asc', ctx);
    const stored = items.data.filter((item) => item.type === 'workflow');
    expect(new Set(stored.map((item) => item.id))).toEqual(ids);
  });
});

describe('createToolProgress', () => {
  type Gate = { open: () => void; opened: Promise<void> };
  const gate = (): Gate => {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => {
      open = resolve;
    });
    return { open, opened };
  };
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('keeps interleaved runs apart: tool events of one run never reach the other', async () => {
    let ids = 0;
    const steps = new Map([
      ['ada', [gate(), gate(), gate()]],
      ['bob', [gate(), gate(), gate()]],
    ]);
    const run = async (user: string) => {
      const progress = createToolProgress('thr_shared', () => `wf_${++ids}`);
      const [start, end, answer] = steps.get(user)!;
      async function* events(): AsyncGenerator<ThreadStreamEventInput> {
        await start!.opened;
        progress.onTool({ phase: 'start', tool: 'addGuest', callId: user });
        await end!.opened;
        progress.onTool({ phase: 'end', tool: 'addGuest', callId: user });
        await answer!.opened;
        yield {
          type: 'thread.item.done',
          item: {
            type: 'assistant_message',
            id: `answer_${user}`,
            thread_id: 'thr_shared',
            created_at: '',
            content: [],
          },
        } as never as ThreadStreamEventInput;
      }
      const out: Record<string, any>[] = [];
      await drain(progress, events(), out);
      return out;
    };
    const ada = run('ada');
    const bob = run('bob');
    const step = async (user: string, index: number) => {
      steps.get(user)![index]!.open();
      await settle();
    };
    await step('ada', 0);
    await step('bob', 0);
    await step('ada', 1);
    await step('ada', 2);
    const adaEvents = await ada;
    await step('bob', 1);
    await step('bob', 2);
    const bobEvents = await bob;
    for (const events of [adaEvents, bobEvents]) {
      expect(taskUpdates(events).map((update) => update[2])).toEqual(['Calling addGuest', 'Called addGuest']);
      expect(events.map((event) => event.type)).toEqual([
        'thread.item.added',
        'thread.item.updated',
        'thread.item.updated',
        'thread.item.done',
        'thread.item.done',
      ]);
      expect(events.at(-2)?.item.type).toBe('workflow');
    }
  });

  /** The events of one run: each step is a tool hook call or an event the translator yields, in order. */
  async function runSteps(
    steps: ({ tool: 'start' | 'end' } | ThreadStreamEventInput)[],
  ): Promise<Record<string, any>[]> {
    let ids = 0;
    const progress = createToolProgress('thr_img', () => `wf_${++ids}`);
    async function* events(): AsyncGenerator<ThreadStreamEventInput> {
      for (const step of steps) {
        if ('tool' in step) progress.onTool({ phase: step.tool, tool: 'findVenue', callId: 'call_1' });
        else yield step;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    const out: Record<string, any>[] = [];
    await drain(progress, events(), out);
    return out;
  }
  const image = (type: 'thread.item.added' | 'thread.item.done') =>
    ({
      type,
      item: { type: 'generated_image', id: 'img_1', thread_id: 'thr_img', created_at: '', image: null },
    }) as ThreadStreamEventInput;
  const answer = {
    type: 'thread.item.done',
    item: { type: 'assistant_message', id: 'msg_1', thread_id: 'thr_img', created_at: '', content: [] },
  } as never as ThreadStreamEventInput;

  it('an image generated while the tool workflow is open joins it as an image task; the answer ends it', async () => {
    const events = await runSteps([
      { tool: 'start' },
      { tool: 'end' },
      image('thread.item.added'),
      image('thread.item.done'),
      answer,
    ]);
    expect(taskUpdates(events)).toEqual([
      ['workflow.task.added', 0, 'Calling findVenue', 'loading'],
      ['workflow.task.updated', 0, 'Called findVenue', 'complete'],
      ['workflow.task.added', 1, 'Generating an image', 'loading'],
      ['workflow.task.updated', 1, 'Generated an image', 'complete'],
    ]);
    const order = events.flatMap((e) =>
      e.type === 'thread.item.added' || e.type === 'thread.item.done'
        ? [`${e.type.slice('thread.item.'.length)} ${e.item.type}`]
        : [],
    );
    expect(order).toEqual([
      'added workflow',
      'added generated_image',
      'done generated_image',
      'done workflow',
      'done assistant_message',
    ]);
    const done = events.find((e) => e.type === 'thread.item.done' && e.item.type === 'workflow');
    expect(done?.item.workflow.tasks.map((task: any) => task.type)).toEqual(['custom', 'image']);
  });

  it('an image the translator already put in its own workflow is not added twice; without a tool workflow, none starts', async () => {
    const translatorTask = {
      type: 'thread.item.updated',
      item_id: 'wf_reasoning',
      update: {
        type: 'workflow.task.added',
        task_index: 1,
        task: { type: 'image', title: 'Generating an image', status_indicator: 'loading' },
      },
    } as ThreadStreamEventInput;
    const joined = await runSteps([
      { tool: 'start' },
      { tool: 'end' },
      translatorTask,
      image('thread.item.added'),
      image('thread.item.done'),
      answer,
    ]);
    expect(taskUpdates(joined).filter((update) => update[2]?.includes('image'))).toEqual([
      ['workflow.task.added', 1, 'Generating an image', 'loading'],
    ]);
    const alone = await runSteps([image('thread.item.added'), image('thread.item.done'), answer]);
    expect(alone.map((e) => `${e.type} ${e.item?.type}`)).toEqual([
      'thread.item.added generated_image',
      'thread.item.done generated_image',
      'thread.item.done assistant_message',
    ]);
  });
});
