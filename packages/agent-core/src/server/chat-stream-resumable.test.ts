// biome-ignore-all lint/suspicious/noExplicitAny: the tests read decoded wire JSON loosely, as a client would.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setTracingDisabled } from '@openai/agents';
import { createMemoryStore } from '@relaykit/chatkit-store';
import {
  createMemoryStreamLog,
  createSimpleChatDecoder,
  StoreError,
  type StreamLog,
} from '@relaykit/sse-protocol';
import { createPostgresStreamLog } from '@relaykit/sse-protocol/postgres';
import { createRedisStreamLog } from '@relaykit/sse-protocol/redis';
import { createFakeOpenAI, type FakeOpenAI } from '@relaykit/testing';
import { createTestDatabase, postgresAvailability, type TestDatabase } from '@relaykit/testing/postgres';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '../agents/define-agent';
import { createAgentRegistry } from '../agents/registry';
import { createChatStreamHandler } from '../http/chat-stream-handler';
import { createChatKitServer } from '../http/chatkit-server';
import { errorResponse } from '../http/errors';
import { createModelAccess } from '../models/model-access';

setTracingDisabled(true);

/** The reply the stop test interrupts: long and paced, so a stop lands in the middle of it. */
const LONG_REPLY = Array.from({ length: 120 }, (_, index) => `word${index}`).join(' ');
/** The reply the resume test reads whole: paced so a client can drop in the middle. */
const REPLY = Array.from({ length: 30 }, (_, index) => `part${index}`).join(' ');

interface Ctx {
  userId: string;
  waitUntil: (task: Promise<unknown>) => void;
}

interface Event {
  event: string;
  id?: string | undefined;
  data: any;
}

/** Two server instances (each its own ChatKit server and StreamLog client) sharing one store and one log backend. */
interface Instances {
  a: StreamLog;
  b: StreamLog;
  close(): Promise<void>;
}

const pg = await postgresAvailability();
const redisUrl = process.env.RELAYKIT_TEST_REDIS_URL || 'redis://127.0.0.1:6379';
const redisUp = await (async () => {
  const probe = new Redis(redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch (error) {
    if (process.env.RELAYKIT_REQUIRE_SERVICES === '1') throw error;
    console.warn(`skipping the Redis chat stream tests: ${String(error)}`);
    return false;
  } finally {
    probe.disconnect();
  }
})();

function streamLogMigration(): string {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve('@relaykit/sse-protocol/package.json'));
  return readFileSync(join(root, 'sql', '0001_stream_log.sql'), 'utf8');
}

const backends: Array<{ name: string; enabled: boolean; open: () => Promise<Instances> }> = [
  {
    name: 'memory',
    enabled: true,
    async open() {
      const log = createMemoryStreamLog();
      return { a: log, b: log, close: () => log.close() };
    },
  },
  {
    name: 'Redis',
    enabled: redisUp,
    async open() {
      const keyPrefix = `relaykit:test:chat:${process.pid}:${Date.now().toString(36)}:`;
      const clients = [new Redis(redisUrl), new Redis(redisUrl)];
      const [a, b] = clients.map((redis) => createRedisStreamLog({ redis, keyPrefix })) as [
        StreamLog,
        StreamLog,
      ];
      return {
        a,
        b,
        async close() {
          await Promise.all([a.close(), b.close()]);
          for (const client of clients) client.disconnect();
        },
      };
    },
  },
  {
    name: 'Postgres',
    enabled: pg.available,
    async open() {
      const db: TestDatabase = await createTestDatabase();
      await db.sql.unsafe(streamLogMigration());
      const clients = [0, 1].map(() => postgres(db.url, { max: 3, onnotice: () => {} }));
      const [a, b] = clients.map(
        (sql): StreamLog => createPostgresStreamLog({ sql, flushIntervalMs: 5 }),
      ) as [StreamLog, StreamLog];
      return {
        a,
        b,
        async close() {
          await Promise.all([a.close(), b.close()]);
          await Promise.all(clients.map((sql) => sql.end()));
          await db.close();
        },
      };
    },
  },
];

