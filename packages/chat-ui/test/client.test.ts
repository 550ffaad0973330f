import { RelayKitError } from '@relaykit/sse-protocol';
import { describe, expect, it } from 'vitest';
import { ChatKitRequestError, createChatKitClient, retryAfterMsOf, userInput } from '../src/client';

const sse = (text: string, chunk = 7) => {
  const bytes = new TextEncoder().encode(text);
  return new Response(
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (let index = 0; index < bytes.length; index += chunk)
          controller.enqueue(bytes.slice(index, index + chunk));
        controller.close();
      },
    }),
    { headers: { 'content-type': 'text/event-stream' } },
  );
};

describe('createChatKitClient', () => {
  it('posts {type, params, metadata} with the per-request metadata, and reads SSE split anywhere', async () => {
    const bodies: unknown[] = [];
    const client = createChatKitClient({
      url: '/chatkit',
      metadata: ({ type, threadId }) => ({ agentType: 'client', type, threadId }),
      fetch: (async (_url: string, init: RequestInit) => {
        bodies.push(JSON.parse(String(init.body)));
        return sse(
          'data: {"type":"stream_options","stream_options":{"allow_cancel":true}}\r\n\r\n: keep-alive\n\ndata: {"type":"future.event","x":1}\n\ndata: not json\n\ndata: {"type":"progress_update","text":"é…"}\n\n',
        );
      }) as unknown as typeof fetch,
    });
    const events = [];
    for await (const event of client.addUserMessage('thr_1', userInput('hi'))) events.push(event);
    expect(events.map((event) => event.type)).toEqual(['stream_options', 'future.event', 'progress_update']);
    expect((events[2] as { text: string }).text).toBe('é…');
    expect(bodies[0]).toEqual({
      type: 'threads.add_user_message',
      params: {
        thread_id: 'thr_1',
        input: {
          content: [{ type: 'input_text', text: 'hi' }],
          attachments: [],
          quoted_text: null,
          inference_options: {},
        },
      },
      metadata: { agentType: 'client', type: 'threads.add_user_message', threadId: 'thr_1' },
    });
  });

  it('turns error answers into ChatKitRequestErrors with code, status, wait and the reasons of invalid requests', async () => {
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) =>
      createChatKitClient({
        url: '/x',
        fetch: (async () =>
          new Response(typeof body === 'string' ? body : JSON.stringify(body), {
            status,
            headers,
          })) as unknown as typeof fetch,
      });
    const limited = await answer(
      429,
      { error: { code: 'rate_limited', message: 'Too many requests; try again later.' } },
      {
        'retry-after': '12',
      },
    )
      .listThreads()
      .catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(ChatKitRequestError);
    expect(RelayKitError.isInstance(limited)).toBe(true);
    expect(limited).toMatchObject({
      code: 'rate_limited',
      status: 429,
      retryAfterMs: 12_000,
      retryable: true,
    });
    const invalid = await answer(400, {
      error: {
        code: 'invalid_request',
        message: 'The request body is invalid.',
        details: { issues: [{ message: 'Prompt too long.' }] },
      },
    })
      .listThreads()
      .catch((error: unknown) => error);
    expect((invalid as Error).message).toBe('The request body is invalid. Prompt too long.');
    await expect(answer(502, 'Bad Gateway').listThreads()).rejects.toMatchObject({
      code: 'provider_error',
      status: 502,
    });
    const offline = createChatKitClient({
      url: '/x',
      fetch: (async () => {
        throw new TypeError('fetch failed');
      }) as unknown as typeof fetch,
    });
    await expect(offline.listThreads()).rejects.toMatchObject({ code: 'provider_unavailable', status: 0 });
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMsOf('3')).toBe(3000);
    expect(retryAfterMsOf(new Date(Date.UTC(2026, 0, 1, 0, 0, 10)).toUTCString(), Date.UTC(2026, 0, 1))).toBe(
      10_000,
    );
    expect(retryAfterMsOf(null)).toBeUndefined();
    expect(retryAfterMsOf('soon')).toBeUndefined();
  });
});
