/**
 * The image handlers with real `Request`s, the real `openai` SDK against the fake OpenAI server (Images API),
 * and the memory blob store.
 */
import { type BlobStore, createMemoryBlobStore } from '@relaykit/image-gen';
import { createEventStreamDecoder, type SSEMessage, StoreError } from '@relaykit/sse-protocol';
import { createFakeOpenAI, type FakeOpenAI, type FakeScript } from '@relaykit/testing';
import { mintSupabaseJwt } from '@relaykit/testing/supabase';
import {
  createMemoryRateLimitStore,
  createMemoryUsageStore,
  createPriceTable,
  createRateLimiter,
  createUsageRecorder,
  fixedWindow,
} from '@relaykit/usage-tracker';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { createImageHandlers, type ImageHandlersOptions } from './images';
import type { ImageBatchEvents } from './images-batch';

const SECRET = 'a-test-secret-of-at-least-32-characters';
const USER = '6a1f0c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';

let fake: FakeOpenAI | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(script?: FakeScript, overrides: Partial<ImageHandlersOptions> = {}) {
  fake = await createFakeOpenAI(script ? { script } : {});
  const blobs = createMemoryBlobStore({ baseUrl: 'https://cdn.test/' });
  const tasks: Promise<unknown>[] = [];
  const handlers = createImageHandlers({
    auth: { jwtSecret: SECRET },
    client: new OpenAI({ apiKey: 'test', baseURL: fake.url }),
    blobs,
    waitUntil: (task) => tasks.push(task),
    ...overrides,
  });
  const token = await mintSupabaseJwt({ sub: USER, secret: SECRET });
  const post = (path: string, body: unknown, auth: string | null = token) =>
    new Request(`http://localhost/api/images${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const imageCalls = () => fake!.calls.filter((call) => call.path === '/v1/images/generations');
  return { handlers, blobs, tasks, post, imageCalls };
}

type BatchFrame = {
  [K in keyof ImageBatchEvents]: { event: K; data: ImageBatchEvents[K] };
}[keyof ImageBatchEvents];

async function readEvents(response: Response): Promise<BatchFrame[]> {
  const frames: BatchFrame[] = [];
  const messages = response.body!.pipeThrough(createEventStreamDecoder());
  for await (const message of messages as unknown as AsyncIterable<SSEMessage>)
    frames.push({ event: message.event, data: JSON.parse(message.data) } as BatchFrame);
  return frames;
}

const items = (count: number) =>
  Array.from({ length: count }, (_, index) => ({ id: `student-${index}`, prompt: `portrait ${index}` }));

describe('createImageHandlers: generate', () => {
  it('generates, stores under the user and answers { image, usage }; usage is recorded after the response', async () => {
    const recorder = createUsageRecorder({ store: createMemoryUsageStore(), prices: createPriceTable() });
    const { handlers, blobs, tasks, post } = await setup(undefined, { usage: recorder });
    const response = await handlers.generate(
      post('', { prompt: 'a red fox', size: '1536x1024', quality: 'low' }),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { image: Record<string, string>; usage: Record<string, number> };
    expect(body.image).toMatchObject({
      model: 'gpt-image-1',
      prompt: 'a red fox',
      size: '1536x1024',
      path: expect.stringMatching(
        new RegExp(`^images/${USER}/[0-9a-f-]{36}/\\d{8}T\\d{9}Z-[0-9a-f]{16}\\.png$`),
      ),
    });
    expect(body.image.url).toBe(`https://cdn.test/${body.image.path}`);
    expect(body.image.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(body.image.createdAt!).toISOString()).toBe(body.image.createdAt);
    expect(blobs.paths()).toEqual([body.image.path]);
    expect(body.usage.outputTokens).toBe(400);
    expect(body.usage.costMicros).toBeGreaterThan(0);
    await Promise.all(tasks);
    const summary = await recorder.getUsageSummary(USER, {
      from: new Date(0),
      to: new Date(Date.now() + 60_000),
    });
    expect(summary).toMatchObject({ imageRequests: 1, costMicros: body.usage.costMicros });
  });

  it('records the paid call even when storing the image fails (one provider call, one usage row)', async () => {
    const store = createMemoryUsageStore();
    const recorder = createUsageRecorder({ store, prices: createPriceTable() });
    const memory = createMemoryBlobStore();
    const blobs: BlobStore = {
      ...memory,
      put: async () => {
        throw new StoreError('store_unavailable', 'the bucket is down', { retryable: true });
      },
    };
    const { handlers, tasks, post, imageCalls } = await setup(undefined, { usage: recorder, blobs });
    const response = await handlers.generate(post('', { prompt: 'a red fox', quality: 'low' }));
    expect(response.status).toBeGreaterThanOrEqual(500);
    expect(await response.json()).toMatchObject({ error: { code: 'store_unavailable' } });
    expect(memory.size()).toBe(0);
    await Promise.all(tasks);
    expect(imageCalls()).toHaveLength(1);
    expect(store.rows()).toHaveLength(1);
    expect(store.rows()[0]).toMatchObject({
      userId: USER,
      kind: 'image',
      model: 'gpt-image-1',
      images: 1,
      costMicros: expect.any(Number),
      metadata: {
        image_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        path: expect.stringMatching(/^images\//),
      },
    });
    expect(store.rows()[0]!.completionTokens).toBeGreaterThan(0);
    expect(store.rows()[0]!.error).toBeUndefined();
  });

  it('records the stored path and image id of a successful call in the usage row', async () => {
    const store = createMemoryUsageStore();
    const recorder = createUsageRecorder({ store, prices: createPriceTable() });
    const { handlers, tasks, post } = await setup(undefined, { usage: recorder });
    const response = await handlers.generate(post('', { prompt: 'a red fox' }));
    const { image } = (await response.json()) as { image: { id: string; path: string } };
    await Promise.all(tasks);
    expect(store.rows()).toHaveLength(1);
    expect(store.rows()[0]!.metadata).toMatchObject({ image_id: expect.any(String), path: image.path });
    expect(image.path).toContain(`/${(store.rows()[0]!.metadata as { image_id: string }).image_id}/`);
  });

  it('answers the url publicUrl gives, and per-request clients from modelAccess', async () => {
    fake = await createFakeOpenAI();
    const client = new OpenAI({ apiKey: 'test', baseURL: fake.url });
    const seen: string[] = [];
    const { generate } = createImageHandlers({
      auth: { jwtSecret: SECRET },
      modelAccess: {
        clientFor: async (context) => {
          seen.push(context.userId);
          return client;
        },
      },
      blobs: createMemoryBlobStore(),
      publicUrl: (path) => `/api/images/file/${path}`,
    });
    const token = await mintSupabaseJwt({ sub: USER, secret: SECRET });
    const response = await generate(
      new Request('http://localhost/api/images', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: '{"prompt":"a cat"}',
      }),
    );
    const { image } = (await response.json()) as { image: { url: string; path: string } };
    expect(image.url).toBe(`/api/images/file/${image.path}`);
    expect(seen).toEqual([USER]);
  });

  it('answers 400 with zod issues, 401 unauthenticated, 413 over the cap, and never calls the provider', async () => {
    const { handlers, post, imageCalls } = await setup(undefined, { maxBodyBytes: 256 });
    const bad = await handlers.generate(post('', { prompt: '', size: '999x1' }));
    expect(bad.status).toBe(400);
    const { error } = (await bad.json()) as {
      error: { code: string; details: { issues: { path: string[] }[] } };
    };
    expect(error.code).toBe('invalid_request');
    expect(error.details.issues.map((issue) => issue.path.join('.')).sort()).toEqual(['prompt', 'size']);
    const wrongModel = await handlers.generate(post('', { prompt: 'p', model: 'dall-e-3', quality: 'low' }));
    expect(wrongModel.status).toBe(400);
    expect(await wrongModel.json()).toMatchObject({
      error: { details: { issues: [{ path: ['quality'] }] } },
    });
    const anonymous = await handlers.generate(post('', { prompt: 'p' }, null));
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: 'unauthorized' } });
    const big = await handlers.generate(post('', { prompt: 'x'.repeat(300) }));
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: { code: 'payload_too_large' } });
    expect(imageCalls()).toHaveLength(0);
  });

  it('answers 429 with Retry-After when the request limiter denies, for both routes', async () => {
    const rateLimiter = createRateLimiter({
      store: createMemoryRateLimitStore(),
      algorithm: fixedWindow(1, '1 m'),
      onStoreFailure: 'deny',
    });
    const { handlers, post, imageCalls } = await setup(undefined, { rateLimiter });
    const first = await handlers.generate(post('', { prompt: 'p' }));
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-remaining')).toBe('0');
    for (const response of [
      await handlers.generate(post('', { prompt: 'p' })),
      await handlers.batch(post('/batch', { items: items(2) })),
    ]) {
      expect(response.status).toBe(429);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await response.json()).toMatchObject({ error: { code: 'rate_limited' } });
    }
    expect(imageCalls()).toHaveLength(1);
  });

  it('maps a provider refusal to its status and code, and records it as a recent error', async () => {
    const recorder = createUsageRecorder({ store: createMemoryUsageStore(), prices: createPriceTable() });
    const { handlers, post, blobs, tasks } = await setup(
      {
        rules: [
          {
            match: { endpoint: 'images.generations' },
            reply: {
              error: { status: 400, message: 'Blocked by safety system.', code: 'moderation_blocked' },
            },
          },
        ],
      },
      { usage: recorder },
    );
    const response = await handlers.generate(post('', { prompt: 'refused' }));
    expect(response.status).toBe(422);
    const requestId = response.headers.get('x-request-id');
    expect(requestId).toMatch(/^req_/);
    expect(await response.json()).toMatchObject({
      error: { code: 'content_policy', message: 'Blocked by safety system.' },
    });
    expect(blobs.size()).toBe(0);
    await Promise.all(tasks);
    expect(await recorder.getRecentErrors(USER)).toEqual([
      {
        at: expect.any(Date),
        kind: 'image',
        model: 'gpt-image-1',
        message: 'Blocked by safety system.',
        code: 'content_policy',
        requestId,
      },
    ]);
  });
});