/** Reads simple events from an SSE body one at a time, so a test can stop reading (drop) mid-stream. */
function eventReader(response: Response) {
  const reader = (response.body as ReadableStream<Uint8Array>)
    .pipeThrough(createSimpleChatDecoder())
    .getReader();
  const seen: Event[] = [];
  return {
    seen,
    /** Reads until `until(event)` holds or the stream ends; returns everything read so far. */
    async readUntil(until: (event: Event) => boolean = () => false): Promise<Event[]> {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return seen;
        seen.push(value as Event);
        if (until(value as Event)) return seen;
      }
    },
    drop: () => reader.cancel(),
  };
}

const chunksIn = (events: Event[]) => events.filter((event) => event.event === 'chunk').length;
const textOf = (events: Event[]) =>
  events
    .filter((event) => event.event === 'chunk')
    .map((event) => event.data.text)
    .join('');

for (const backend of backends) {
  describe.skipIf(!backend.enabled)(`resumable simple chat runs on the ${backend.name} StreamLog`, () => {
    let fake: FakeOpenAI;
    let instances: Instances;
    let store: ReturnType<typeof createMemoryStore>;
    let handlerA: ReturnType<typeof createChatStreamHandler<Ctx>>;
    let handlerB: ReturnType<typeof createChatStreamHandler<Ctx>>;

    beforeAll(async () => {
      fake = await createFakeOpenAI({
        script: {
          rules: [
            { match: { lastUserText: 'long' }, reply: { text: LONG_REPLY, faults: { tokenIntervalMs: 15 } } },
            { reply: { text: REPLY, faults: { tokenIntervalMs: 5 } } },
          ],
        },
      });
      instances = await backend.open();
      store = createMemoryStore();
      const assistant = defineAgent({
        type: 'assistant',
        description: 'General assistant',
        metadata: z.object({}),
        instructions: 'Be brief.',
      });
      const server = () =>
        createChatKitServer<Ctx>({
          store: store as never,
          agents: {
            registry: createAgentRegistry([assistant]),
            modelAccess: createModelAccess({ apiKey: 'test', baseURL: fake.url, maxRetries: 0 }),
          },
        });
      handlerA = createChatStreamHandler(server(), { streamLog: instances.a, heartbeatMs: 0 });
      handlerB = createChatStreamHandler(server(), { streamLog: instances.b, heartbeatMs: 0 });
    });

    afterAll(async () => {
      await instances?.close();
      await fake?.close();
    });

    /** A user's context; `settled()` waits for the detached runs it started. */
    function user(userId: string = crypto.randomUUID()) {
      const tasks: Promise<unknown>[] = [];
      const context: Ctx = { userId, waitUntil: (task) => void tasks.push(task) };
      return { context, settled: () => Promise.all(tasks) };
    }

    const post = (body: unknown) =>
      new Request('http://localhost/api/chat', { method: 'POST', body: JSON.stringify(body) });
    const get = (query: string, lastEventId?: string) =>
      new Request(`http://localhost/api/chat?${query}`, {
        headers: lastEventId === undefined ? {} : { 'last-event-id': lastEventId },
      });
    const del = (sessionId: string) =>
      new Request(`http://localhost/api/chat?sessionId=${sessionId}`, { method: 'DELETE' });

    it('a dropped connection does not stop the run; GET with Last-Event-ID on another instance gets exactly the remaining events', async () => {
      const { context, settled } = user();
      const sessionId = `s-${crypto.randomUUID()}`;
      const response = await handlerA.handle(post({ message: 'hello', sessionId }), context);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      const first = eventReader(response);
      const before = await first.readUntil((event) => event.event === 'chunk' && chunksIn(first.seen) >= 3);
      await first.drop();
      expect(before[0]).toMatchObject({
        event: 'session',
        id: '1',
        data: { sessionId, userId: context.userId },
      });
      const lastId = before.at(-1)?.id as string;

      const resumed = await eventReader(
        await handlerB.handle(get(`sessionId=${sessionId}`, lastId), context),
      ).readUntil();
      await settled();
      const full = await eventReader(
        await handlerA.handle(get(`sessionId=${sessionId}`), context),
      ).readUntil();

      expect(full.map((event) => event.id)).toEqual(full.map((_, index) => String(index + 1)));
      expect(full.at(-1)).toMatchObject({ event: 'done', data: { sessionId } });
      expect(textOf(full)).toBe(REPLY);
      expect(before).toEqual(full.slice(0, before.length));
      expect(resumed).toEqual(full.slice(Number(lastId)));
      const byQuery = await eventReader(
        await handlerB.handle(get(`sessionId=${sessionId}&lastEventId=${full.length - 2}`), context),
      ).readUntil();
      expect(byQuery).toEqual(full.slice(-2));

      const threadId = full[0]?.data.threadId;
      const items = await store.loadThreadItems(threadId, null, 20, 'asc', context);
      const assistant = items.data.find((item) => item.type === 'assistant_message') as any;
      expect(assistant.content[0].text).toBe(REPLY);
    });

    it('DELETE on another instance stops the run: readers end with error "cancelled" and the partial text is saved', async () => {
      const { context, settled } = user();
      const sessionId = `s-${crypto.randomUUID()}`;
      const live = eventReader(
        await handlerA.handle(post({ message: 'a long answer please', sessionId }), context),
      );
      await live.readUntil(() => chunksIn(live.seen) >= 3);

      const stopped = await handlerB.handle(del(sessionId), context);
      expect(stopped.status).toBe(200);
      expect(await stopped.json()).toEqual({ sessionId, state: 'cancelled' });

      const events = await live.readUntil();
      expect(events.at(-1)).toMatchObject({
        event: 'error',
        data: { code: 'cancelled', retryable: false },
      });
      expect(events.some((event) => event.event === 'done')).toBe(false);
      // The reader's own final frame has no id: Last-Event-ID stays the last real entry.
      expect(events.at(-1)?.id).toBeUndefined();
      expect(events.slice(0, -1).map((event) => event.id)).toEqual(
        events.slice(0, -1).map((_, index) => String(index + 1)),
      );
      await settled();

      const threadId = events[0]?.data.threadId;
      const items = await store.loadThreadItems(threadId, null, 20, 'asc', context);
      expect(items.data.map((item) => item.type)).toEqual([
        'user_message',
        'assistant_message',
        'sdk_hidden_context',
      ]);
      const partial = (items.data[1] as any).content[0].text as string;
      expect(partial.trim()).not.toBe('');
      expect(LONG_REPLY.startsWith(partial)).toBe(true);
      expect(partial.length).toBeLessThan(LONG_REPLY.length);

      // A later reader replays what was written and ends the same way; stopping again changes nothing.
      const replay = await eventReader(
        await handlerB.handle(get(`sessionId=${sessionId}`), context),
      ).readUntil();
      expect(replay.at(-1)?.data).toMatchObject({ code: 'cancelled' });
      const raw = await (await handlerB.handle(get(`sessionId=${sessionId}`), context)).text();
      const lastFrame = raw.trim().split('\n\n').at(-1) as string;
      expect(lastFrame).toMatch(/^event: error$/m);
      expect(lastFrame).not.toMatch(/^id:/m);
      expect(textOf(replay)).toBe(textOf(events));
      expect(await (await handlerA.handle(del(sessionId), context)).json()).toEqual({
        sessionId,
        state: 'cancelled',
      });
    });

    it('only the owner may read or stop a run: another user gets the same 404 as an unknown session', async () => {
      const owner = user();
      const other = user();
      const sessionId = `s-${crypto.randomUUID()}`;
      const response = await handlerA.handle(post({ message: 'hi', sessionId }), owner.context);
      await eventReader(response).readUntil();
      await owner.settled();

      const notFound = {
        code: 'not_found',
        message: `Chat session ${sessionId} does not exist or has expired.`,
      };
      await expect(handlerB.handle(get(`sessionId=${sessionId}`), other.context)).rejects.toMatchObject(
        notFound,
      );
      await expect(handlerB.handle(del(sessionId), other.context)).rejects.toMatchObject(notFound);
      const unknown = `s-${crypto.randomUUID()}`;
      await expect(handlerB.handle(get(`sessionId=${unknown}`), owner.context)).rejects.toMatchObject({
        code: 'not_found',
        message: `Chat session ${unknown} does not exist or has expired.`,
      });
      // The owner's run was untouched by the other user's stop.
      expect(await (await handlerB.handle(del(sessionId), owner.context)).json()).toEqual({
        sessionId,
        state: 'done',
      });
      // Another user may use the same session id for a run of their own; the owner may not reuse it while it lives.
      await eventReader(await handlerB.handle(post({ message: 'hi', sessionId }), other.context)).readUntil();
      await other.settled();
      await expect(handlerA.handle(post({ message: 'hi', sessionId }), owner.context)).rejects.toMatchObject({
        code: 'conflict',
      });
    });

    it("a user whose id is the SHA-256 of another user's id does not share that user's sessions", async () => {
      const hashed = user('user@example.com');
      const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode('user@example.com'));
      const lookalike = user(
        Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join(''),
      );
      const sessionId = `s-${crypto.randomUUID()}`;
      await eventReader(
        await handlerA.handle(post({ message: 'hi', sessionId }), lookalike.context),
      ).readUntil();
      await lookalike.settled();
      await expect(handlerB.handle(get(`sessionId=${sessionId}`), hashed.context)).rejects.toMatchObject({
        code: 'not_found',
      });
      const own = await eventReader(
        await handlerB.handle(post({ message: 'hi', sessionId }), hashed.context),
      ).readUntil();
      await hashed.settled();
      expect(own.at(-1)).toMatchObject({ event: 'done', data: { sessionId } });
      expect(own[0]?.data.userId).toBe('user@example.com');
    });

    it('two concurrent POSTs with one session id: one runs the model and writes the thread, the other is a 409', async () => {
      const { context, settled } = user();
      const opening = await eventReader(await handlerA.handle(post({ message: 'hi' }), context)).readUntil();
      const threadId = opening[0]?.data.threadId as string;
      const sessionId = `s-${crypto.randomUUID()}`;
      const message = `again ${crypto.randomUUID()}`;
      const results = await Promise.allSettled([
        handlerA.handle(post({ message, threadId, sessionId }), context),
        handlerB.handle(post({ message, threadId, sessionId }), context),
      ]);
      const answered = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
      const refused = results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
      expect(answered).toHaveLength(1);
      expect(refused).toHaveLength(1);
      expect(refused[0]).toMatchObject({ code: 'conflict' });
      expect(errorResponse(refused[0]).status).toBe(409);
      const events = await eventReader(answered[0] as Response).readUntil();
      expect(events.at(-1)).toMatchObject({ event: 'done', data: { sessionId } });
      await settled();
      const modelCalls = fake.calls.filter((call) => JSON.stringify(call.body ?? null).includes(message));
      expect(modelCalls).toHaveLength(1);
      const items = await store.loadThreadItems(threadId, null, 20, 'asc', context);
      const userTexts = items.data
        .filter((item) => item.type === 'user_message')
        .map((item) => (item as any).content[0].text);
      expect(userTexts).toEqual(['hi', message]);
    });

    it('refuses bad input with typed errors', async () => {
      const { context } = user();
      await expect(handlerA.handle(get('sessionId=x', 'not-a-number'), context)).rejects.toMatchObject({
        code: 'not_found',
      });
      const sessionId = `s-${crypto.randomUUID()}`;
      await eventReader(await handlerA.handle(post({ message: 'hi', sessionId }), context)).readUntil();
      await expect(
        handlerA.handle(get(`sessionId=${sessionId}`, 'not-a-number'), context),
      ).rejects.toMatchObject({
        code: 'invalid_request',
      });
      await expect(handlerA.handle(get(''), context)).rejects.toMatchObject({
        code: 'invalid_request',
        details: { issues: [{ path: ['sessionId'] }] },
      });
      await expect(
        handlerA.handle(post({ message: 'hi', sessionId: 'has spaces' }), context),
      ).rejects.toMatchObject({
        code: 'invalid_request',
        details: { issues: [{ path: ['sessionId'] }] },
      });
      // An error before the stream (here an unknown thread) is answered as JSON and ends the claimed log with that
      // error as its only event: the session id is used up, a retry takes a new one.
      const refusedId = `s-${crypto.randomUUID()}`;
      const missing = await handlerA.handle(
        post({ message: 'hi', sessionId: refusedId, threadId: 'thr_nothere0' }),
        context,
      );
      expect(missing.status).toBe(404);
      const missingError = ((await missing.json()) as any).error;
      expect(missingError).toMatchObject({ code: 'not_found' });
      const logged = await eventReader(
        await handlerB.handle(get(`sessionId=${refusedId}`), context),
      ).readUntil();
      expect(logged).toEqual([
        {
          event: 'error',
          id: '1',
          data: { message: missingError.message, code: 'not_found', retryable: false },
        },
      ]);
      await expect(
        handlerB.handle(post({ message: 'hi', sessionId: refusedId }), context),
      ).rejects.toMatchObject({ code: 'conflict' });
      const retried = `s-${crypto.randomUUID()}`;
      const retry = await eventReader(
        await handlerB.handle(post({ message: 'hi', sessionId: retried }), context),
      ).readUntil();
      expect(retry.at(-1)).toMatchObject({ event: 'done', data: { sessionId: retried } });
      const empty = new Request('http://localhost/api/chat', { method: 'POST' });
      await expect(handlerA.handle(empty, context)).rejects.toMatchObject({
        code: 'invalid_request',
        details: { issues: [{ path: ['message'] }] },
      });
      await expect(
        handlerA.handle(post({ message: 'hi' }), { userId: '', waitUntil: () => {} }),
      ).rejects.toMatchObject({ code: 'unauthorized' });
    });
  });
}

