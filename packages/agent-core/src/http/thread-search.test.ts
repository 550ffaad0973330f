import { createMemoryStore } from '@relaykit/chatkit-store';
import { describe, expect, it } from 'vitest';
import { createThreadSearchHandler } from './thread-search';

describe('createThreadSearchHandler', () => {
  const store = createMemoryStore();
  const alice = { userId: '00000000-0000-4000-8000-00000000a11c' };
  const bob = { userId: '00000000-0000-4000-8000-000000000b0b' };
  const search = createThreadSearchHandler({ store });
  const get = (query: string, context = alice) =>
    search(new Request(`http://test/api/search${query}`), context);

  it('answers the caller’s matching threads with a snippet and no server-only metadata', async () => {
    await store.saveThread(
      {
        id: 'thr_search1',
        title: 'Billing',
        created_at: '2026-12-01T10:00:00.000Z',
        status: { type: 'active' },
        metadata: { last_run: { agent: 'secret' } },
      },
      alice,
    );
    await store.addThreadItem(
      'thr_search1',
      {
        id: 'msg_search1',
        thread_id: 'thr_search1',
        type: 'user_message',
        created_at: '2026-12-01T10:00:01.000Z',
        content: [{ type: 'input_text', text: 'Why did the invoice total change in November?' }],
        attachments: [],
        inference_options: {},
      },
      alice,
    );
    const response = await get('?q=invoice%20nov&limit=5');
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toEqual({
      data: [
        {
          thread: {
            id: 'thr_search1',
            title: 'Billing',
            created_at: '2026-12-01T10:00:00.000Z',
            status: { type: 'active' },
          },
          snippet: expect.stringContaining('**invoice**'),
        },
      ],
      has_more: false,
    });
    expect(JSON.stringify(body)).not.toContain('secret');
    expect((await (await get('?q=invoice', bob)).json()).data).toEqual([]);
  });

  it('refuses a missing or long query and a bad limit with 400, other methods too', async () => {
    for (const query of [
      '',
      '?q=%20',
      `?q=${'a'.repeat(201)}`,
      '?q=x&limit=0',
      '?q=x&limit=51',
      '?q=x&limit=abc',
    ]) {
      const response = await get(query);
      expect(response.status, query).toBe(400);
      expect((await response.json()).error.code).toBe('invalid_request');
    }
    const post = await search(
      new Request('http://test/api/search?q=x', { method: 'POST', body: '{}' }),
      alice,
    );
    expect(post.status).toBe(400);
  });

  it('needs a store that can search', () => {
    expect(() => createThreadSearchHandler({})).toThrow(/needs a store/);
    expect(() => createThreadSearchHandler({ store: {} })).toThrow(/no searchThreads/);
  });
});
