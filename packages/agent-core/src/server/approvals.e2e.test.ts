// biome-ignore-all lint/suspicious/noExplicitAny: the tests read decoded wire JSON loosely, as a client would.
import { type RunContext, setTracingDisabled, tool } from '@openai/agents';
import { type ChatKitStore, createMemoryStore, migrate } from '@relaykit/chatkit-store';
import { createPostgresStore } from '@relaykit/chatkit-store/postgres';
import { APPROVAL_ACTION_TYPE } from '@relaykit/sse-protocol/widgets';
import { createFakeOpenAI, type FakeOpenAI } from '@relaykit/testing';
import { createTestDatabase, postgresAvailability } from '@relaykit/testing/postgres';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '../agents/define-agent';
import { createAgentRegistry } from '../agents/registry';
import { createChatStream } from '../http/chat-stream';
import { createChatStreamHandler } from '../http/chat-stream-handler';
import { createChatKitServer } from '../http/chatkit-server';
import { createModelAccess } from '../models/model-access';
import { post, readEvents } from './conformance.suite';
import type { RelayKitRunContext } from './run-context';

setTracingDisabled(true);
const pg = await postgresAvailability();

const input = (text: string) => ({
  content: [{ type: 'input_text', text }],
  attachments: [],
  inference_options: {},
});

/** Reads a simple-stream SSE body into `{ event, data }` pairs. */
async function readSimple(response: Response): Promise<{ event: string; data: any }[]> {
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((frame) => frame.includes('event:'))
    .map((frame) => {
      const event = /^event: (.*)$/m.exec(frame)?.[1] ?? '';
      const data = /^data: (.*)$/m.exec(frame)?.[1] ?? 'null';
      return { event, data: JSON.parse(data) };
    });
}

