import { ThreadStreamEvent, type ThreadStreamEventInput } from '@relaykit/sse-protocol';
import { expect, it } from 'vitest';
import { AGENT_ANNOTATION_ID, annotateAgent } from './agent-annotation';

/** Each event annotated with the agent running when it is sent (`agents[i]`, the last one after the list ends). */
async function collect(events: ThreadStreamEventInput[], agents: string[]) {
  return events.map((event, index) => annotateAgent(event, agents[Math.min(index, agents.length - 1)]));
}

const base = { thread_id: 'thr_1', created_at: '2026-12-07T10:00:00.000Z' };

it('names the agent of each finished assistant message in a valid entity annotation, and nothing else', async () => {
  const message = (id: string, text: string): ThreadStreamEventInput => ({
    type: 'thread.item.done',
    item: {
      ...base,
      id,
      type: 'assistant_message',
      content: [
        {
          type: 'output_text',
          text,
          annotations: [{ type: 'annotation', source: { type: 'url', title: 'x', url: 'https://x.test' } }],
        },
      ],
    },
  });
  const events: ThreadStreamEventInput[] = [
    { type: 'thread.item.added', item: { ...base, id: 'a1', type: 'assistant_message', content: [] } },
    message('a1', 'Routing you'),
    { type: 'progress_update', text: 'x' },
    message('a2', 'Here is your lesson'),
  ];
  const out = await collect(events, ['orchestrator', 'orchestrator', 'orchestrator', 'lesson_planner']);
  expect(out[0]).toEqual(events[0]);
  expect(out[2]).toEqual(events[2]);
  const annotations = (event: ThreadStreamEventInput) =>
    (event as { item: { content: { annotations: { source: { id?: string; title: string } }[] }[] } }).item
      .content[0]!.annotations;
  expect(annotations(out[1]!).map((a) => a.source.title)).toEqual(['x', 'orchestrator']);
  expect(annotations(out[3]!).at(-1)?.source).toMatchObject({
    id: AGENT_ANNOTATION_ID,
    title: 'lesson_planner',
  });
  // The annotated event is a valid ChatKit event (the server validates every event on the way out).
  expect(ThreadStreamEvent.safeParse(out[3]).success).toBe(true);
  // An empty message gets a part to carry it; without a name nothing changes.
  const empty = await collect(
    [{ type: 'thread.item.done', item: { ...base, id: 'a3', type: 'assistant_message', content: [] } }],
    ['x'],
  );
  expect(annotations(empty[0]!)).toHaveLength(1);
  const unnamed = await collect([message('a4', 'hi')], ['']);
  expect(unnamed[0]).toEqual(message('a4', 'hi'));
});
