import { createMemoryStore } from '@relaykit/chatkit-store';
import type { ThreadItem, ThreadStreamEventInput } from '@relaykit/sse-protocol';
import { describe, expect, it } from 'vitest';
import { createChatStreamHandler } from './chat-stream-handler';
import { createChatKitServer } from './chatkit-server';

interface Ctx {
  userId: string;
}

function handler() {
  const store = createMemoryStore();
  const server = createChatKitServer<Ctx>({
    store: store as never,
    respond: async function* (thread, input, context) {
      const text = (input?.content[0] as { text?: string } | undefined)?.text ?? '';
      yield {
        type: 'thread.item.done',
        item: {
          type: 'assistant_message',
          id: store.generateItemId('message', thread, context as never),
          thread_id: thread.id,
          created_at: new Date().toISOString(),
          content: [{ type: 'output_text', text: `echo: ${text}`, annotations: [] }],
        } as ThreadItem,
      } as ThreadStreamEventInput;
    },
  });
  return createChatStreamHandler(server);
}

const post = (body: unknown) =>
  new Request('http://localhost/api/chat', { method: 'POST', body: JSON.stringify(body) });

describe('createChatStreamHandler', () => {
  it('answers JSON with stream: false and continues the thread', async () => {
    const chat = handler();
    const context = { userId: crypto.randomUUID() };
    const first = await chat.handle(post({ message: 'hello', stream: false }), context);
    expect(first.status).toBe(200);
    const body = await first.json();
    expect(body).toMatchObject({ message: 'echo: hello' });
    expect(typeof body.threadId).toBe('string');
    const second = await chat.handle(
      post({ message: 'again', threadId: body.threadId, stream: false }),
      context,
    );
    expect(await second.json()).toMatchObject({ threadId: body.threadId, message: 'echo: again' });
  });

  it('streams the simple SSE events', async () => {
    const response = await handler().handle(post({ message: 'hi', sessionId: 'ses_1' }), { userId: 'u1' });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const text = await response.text();
    const types = [...text.matchAll(/^event: (\S+)$/gm)].map((match) => match[1]);
    const dataTypes = [...text.matchAll(/"type":"(\w+)"/g)].map((match) => match[1]);
    const seen = types.length > 0 ? types : dataTypes;
    // The scripted responder yields a finished message (no deltas), so there are no chunk events.
    expect(seen).toEqual(['session', 'text_done', 'done']);
    expect(text).toContain('echo: hi');
  });

  it('refuses an invalid body with the zod issues', async () => {
    await expect(handler().handle(post({ message: '' }), { userId: 'u1' })).rejects.toMatchObject({
      code: 'invalid_request',
      details: { issues: [{ path: ['message'] }] },
    });
  });
});
