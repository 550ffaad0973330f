// biome-ignore-all lint/suspicious/noExplicitAny: reads decoded wire JSON loosely, as a client would.
import { type AdapterContext, createChatKitServer } from '@relaykit/agent-core';
import { createMemoryStore } from '@relaykit/chatkit-store';
import type { ThreadItem, ThreadStreamEventInput } from '@relaykit/sse-protocol';
import { mintSupabaseJwt } from '@relaykit/testing/supabase';
import { describe, expect, it } from 'vitest';
import { createChatKitRoute } from './chatkit-route';

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
  return createChatKitRoute({ server, auth: { jwtSecret: SECRET } }).POST;
}

function post(body: unknown, token: string): Request {
  return new Request('http://localhost:3000/api/chatkit', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function events(response: Response): Promise<any[]> {
  const text = await response.text();
  return text
    .trim()
    .split('\n\n')
    .map((frame) => JSON.parse(frame.slice('data: '.length)));
}

describe('createChatKitRoute with the real createChatKitServer on the memory store', () => {
  it('streams a conversation for its owner and answers 404 to another user for the same thread', async () => {
    const POST = route();
    const alice = await mintSupabaseJwt({ sub: crypto.randomUUID(), secret: SECRET });
    const bob = await mintSupabaseJwt({ sub: crypto.randomUUID(), secret: SECRET });
    const input = {
      content: [{ type: 'input_text', text: 'plan a picnic' }],
      attachments: [],
      inference_options: {},
    };
    const created = await POST(post({ type: 'threads.create', params: { input } }, alice));
    expect(created.status).toBe(200);
    expect(created.headers.get('content-type')).toContain('text/event-stream');
    const stream = await events(created);
    expect(stream.map((event) => event.type)).toEqual([
      'thread.created',
      'thread.item.done',
      'stream_options',
      'thread.item.done',
    ]);
    const threadId = stream[0].thread.id;
    const own = await POST(post({ type: 'threads.get_by_id', params: { thread_id: threadId } }, alice));
    expect(own.status).toBe(200);
    const thread = await own.json();
    expect(thread.items.data.map((item: any) => item.type)).toEqual(['user_message', 'assistant_message']);
    expect(thread.items.data[1].content[0].text).toBe('echo: plan a picnic');
    const foreign = await POST(post({ type: 'threads.get_by_id', params: { thread_id: threadId } }, bob));
    expect(foreign.status).toBe(404);
    const missing = await POST(post({ type: 'threads.get_by_id', params: { thread_id: 'thr_nope' } }, bob));
    expect(missing.status).toBe(404);
    // Same answer as for a thread that never existed (only the id the caller sent, and each request's own id,
    // differ): no existence leak.
    const withoutRequestId = async (response: Response) => {
      const text = await response.text();
      const requestId = response.headers.get('x-request-id') as string;
      expect(JSON.parse(text).error.requestId).toBe(requestId);
      return text.replace(requestId, 'req_x');
    };
    expect((await withoutRequestId(foreign)).replace(threadId, 'thr_nope')).toBe(
      await withoutRequestId(missing),
    );
    const list = await POST(post({ type: 'threads.list', params: {} }, bob));
    expect((await list.json()).data).toEqual([]);
  });
});
