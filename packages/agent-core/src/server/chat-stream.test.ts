// biome-ignore-all lint/suspicious/noExplicitAny: the tests read decoded wire JSON loosely, as a client would.
import { setTracingDisabled } from '@openai/agents';
import { createMemoryStore } from '@relaykit/chatkit-store';
import { createFakeOpenAI, type FakeOpenAI } from '@relaykit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '../agents/define-agent';
import { createAgentRegistry } from '../agents/registry';
import { createChatStream } from '../http/chat-stream';
import { createChatKitServer } from '../http/chatkit-server';
import { createModelAccess } from '../models/model-access';

setTracingDisabled(true);

function parseSimple(text: string): { event: string; id: string; data: any }[] {
  return text
    .split('\n\n')
    .filter((frame) => frame.trim() !== '' && !frame.startsWith(':'))
    .map((frame) => {
      const lines = frame.split('\n');
      const get = (key: string) =>
        lines.find((line) => line.startsWith(`${key}: `))?.slice(key.length + 2) ?? '';
      return { event: get('event'), id: get('id'), data: JSON.parse(get('data')) };
    });
}

describe('createChatStream (simple chat endpoint) over the ChatKit server and the fake OpenAI server', () => {
  let fake: FakeOpenAI | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  async function setup(rules: any[]) {
    fake = await createFakeOpenAI({ script: { rules, fallback: 'error' } });
    const store = createMemoryStore();
    const assistant = defineAgent({
      type: 'assistant',
      description: 'General assistant',
      metadata: z.object({}),
      instructions: 'Be brief.',
    });
    const server = createChatKitServer({
      store,
      agents: {
        registry: createAgentRegistry([assistant]),
        modelAccess: createModelAccess({ apiKey: 'test', baseURL: fake.url, maxRetries: 0 }),
      },
    });
    return { server, store };
  }

  it('streams session, chunks, text_done, response_done (usage) and done; a second message continues the thread', async () => {
    const { server, store } = await setup([{ reply: { text: 'Hello from the fake.' } }]);
    const userId = crypto.randomUUID();
    const response = await createChatStream(
      server,
      { message: 'Hi', sessionId: 's1', heartbeatMs: 0 },
      { userId },
    );
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const events = parseSimple(await response.text());
    // The routed agent is known before the first event (it is not "default").
    expect(events[0]).toMatchObject({
      event: 'session',
      data: { sessionId: 's1', userId, agent: 'assistant' },
    });
    const threadId = events[0]?.data.threadId;
    expect(threadId).toMatch(/^thr_/);
    expect(
      events
        .filter((e) => e.event === 'chunk')
        .map((e) => e.data.text)
        .join(''),
    ).toBe('Hello from the fake.');
    expect(events.find((e) => e.event === 'text_done')?.data.text).toBe('Hello from the fake.');
    const done = events.find((e) => e.event === 'response_done');
    expect(done?.data.response.id).toMatch(/^resp_/);
    expect(done?.data.response.usage.outputTokens).toBeGreaterThan(0);
    expect(events.at(-1)).toMatchObject({ event: 'done', data: { sessionId: 's1' } });
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => String(i + 1)));

    const json = await createChatStream(server, { message: 'Again', threadId, stream: false }, { userId });
    const body = (await json.json()) as any;
    expect(body).toMatchObject({ threadId, agent: 'assistant', message: 'Hello from the fake.' });
    expect(body.usage.inputTokens).toBeGreaterThan(0);
    const items = await store.loadThreadItems(threadId, null, 10, 'asc', { userId });
    expect(items.data.map((i) => i.type)).toEqual([
      'user_message',
      'assistant_message',
      'user_message',
      'assistant_message',
    ]);
  });

  it('an unknown thread is a 404 JSON error; a provider failure mid-run ends the stream with an error event', async () => {
    const { server } = await setup([{ reply: { error: { status: 500, message: 'boom' } } }]);
    const userId = crypto.randomUUID();
    const missing = await createChatStream(server, { message: 'x', threadId: 'thr_nothere0' }, { userId });
    expect(missing.status).toBe(404);
    const failed = await createChatStream(server, { message: 'x', heartbeatMs: 0 }, { userId });
    const events = parseSimple(await failed.text());
    expect(events.at(-1)?.event).toBe('error');
    expect(events.at(-1)?.data.retryable).toBe(true);
    const failedJson = await createChatStream(server, { message: 'x', stream: false }, { userId });
    expect(failedJson.status).toBeGreaterThanOrEqual(500);
  });

  it('a rejected API key is reported with its own code (configuration, not retryable), streamed or not', async () => {
    const rejected = { reply: { error: { status: 401, message: 'Incorrect API key provided' } } };
    const { server } = await setup([rejected, rejected]);
    const userId = crypto.randomUUID();
    const streamed = await createChatStream(server, { message: 'x', heartbeatMs: 0 }, { userId });
    const last = parseSimple(await streamed.text()).at(-1);
    expect(last).toMatchObject({ event: 'error', data: { code: 'configuration', retryable: false } });
    const json = await createChatStream(server, { message: 'x', stream: false }, { userId });
    expect(json.status).toBe(500);
    expect(((await json.json()) as any).error).toMatchObject({ code: 'configuration' });
  });

  it('a provider rate limit mid-run with stream: false answers the errorResponse JSON and Retry-After', async () => {
    const { server } = await setup([
      { reply: { error: { status: 429, message: 'Slow down', retryAfterMs: 7000 } } },
    ]);
    const response = await createChatStream(
      server,
      { message: 'x', stream: false },
      { userId: crypto.randomUUID() },
    );
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(response.headers.get('content-type')).toBe('application/json');
    const body = (await response.json()) as any;
    expect(body.error).toMatchObject({
      name: 'ProviderError',
      code: 'rate_limited',
      retryable: true,
      retryAfterMs: 7000,
      details: { status: 429 },
    });
    expect(body.error.message).toMatch(/rate limiting/); // the provider's text (it may name the organization) is not echoed
    expect(Object.keys(body)).toEqual(['error']);
  });
});
