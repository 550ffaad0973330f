import { type AdapterContext, createChatKitServer } from '@relaykit/agent-core';
import { createMemoryStore } from '@relaykit/chatkit-store';
import type { ThreadItem, ThreadStreamEventInput } from '@relaykit/sse-protocol';
import { mintSupabaseJwt } from '@relaykit/testing/supabase';
import { describe, expect, it } from 'vitest';
import { createChatStreamRoute } from './chat-stream-route';

const SECRET = 'a-test-secret-of-at-least-32-characters';

function route() {
  const store = createMemoryStore();
  const server = createChatKitServer<AdapterContext>({
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
  return createChatStreamRoute({ server, auth: { jwtSecret: SECRET } }).POST;
}

const post = (body: unknown, token?: string) =>
  new Request('http://localhost:3000/api/chat', {
    method: 'POST',
    headers: token ? { authorization: `Bearer ${token}` } : {},
    body: JSON.stringify(body),
  });

describe('createChatStreamRoute', () => {
  it('answers JSON for stream: false and keeps threads per user (another user gets 404)', async () => {
    const POST = route();
    const alice = await mintSupabaseJwt({ sub: crypto.randomUUID(), secret: SECRET });
    const bob = await mintSupabaseJwt({ sub: crypto.randomUUID(), secret: SECRET });
    const first = await POST(post({ message: 'hello', stream: false }, alice));
    expect(first.status).toBe(200);
    const reply = await first.json();
    expect(reply.message).toBe('echo: hello');
    const foreign = await POST(post({ message: 'peek', threadId: reply.threadId, stream: false }, bob));
    expect(foreign.status).toBe(404);
  });

  it('streams simple SSE by default and validates the body (400 with issues, 401 without a token)', async () => {
    const POST = route();
    const token = await mintSupabaseJwt({ sub: crypto.randomUUID(), secret: SECRET });
    const streamed = await POST(post({ message: 'hi' }, token));
    expect(streamed.headers.get('content-type')).toContain('text/event-stream');
    expect(await streamed.text()).toContain('echo: hi');
    const invalid = await POST(post({ text: 'wrong field' }, token));
    expect(invalid.status).toBe(400);
    expect((await invalid.json()).error.details.issues[0].path).toEqual(['message']);
    expect((await POST(post({ message: 'hi' }))).status).toBe(401);
  });
});
