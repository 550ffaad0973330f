import { createMemoryStore } from '@relaykit/chatkit-store';
import { expect, it } from 'vitest';
import { createChatKitServer } from '../index';

it('README quick start: a ChatKit server with a scripted responder', async () => {
  // --- quick start ---
  const store = createMemoryStore();
  const server = createChatKitServer({
    store,
    async *respond(thread, input) {
      const text = input?.content.map((part) => part.text).join('') ?? '';
      const item = { id: store.generateItemId('message', thread, { userId: 'u1' }), thread_id: thread.id };
      yield {
        type: 'thread.item.done',
        item: {
          ...item,
          type: 'assistant_message',
          created_at: new Date(),
          content: [{ type: 'output_text', text: `You said: ${text}` }],
        },
      };
    },
  });
  // In any Web-standard route: return server.handle(request, { userId: session.user.id });
  // --- end quick start ---
  const body = {
    type: 'threads.create',
    params: {
      input: { content: [{ type: 'input_text', text: 'Hi' }], attachments: [], inference_options: {} },
    },
  };
  const response = await server.handle(
    new Request('http://localhost/chatkit', { method: 'POST', body: JSON.stringify(body) }),
    { userId: 'u1' },
  );
  const text = await response.text();
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  expect(text).toContain('"text":"You said: Hi"');
  expect(
    text
      .split('\n\n')
      .filter(Boolean)
      .map((frame) => JSON.parse(frame.slice(6)).type),
  ).toEqual(['thread.created', 'thread.item.done', 'stream_options', 'thread.item.done']);
});