describe('createImageHandlers: batch', () => {
  it('streams start, one progress per item, then done 5/5; every image is stored', async () => {
    const { handlers, post, blobs, tasks } = await setup();
    const response = await handlers.batch(
      post('/batch', { items: items(5), quality: 'low', concurrency: 3 }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const frames = await readEvents(response);
    expect(frames.map((frame) => frame.event)).toEqual([
      'start',
      'progress',
      'progress',
      'progress',
      'progress',
      'progress',
      'done',
    ]);
    const [start, ...rest] = frames;
    expect(start).toEqual({ event: 'start', data: { batchId: expect.any(String), total: 5 } });
    if (start?.event !== 'start') throw new Error('expected start');
    const progress = rest.filter((frame) => frame.event === 'progress');
    expect(progress.map((frame) => frame.data.completed)).toEqual([1, 2, 3, 4, 5]);
    expect(progress.map((frame) => frame.data.item.id).sort()).toEqual(items(5).map((item) => item.id));
    const done = frames.at(-1)!;
    if (done.event !== 'done') throw new Error('expected done');
    expect(done.data).toMatchObject({ batchId: start.data.batchId, total: 5, completed: 5, failed: 0 });
    expect(done.data.items.map((item) => [item.index, item.id, item.status])).toEqual(
      items(5).map((item, index) => [index, item.id, 'succeeded']),
    );
    const image = done.data.items[2]!.image!;
    expect(image).toMatchObject({ prompt: 'portrait 2', model: 'gpt-image-1', size: '1024x1024' });
    expect(image.path.startsWith(`images/${USER}/${start.data.batchId}/student-2/`)).toBe(true);
    expect(blobs.size()).toBe(5);
    await Promise.all(tasks);
  });

  it('reports scripted failures as failed items with their codes, and counts them in done', async () => {
    const recorder = createUsageRecorder({ store: createMemoryUsageStore(), prices: createPriceTable() });
    const { handlers, post, imageCalls, tasks } = await setup(
      {
        rules: [
          {
            match: { endpoint: 'images.generations', lastUserText: 'refuse' },
            reply: { error: { status: 400, message: 'Blocked.', code: 'moderation_blocked' } },
          },
          {
            match: { endpoint: 'images.generations', lastUserText: 'flaky' },
            reply: { error: { status: 500, message: 'upstream broke' } },
          },
        ],
      },
      { retries: 1, backoff: { baseMs: 1, maxMs: 1 }, usage: recorder },
    );
    const response = await handlers.batch(
      post('/batch', {
        items: [{ prompt: 'a dog' }, { id: 'r', prompt: 'please refuse' }, { prompt: 'flaky one' }],
      }),
    );
    const frames = await readEvents(response);
    const statuses = frames.flatMap((frame) =>
      frame.event === 'progress' ? [`${frame.data.item.id}:${frame.data.item.status}`] : [],
    );
    expect(statuses.sort()).toEqual(['item-0:succeeded', 'item-2:failed', 'item-2:retrying', 'r:failed']);
    const done = frames.at(-1)!;
    if (done.event !== 'done') throw new Error('expected done');
    expect(done.data).toMatchObject({ total: 3, completed: 1, failed: 2 });
    expect(done.data.items).toEqual([
      expect.objectContaining({ index: 0, id: 'item-0', status: 'succeeded' }),
      { index: 1, id: 'r', status: 'failed', error: { code: 'content_policy', message: 'Blocked.' } },
      {
        index: 2,
        id: 'item-2',
        status: 'failed',
        error: expect.objectContaining({ code: 'provider_unavailable' }),
      },
    ]);
    // The refusal is never retried; the 500 is tried twice (retries: 1).
    expect(imageCalls()).toHaveLength(4);
    // One priced call and two failures reach the usage recorder.
    await Promise.all(tasks);
    const range = { from: new Date(0), to: new Date(Date.now() + 60_000) };
    expect(await recorder.getUsageSummary(USER, range)).toMatchObject({
      imageRequests: 3,
      failedRequests: 2,
    });
    expect((await recorder.getRecentErrors(USER)).map((error) => error.code).sort()).toEqual([
      'content_policy',
      'provider_unavailable',
    ]);
  });

  it('stops calling the provider when the client disconnects mid-batch', async () => {
    const { handlers, post, tasks, imageCalls } = await setup({
      rules: [
        { match: { endpoint: 'images.generations' }, reply: { text: 'x', faults: { latencyMs: 150 } } },
      ],
    });
    const response = await handlers.batch(post('/batch', { items: items(5), concurrency: 1 }));
    const reader = response.body!.pipeThrough(createEventStreamDecoder()).getReader();
    for (;;) {
      const { value } = await reader.read();
      if (value?.event === 'progress') break;
    }
    await reader.cancel();
    // The batch run is handed to waitUntil; once it settles, nothing more is called.
    await Promise.all(tasks);
    const calls = imageCalls().length;
    expect(calls).toBeGreaterThanOrEqual(1);
    expect(calls).toBeLessThanOrEqual(2);
  });

  it('refuses bad batches before streaming: too many items, duplicate ids, unsafe ids', async () => {
    const { handlers, post, imageCalls } = await setup(undefined, { maxBatchSize: 3 });
    const cases: Array<[unknown, string]> = [
      [{ items: items(4) }, 'items'],
      [
        {
          items: [
            { id: 'a', prompt: 'p' },
            { id: 'a', prompt: 'q' },
          ],
        },
        'items.1.id',
      ],
      [{ items: [{ id: '../x', prompt: 'p' }] }, 'items.0.id'],
      [{ items: [] }, 'items'],
      [{ items: items(1), concurrency: 9 }, 'concurrency'],
    ];
    for (const [body, path] of cases) {
      const response = await handlers.batch(post('/batch', body));
      expect(response.status).toBe(400);
      const { error } = (await response.json()) as { error: { details: { issues: { path: unknown[] }[] } } };
      expect(error.details.issues.map((issue) => issue.path.join('.'))).toContain(path);
    }
    expect(imageCalls()).toHaveLength(0);
  });

  it('fails only the item whose prompt is bad, with the reason; the others run', async () => {
    const { handlers, post, imageCalls } = await setup();
    const body = {
      items: [
        { id: 'ok-1', prompt: 'a lighthouse' },
        { id: 'too-long', prompt: 'x'.repeat(4001) },
        { id: 'empty', prompt: '   ' },
        { id: 'ok-2', prompt: 'a harbour' },
      ],
    };
    const response = await handlers.batch(post('/batch', body));
    expect(response.status).toBe(200);
    const frames = await readEvents(response);
    const done = frames.at(-1)!;
    expect(done.event).toBe('done');
    const doneData = done.data as ImageBatchEvents['done'];
    expect(doneData).toMatchObject({ total: 4, completed: 2, failed: 2 });
    expect(doneData.items.map((item) => [item.id, item.status, item.error?.code])).toEqual([
      ['ok-1', 'succeeded', undefined],
      ['too-long', 'failed', 'invalid_request'],
      ['empty', 'failed', 'invalid_request'],
      ['ok-2', 'succeeded', undefined],
    ]);
    expect(doneData.items[1]!.error!.message).toBe('The prompt is 4001 characters long; the limit is 4000.');
    expect(doneData.items[2]!.error!.message).toBe('The prompt is empty.');
    // The rejected items are reported right after `start`, before any provider call finishes.
    expect(frames.slice(0, 3).map((frame) => frame.event)).toEqual(['start', 'progress', 'progress']);
    expect(imageCalls()).toHaveLength(2);
    // A batch of only bad prompts makes no provider call and still ends with `done`.
    const only = await readEvents(await handlers.batch(post('/batch', { items: [{ prompt: '' }] })));
    expect(only.at(-1)).toMatchObject({ event: 'done', data: { total: 1, completed: 0, failed: 1 } });
    expect(imageCalls()).toHaveLength(2);
  });

  it('consults the item rate limiter with the user id before every provider call', async () => {
    const keys: string[] = [];
    const itemRateLimiter = {
      limit: async (key: string) => {
        keys.push(key);
        return { success: true, retryAfterMs: 0 };
      },
    };
    const { handlers, post } = await setup(undefined, { itemRateLimiter });
    await readEvents(await handlers.batch(post('/batch', { items: items(3) })));
    expect(keys).toEqual([USER, USER, USER]);
  });
});

describe('createImageHandlers: configuration', () => {
  it('refuses missing pieces and out-of-range options at startup', () => {
    const base = {
      auth: { jwtSecret: SECRET },
      client: new OpenAI({ apiKey: 'test' }),
      blobs: createMemoryBlobStore(),
    };
    const cases: Array<[Partial<ImageHandlersOptions>, RegExp]> = [
      [{ blobs: undefined as never }, /blobs/],
      [{ client: undefined }, /client/],
      [{ modelAccess: { clientFor: async () => base.client } }, /not both/],
      [{ maxBatchSize: 101 }, /maxBatchSize/],
      [{ concurrency: 0 }, /concurrency/],
      [{ itemsPerMinute: 1.5 }, /itemsPerMinute/],
      [{ pathPrefix: '../x' }, /pathPrefix/],
      [{ auth: undefined as never }, /auth/],
    ];
    for (const [override, message] of cases)
      expect(() => createImageHandlers({ ...base, ...override })).toThrow(
        expect.objectContaining({ code: 'configuration', message: expect.stringMatching(message) }),
      );
  });
});