describe('tool approvals through the ChatKit server (real Agents SDK, fake OpenAI server)', () => {
  let fake: FakeOpenAI | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  const guests: string[] = [];
  const seenContexts: RelayKitRunContext[] = [];
  const planner = defineAgent({
    type: 'planner',
    description: 'Plans an event',
    metadata: z.object({}),
    instructions: 'Plan the event.',
    tools: [
      tool({
        name: 'addGuest',
        description: 'Add a guest',
        parameters: z.object({ name: z.string() }),
        needsApproval: true,
        execute: async ({ name }, runContext?: RunContext<RelayKitRunContext>) => {
          if (runContext) seenContexts.push(runContext.context);
          guests.push(name);
          return { added: name };
        },
      }),
    ],
  });

  const rules = [
    { match: { hasToolOutput: true }, reply: { text: 'Done with the guest list.' } },
    { reply: { toolCalls: [{ name: 'addGuest', arguments: { name: 'Ada' } }] } },
  ];

  async function setup(
    store: ChatKitStore<any> = createMemoryStore(),
    nextStore = () => store,
    script: typeof rules = rules,
  ) {
    fake ??= await createFakeOpenAI({ script: { rules: script, fallback: 'error' } });
    const url = fake.url;
    // A new server over the same data: what a second instance (or a restarted process) sees.
    const server = () =>
      createChatKitServer({
        store: nextStore(),
        agents: {
          registry: createAgentRegistry([planner], { defaultAgent: 'planner' }),
          modelAccess: createModelAccess({ apiKey: 'test', baseURL: url, maxRetries: 0 }),
          runConfig: { workflowName: 'approvals test' },
        },
      });
    return { store, server, fake };
  }

  async function pause(server: ReturnType<Awaited<ReturnType<typeof setup>>['server']>, ctx: object) {
    const events = await readEvents(
      await server.handle(
        post({ type: 'threads.create', params: { input: input('Add Ada') } }),
        ctx as never,
      ),
    );
    const threadId = events[0]?.thread.id as string;
    const widget = events.filter((e) => e.type === 'thread.item.done').at(-1)?.item;
    return { events, threadId, widget };
  }

  function decide(threadId: string, widget: any, decision: 'approve' | 'reject') {
    const approve = widget.widget.children.at(-1).children[decision === 'approve' ? 0 : 1];
    return post({
      type: 'threads.custom_action',
      params: { thread_id: threadId, item_id: widget.id, action: approve.onClickAction },
    });
  }

  it('pauses at a needsApproval tool: hidden state saved, approval widget streamed, tool not run', async () => {
    guests.length = 0;
    const { store, server } = await setup();
    const ctx = { userId: crypto.randomUUID() };
    const { events, threadId, widget } = await pause(server(), ctx);
    expect(guests).toEqual([]);
    expect(widget).toMatchObject({ type: 'widget', copy_text: 'Approval needed: addGuest' });
    const serialized = JSON.stringify(widget.widget);
    expect(serialized).toContain('Allow addGuest?');
    expect(serialized).toContain('- **name**: Ada');
    expect(widget.widget.children.at(-1).children.map((b: any) => b.label)).toEqual(['Approve', 'Reject']);
    expect(widget.widget.children.at(-1).children[0].onClickAction.type).toBe(APPROVAL_ACTION_TYPE);
    // The paused state never reaches the client, but is in the store.
    expect(JSON.stringify(events)).not.toContain('relaykit.paused_run');
    const items = (await store.loadThreadItems(threadId, null, 20, 'asc', ctx)).data;
    expect(items.map((i) => i.type)).toEqual(['user_message', 'hidden_context_item', 'widget']);
    expect((items[1] as any).content).toMatchObject({
      type: 'relaykit.paused_run',
      userId: ctx.userId,
      approvals: [{ tool: 'addGuest', arguments: { name: 'Ada' }, widgetId: widget.id }],
    });
    const listed = await (
      await server().handle(post({ type: 'items.list', params: { thread_id: threadId } }), ctx)
    ).json();
    expect(JSON.stringify(listed)).not.toContain('paused_run');
  });

  it('approve on a second server instance resumes from the stored state and runs the tool once', async () => {
    guests.length = 0;
    seenContexts.length = 0;
    const { store, server, fake } = await setup();
    const ctx = { userId: crypto.randomUUID(), claims: { role: 'authenticated' } };
    const { threadId, widget } = await pause(server(), ctx);
    const callsBefore = fake.calls.length;
    const events = await readEvents(await server().handle(decide(threadId, widget, 'approve'), ctx));
    expect(guests).toEqual(['Ada']);
    const replaced = events.find((e) => e.type === 'thread.item.replaced');
    expect(replaced?.item.id).toBe(widget.id);
    expect(JSON.stringify(replaced?.item.widget)).toContain('Approved');
    expect(JSON.stringify(replaced?.item.widget)).not.toContain('"Approve"');
    const answer = events.filter((e) => e.type === 'thread.item.done').at(-1)?.item;
    expect(answer.content[0].text).toBe('Done with the guest list.');
    expect(fake.calls.length - callsBefore).toBe(1);
    const sent = JSON.stringify((fake.calls.at(-1)?.body as any)?.input);
    expect(sent).toContain('function_call_output');
    expect(sent).toContain('Ada');
    // The tool saw the run context of the resuming request.
    expect(seenContexts[0]).toMatchObject({ userId: ctx.userId, threadId, agentType: 'planner' });
    expect(seenContexts[0]?.claims).toEqual({ role: 'authenticated' });
    expect(seenContexts[0]?.signal).toBeInstanceOf(AbortSignal);
    // The paused run is gone; the widget stays with its decision.
    const items = (await store.loadThreadItems(threadId, null, 20, 'asc', ctx)).data;
    expect(items.map((i) => i.type)).toEqual(['user_message', 'widget', 'assistant_message']);
    expect(JSON.stringify(items[1])).toContain('Approved');
    // A second click is refused before anything runs.
    const again = await server().handle(decide(threadId, widget, 'approve'), ctx);
    expect(again.status).toBe(404);
    expect(guests).toEqual(['Ada']);
  });

  it('a double click (two answers at once on one instance) runs the tool once; the other answer is refused', async () => {
    guests.length = 0;
    const { server } = await setup();
    const ctx = { userId: crypto.randomUUID() };
    const { threadId, widget } = await pause(server(), ctx);
    const instance = server();
    const [a, b] = await Promise.all([
      instance.handle(decide(threadId, widget, 'approve'), ctx),
      instance.handle(decide(threadId, widget, 'approve'), ctx),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses[0]).toBe(200);
    expect([404, 409]).toContain(statuses[1]);
    await readEvents(a.status === 200 ? a : b);
    expect(guests).toEqual(['Ada']);
  });

  /**
   * A store whose `loadItem` of a paused run waits until `racers` requests have read it, once armed: every racer
   * reads the same paused run before any of them writes, the race two instances answering at the same instant run.
   */
  function racingStores(racers: number) {
    let armed = false;
    let arrived = 0;
    let open!: () => void;
    const opened = new Promise<void>((resolve) => {
      open = resolve;
    });
    const wrap = (store: ChatKitStore<any>): ChatKitStore<any> => ({
      ...store,
      async loadItem(threadId, itemId, context) {
        const item = await store.loadItem(threadId, itemId, context);
        if (armed && item.type === 'hidden_context_item') {
          if (++arrived >= racers) open();
          await opened;
        }
        return item;
      },
    });
    return { wrap, arm: () => (armed = true) };
  }

  async function raceTwoInstances(shared: () => ChatKitStore<any>) {
    guests.length = 0;
    const race = racingStores(2);
    const { server, fake } = await setup(race.wrap(shared()), () => race.wrap(shared()));
    const ctx = { userId: crypto.randomUUID() };
    const { threadId, widget } = await pause(server(), ctx);
    const callsBefore = fake.calls.length;
    race.arm();
    // Two server instances (each its own store object over the same data) answer the same call at once.
    const [a, b] = await Promise.all([
      server().handle(decide(threadId, widget, 'approve'), ctx),
      server().handle(decide(threadId, widget, 'approve'), ctx),
    ]);
    const [winner, loser] = a.status === 200 ? [a, b] : [b, a];
    expect(winner.status).toBe(200);
    expect(loser.status).toBe(409);
    expect(((await loser.json()) as any).error).toMatchObject({ code: 'conflict' });
    const events = await readEvents(winner);
    expect(events.filter((e) => e.type === 'thread.item.done').at(-1)?.item.content[0].text).toBe(
      'Done with the guest list.',
    );
    // The tool ran once and the run resumed once (one model call).
    expect(guests).toEqual(['Ada']);
    expect(fake.calls.length - callsBefore).toBe(1);
  }

  it('two server instances answering the same approval at the same instant (one memory store): one resumes, the other gets 409 conflict', async () => {
    const store = createMemoryStore();
    await raceTwoInstances(() => store);
  });

  it.skipIf(!pg.available)(
    'two server instances over one Postgres database answering at the same instant: one resumes, the other gets 409 conflict',
    async () => {
      const db = await createTestDatabase();
      try {
        await migrate(db.sql);
        await raceTwoInstances(() => createPostgresStore({ sql: db.sql }));
      } finally {
        await db.close();
      }
    },
  );

  it('a resumed call the provider refuses gives the claim back: the buttons return and answering again finishes the turn', async () => {
    guests.length = 0;
    const failOnce = [
      {
        match: { hasToolOutput: true },
        reply: { error: { status: 500, message: 'upstream broke' } },
        times: 1,
      },
      ...rules,
    ] as typeof rules;
    const { store, server, fake } = await setup(undefined, undefined, failOnce);
    const ctx = { userId: crypto.randomUUID() };
    const { threadId, widget } = await pause(server(), ctx);
    const failed = await readEvents(await server().handle(decide(threadId, widget, 'reject'), ctx));
    expect(failed.at(-1)).toMatchObject({ type: 'error', allow_retry: true });
    const replaced = failed.filter((e) => e.type === 'thread.item.replaced');
    // Decided first, then given back: the widget shows its buttons again.
    expect(JSON.stringify(replaced[0]?.item.widget)).toContain('Rejected');
    expect(replaced.at(-1)?.item.id).toBe(widget.id);
    expect(
      replaced
        .at(-1)
        ?.item.widget.children.at(-1)
        .children.map((b: any) => b.label),
    ).toEqual(['Approve', 'Reject']);
    const items = (await store.loadThreadItems(threadId, null, 20, 'asc', ctx)).data;
    // The paused run is stored again (after the widget now: it was written anew), without the decision.
    expect(items.map((i) => i.type).sort()).toEqual(['hidden_context_item', 'user_message', 'widget']);
    const restored = items.find((i) => i.type === 'hidden_context_item') as any;
    expect(restored.content.approvals[0]).toMatchObject({ widgetId: widget.id });
    expect(restored.content.approvals[0].decision).toBeUndefined();
    // The user answers again (the same buttons): the run resumes and the turn ends.
    const callsBefore = fake.calls.length;
    const events = await readEvents(await server().handle(decide(threadId, widget, 'reject'), ctx));
    expect(events.filter((e) => e.type === 'thread.item.done').at(-1)?.item.content[0].text).toBe(
      'Done with the guest list.',
    );
    expect(fake.calls.length - callsBefore).toBe(1);
    expect(guests).toEqual([]);
    const after = (await store.loadThreadItems(threadId, null, 20, 'asc', ctx)).data;
    expect(after.map((i) => i.type)).toEqual(['user_message', 'widget', 'assistant_message']);
  });

  it('the simple stream: a refused resumed call asks for the approval again, and the second answer finishes', async () => {
    guests.length = 0;
    const failOnce = [
      {
        match: { hasToolOutput: true },
        reply: { error: { status: 500, message: 'upstream broke' } },
        times: 1,
      },
      ...rules,
    ] as typeof rules;
    const { server } = await setup(undefined, undefined, failOnce);
    const ctx = { userId: crypto.randomUUID() };
    const first = await readSimple(await createChatStream(server(), { message: 'Add Ada' }, ctx));
    const required = first.find((e) => e.event === 'approval_required')?.data;
    const threadId = first[0]?.data.threadId;
    const answer = async () =>
      readSimple(
        await createChatStream(
          server(),
          {
            threadId,
            approval: { approvalId: required.approvalId, callId: required.callId, decision: 'reject' },
          },
          ctx,
        ),
      );
    const failed = await answer();
    expect(failed.map((e) => e.event)).toContain('error');
    expect(failed.find((e) => e.event === 'approval_required')?.data).toMatchObject({
      approvalId: required.approvalId,
      callId: required.callId,
      tool: 'addGuest',
    });
    const second = await answer();
    expect(second.find((e) => e.event === 'text_done')?.data.text).toBe('Done with the guest list.');
    expect(guests).toEqual([]);
  });

  it('a resumed call that fails after the approved tool ran keeps the claim: the tool never runs twice', async () => {
    guests.length = 0;
    const failOnce = [
      {
        match: { hasToolOutput: true },
        reply: { error: { status: 500, message: 'upstream broke' } },
        times: 1,
      },
      ...rules,
    ] as typeof rules;
    const { store, server } = await setup(undefined, undefined, failOnce);
    const ctx = { userId: crypto.randomUUID() };
    const { threadId, widget } = await pause(server(), ctx);
    const failed = await readEvents(await server().handle(decide(threadId, widget, 'approve'), ctx));
    expect(failed.at(-1)).toMatchObject({ type: 'error' });
    expect(guests).toEqual(['Ada']);
    const items = (await store.loadThreadItems(threadId, null, 20, 'asc', ctx)).data;
    expect(items.map((i) => i.type)).not.toContain('hidden_context_item');
    expect((await server().handle(decide(threadId, widget, 'approve'), ctx)).status).toBe(404);
    expect(guests).toEqual(['Ada']);
  });

  it('reject: the tool never runs and the model reads the call as rejected', async () => {
    guests.length = 0;
    const { server, fake } = await setup();
    const ctx = { userId: crypto.randomUUID() };
    const { threadId, widget } = await pause(server(), ctx);
    const events = await readEvents(await server().handle(decide(threadId, widget, 'reject'), ctx));
    expect(guests).toEqual([]);
    expect(JSON.stringify(events.find((e) => e.type === 'thread.item.replaced')?.item.widget)).toContain(
      'Rejected',
    );
    const sent = JSON.stringify((fake.calls.at(-1)?.body as any)?.input);
    expect(sent).toContain('Tool execution was not approved.');
    expect(events.filter((e) => e.type === 'thread.item.done').at(-1)?.item.content[0].text).toBe(
      'Done with the guest list.',
    );
  });

  it('another user cannot answer the approval (their request never sees the thread); nothing runs', async () => {
    guests.length = 0;
    const { store, server, fake } = await setup();
    const owner = { userId: crypto.randomUUID() };
    const { threadId, widget } = await pause(server(), owner);
    const callsBefore = fake.calls.length;
    const stranger = { userId: crypto.randomUUID() };
    const response = await server().handle(decide(threadId, widget, 'approve'), stranger);
    expect(response.status).toBe(404);
    expect(guests).toEqual([]);
    expect(fake.calls.length).toBe(callsBefore);
    // Still pending for the owner.
    const items = (await store.loadThreadItems(threadId, null, 20, 'asc', owner)).data;
    expect(items.map((i) => i.type)).toContain('hidden_context_item');
  });

  it('a store that shares threads still refuses a user who did not start the run (forbidden)', async () => {
    guests.length = 0;
    const { server } = await setup();
    const owner = { userId: crypto.randomUUID() };
    const { threadId, widget } = await pause(server(), owner);
    // The server's `userId` option decides who asks: a shared store lets the stranger load the thread.
    const shared = createChatKitServer({
      store: (server() as any).store,
      agents: {
        registry: createAgentRegistry([planner], { defaultAgent: 'planner' }),
        modelAccess: createModelAccess({ apiKey: 'test', baseURL: fake!.url, maxRetries: 0 }),
        userId: () => 'someone-else',
      },
    });
    const response = await shared.handle(decide(threadId, widget, 'approve'), owner);
    expect(response.status).toBe(403);
    expect(((await response.json()) as any).error.code).toBe('forbidden');
    expect(guests).toEqual([]);
  });

  it.skipIf(!pg.available)(
    'on Postgres (RLS): a restarted server resumes from the stored state; another user sees nothing',
    async () => {
      guests.length = 0;
      const db = await createTestDatabase();
      try {
        await migrate(db.sql);
        // Every server gets its own store object over the database, as separate processes would.
        const { server } = await setup(createPostgresStore({ sql: db.sql }) as never, () =>
          createPostgresStore({ sql: db.sql }),
        );
        const owner = { userId: crypto.randomUUID() };
        const { threadId, widget } = await pause(server(), owner);
        const stranger = await server().handle(decide(threadId, widget, 'approve'), {
          userId: crypto.randomUUID(),
        });
        expect(stranger.status).toBe(404);
        expect(guests).toEqual([]);
        const events = await readEvents(await server().handle(decide(threadId, widget, 'approve'), owner));
        expect(guests).toEqual(['Ada']);
        expect(events.filter((e) => e.type === 'thread.item.done').at(-1)?.item.content[0].text).toBe(
          'Done with the guest list.',
        );
        const store = createPostgresStore({ sql: db.sql });
        const items = (await store.loadThreadItems(threadId, null, 20, 'asc', owner as never)).data;
        expect(items.map((i) => i.type)).toEqual(['user_message', 'widget', 'assistant_message']);
      } finally {
        await db.close();
      }
    },
  );

  it('the simple stream: approval_required, then a request with the decision continues the turn', async () => {
    guests.length = 0;
    const { server } = await setup();
    const ctx = { userId: crypto.randomUUID() };
    const first = await readSimple(await createChatStream(server(), { message: 'Add Ada' }, ctx));
    expect(first.map((e) => e.event)).toEqual(['session', 'approval_required', 'response_done', 'done']);
    const required = first.find((e) => e.event === 'approval_required')?.data;
    expect(required).toMatchObject({ tool: 'addGuest', arguments: { name: 'Ada' } });
    const threadId = first[0]?.data.threadId;
    // Answered through the /api/chat handler, as a mobile client or the CLI does.
    const handler = createChatStreamHandler(server());
    const answer = (approval: Record<string, unknown>, body: Record<string, unknown> = { threadId }) =>
      handler.handle(
        new Request('http://localhost/api/chat', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ...body, approval }),
        }),
        ctx,
      );
    const { approvalId, callId } = required;
    expect((await answer({ approvalId, callId: 'nope', decision: 'approve' })).status).toBe(404);
    await expect(answer({ approvalId, callId, decision: 'approve' }, {})).rejects.toMatchObject({
      code: 'invalid_request',
    });
    await expect(answer({ approvalId, callId, decision: 'maybe' })).rejects.toMatchObject({
      code: 'invalid_request',
    });
    expect(guests).toEqual([]);
    const second = await readSimple(await answer({ approvalId, callId, decision: 'approve' }));
    expect(guests).toEqual(['Ada']);
    expect(second.find((e) => e.event === 'text_done')?.data.text).toBe('Done with the guest list.');
    expect(second.at(-1)?.event).toBe('done');
  });
});
