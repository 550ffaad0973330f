import type { AdapterContext, ChatKitAgentsOptions, ChatKitRespond } from '@relaykit/agent-core';
import type { ChatKitStore } from '@relaykit/chatkit-store';
import type { ThreadMetadata, ThreadStreamEventInput } from '@relaykit/sse-protocol';
import { describe, expect, it } from 'vitest';
import { createRespondWithToolProgress } from './tool-progress';

type Gate = { open: () => void; opened: Promise<void> };
const gate = (): Gate => {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
};
const settle = () => new Promise((resolve) => setImmediate(resolve));

const thread = {
  id: 'thr_shared',
  created_at: new Date().toISOString(),
  status: { type: 'active' },
} as never as ThreadMetadata;
let ids = 0;
const store = { generateItemId: () => `item_${++ids}` } as never as ChatKitStore<AdapterContext>;
const contextOf = (userId: string) =>
  ({ userId, claims: {}, waitUntil: () => {} }) as never as AdapterContext;

/** A stand-in for the agents responder: per user, a tool call (start, end) and an answer, each step behind a gate. */
function scriptedRespond(steps: Map<string, Gate[]>) {
  return (_store: unknown, options: ChatKitAgentsOptions<AdapterContext>): ChatKitRespond<AdapterContext> =>
    async function* (run, _input, context) {
      const [start, end, answer] = steps.get(context.userId)!;
      await start!.opened;
      options.onToolCall?.(
        { phase: 'start', tool: 'addGuest', agent: 'a', callId: context.userId, threadId: run.id },
        context,
      );
      await end!.opened;
      options.onToolCall?.(
        { phase: 'end', tool: 'addGuest', agent: 'a', callId: context.userId, threadId: run.id },
        context,
      );
      await answer!.opened;
      yield {
        type: 'thread.item.done',
        item: {
          type: 'assistant_message',
          id: `answer_${context.userId}`,
          thread_id: run.id,
          created_at: '',
          content: [],
        },
      } as never as ThreadStreamEventInput;
    };
}

const taskTitles = (events: ThreadStreamEventInput[]) =>
  events.flatMap((event) =>
    event.type === 'thread.item.updated' && 'task' in event.update
      ? [(event.update.task as { title: string }).title]
      : [],
  );

describe('createRespondWithToolProgress', () => {
  it('keeps the tool progress of two concurrent runs on one thread apart, also after the first one ends', async () => {
    const steps = new Map([
      ['ada', [gate(), gate(), gate()]],
      ['bob', [gate(), gate(), gate()]],
    ]);
    const respond = createRespondWithToolProgress(store, {} as never, scriptedRespond(steps) as never);
    const collect = async (userId: string) => {
      const events: ThreadStreamEventInput[] = [];
      for await (const event of respond(thread, null, contextOf(userId), {
        signal: new AbortController().signal,
        requestMetadata: {},
      }))
        events.push(event);
      return events;
    };
    const ada = collect('ada');
    const bob = collect('bob');
    await settle();
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
    expect(taskTitles(adaEvents)).toEqual(['Calling addGuest', 'Called addGuest']);
    expect(taskTitles(bobEvents)).toEqual(['Calling addGuest', 'Called addGuest']);
    for (const events of [adaEvents, bobEvents]) {
      expect(events.map((event) => event.type)).toEqual([
        'thread.item.added',
        'thread.item.updated',
        'thread.item.updated',
        'thread.item.done',
        'thread.item.done',
      ]);
    }
  });
});