describe('createChatStreamHandler without a streamLog', () => {
  it('refuses GET and DELETE with invalid_request', async () => {
    const handler = createChatStreamHandler(
      createChatKitServer({ store: createMemoryStore() as never, respond: async function* () {} }),
    );
    const context = { userId: crypto.randomUUID() };
    for (const method of ['GET', 'DELETE']) {
      await expect(
        handler.handle(new Request('http://localhost/api/chat?sessionId=s1', { method }), context),
      ).rejects.toMatchObject({ code: 'invalid_request' });
    }
  });
});

describe('a resumable run whose stream log store fails', () => {
  it('cancels the log as a last resort, so readers end instead of waiting for a terminal event forever', async () => {
    const fake = await createFakeOpenAI({
      script: { rules: [{ reply: { text: REPLY, faults: { tokenIntervalMs: 5 } } }] },
    });
    const inner = createMemoryStreamLog();
    const failure = new StoreError('store_unavailable', 'The stream log store is down.');
    // After its third event the writer behaves like one whose flush failed: every later call throws the failure.
    const failing: StreamLog = {
      async create(streamId, options) {
        const writer = await inner.create(streamId, options);
        let broken = false;
        return {
          streamId: writer.streamId,
          signal: writer.signal,
          append(data) {
            if (broken) throw failure;
            const sequence = writer.append(data);
            if (sequence === 3) broken = true;
            return sequence;
          },
          flush: () => (broken ? Promise.reject(failure) : writer.flush()),
          complete: () => (broken ? Promise.reject(failure) : writer.complete()),
        };
      },
      read: (streamId, options) => inner.read(streamId, options),
      status: (streamId) => inner.status(streamId),
      cancel: (streamId) => inner.cancel(streamId),
      close: () => inner.close(),
    };
    const assistant = defineAgent({
      type: 'assistant',
      description: 'General assistant',
      metadata: z.object({}),
      instructions: 'Be brief.',
    });
    const server = createChatKitServer<Ctx>({
      store: createMemoryStore() as never,
      agents: {
        registry: createAgentRegistry([assistant]),
        modelAccess: createModelAccess({ apiKey: 'test', baseURL: fake.url, maxRetries: 0 }),
      },
    });
    const handler = createChatStreamHandler(server, { streamLog: failing, heartbeatMs: 0 });
    const tasks: Promise<unknown>[] = [];
    const context: Ctx = { userId: crypto.randomUUID(), waitUntil: (task) => void tasks.push(task) };
    const sessionId = `s-${crypto.randomUUID()}`;
    try {
      const response = await handler.handle(
        new Request('http://localhost/api/chat', {
          method: 'POST',
          body: JSON.stringify({ message: 'hello', sessionId }),
        }),
        context,
      );
      await Promise.all(tasks);
      expect(await inner.status(`chat:${context.userId}:${sessionId}`)).toMatchObject({
        state: 'cancelled',
        lastSequence: 3,
      });
      const events = await eventReader(response).readUntil();
      expect(events.map((event) => event.event)).toEqual(['session', 'chunk', 'chunk', 'error']);
      expect(events.at(-1)?.data).toMatchObject({ code: 'cancelled', retryable: false });
    } finally {
      await inner.close();
      await fake.close();
    }
  });
});
