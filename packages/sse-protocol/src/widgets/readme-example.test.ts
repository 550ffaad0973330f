import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { ThreadStreamEvent } from '../chatkit/events';
import { contractCard } from './readme-example';

async function* chunks() {
  yield 'Deposit 30%';
  yield ', due 2026-12-01.';
}

it('the README widget example streams a contract card', async () => {
  const events = [];
  for await (const event of contractCard({ id: 'thr_1' }, chunks(), () => 'msg_1')) events.push(event);
  expect(
    events.map((event) => (event.type === 'thread.item.updated' ? event.update.type : event.type)),
  ).toEqual([
    'thread.item.added',
    'widget.streaming_text.value_delta',
    'widget.streaming_text.value_delta',
    'widget.root.updated',
    'thread.item.done',
  ]);
  expect(events.at(-1)).toMatchObject({
    type: 'thread.item.done',
    item: {
      id: 'msg_1',
      copy_text: 'Venue contract',
      widget: { children: [{ value: 'Deposit 30%, due 2026-12-01.', streaming: false }, { label: 'Sign' }] },
    },
  });
  for (const event of events) expect(ThreadStreamEvent.safeParse(event).success).toBe(true);
});

it('the README shows the widget example verbatim, in at most 20 lines', () => {
  const source = readFileSync(new URL('./readme-example.ts', import.meta.url), 'utf8');
  const example = source.slice(
    source.indexOf('// README-EXAMPLE-START\n') + '// README-EXAMPLE-START\n'.length,
    source.indexOf('// README-EXAMPLE-END'),
  );
  expect(example.trim().split('\n').length).toBeLessThanOrEqual(20);
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  expect(readme).toContain(example);
});
