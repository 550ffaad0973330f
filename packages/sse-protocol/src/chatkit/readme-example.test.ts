import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { createChatKitEventDecoder } from './parse';
import { handleChatKit } from './readme-example';

const body = JSON.stringify({
  type: 'threads.create',
  params: {
    input: { content: [{ type: 'input_text', text: 'Hi' }], attachments: [], inference_options: {} },
  },
});

it('the quick start answers a ChatKit request with ChatKit SSE frames', async () => {
  const response = await handleChatKit(new Request('http://localhost/chatkit', { method: 'POST', body }));
  expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
  const text = await response.clone().text();
  expect(text.startsWith('data: {"type":"thread.created","thread":{"id":"thr_1","created_at":"')).toBe(true);
  expect(
    text
      .split('\n\n')
      .filter(Boolean)
      .every((frame) => /^data: \{.*\}$/.test(frame)),
  ).toBe(true);
  const events = [];
  for await (const event of response.body!.pipeThrough(createChatKitEventDecoder())) events.push(event);
  expect(events.map((event) => event.type)).toEqual(['thread.created', 'thread.item.done']);
  expect(events[1]).toMatchObject({
    item: { content: [{ text: 'You sent threads.create.', annotations: [] }] },
  });
});

it('the quick start rejects a bad request with invalid_request', async () => {
  const bad = new Request('http://localhost/chatkit', { method: 'POST', body: '{"type":"threads.nope"}' });
  await expect(handleChatKit(bad)).rejects.toMatchObject({ code: 'invalid_request' });
});

it('the README shows the quick start verbatim', () => {
  const source = readFileSync(new URL('./readme-example.ts', import.meta.url), 'utf8');
  const example = source
    .slice(
      source.indexOf('// README-EXAMPLE-START\n') + '// README-EXAMPLE-START\n'.length,
      source.indexOf('// README-EXAMPLE-END'),
    )
    .replace("from '../index'", "from '@relaykit/sse-protocol'");
  expect(example.trim().split('\n').length).toBeLessThanOrEqual(20);
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  expect(readme).toContain(example);
});
