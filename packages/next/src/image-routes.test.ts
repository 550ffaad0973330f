import { createMemoryBlobStore } from '@relaykit/image-gen';
import { createFakeOpenAI, type FakeOpenAI } from '@relaykit/testing';
import { mintSupabaseJwt } from '@relaykit/testing/supabase';
import { createMemoryUsageStore, createPriceTable, createUsageRecorder } from '@relaykit/usage-tracker';
import { workAsyncStorage } from 'next/dist/server/app-render/work-async-storage.external.js';
import { workUnitAsyncStorage } from 'next/dist/server/app-render/work-unit-async-storage.external.js';
import OpenAI from 'openai';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createImageRoutes } from './image-routes';

// Next's server runtime installs AsyncLocalStorage globally before its request-scope stores load; so do we.
vi.hoisted(() => {
  const { AsyncLocalStorage } = process.getBuiltinModule('node:async_hooks');
  Object.assign(globalThis, { AsyncLocalStorage });
});

const SECRET = 'a-test-secret-of-at-least-32-characters';
const USER = '5e4d3c2b-1a09-4f8e-9d7c-6b5a49382716';

let fake: FakeOpenAI | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('createImageRoutes', () => {
  it('serves generate (JSON) and batch (SSE) as App Router POST handlers', async () => {
    fake = await createFakeOpenAI();
    const routes = createImageRoutes({
      auth: { jwtSecret: SECRET },
      client: new OpenAI({ apiKey: 'test', baseURL: fake.url }),
      blobs: createMemoryBlobStore(),
      publicUrl: (path) => `https://cdn.test/${path}`,
    });
    const token = await mintSupabaseJwt({ sub: USER, secret: SECRET });
    const post = (body: unknown) =>
      new Request('http://localhost/api/images', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const single = await routes.generate.POST(post({ prompt: 'a lighthouse', quality: 'low' }));
    expect(single.status).toBe(200);
    const { image } = (await single.json()) as { image: { url: string; path: string } };
    expect(image.url).toBe(`https://cdn.test/${image.path}`);

    const batch = await routes.batch.POST(post({ items: [{ prompt: 'one' }, { prompt: 'two' }] }));
    expect(batch.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const text = await batch.text();
    expect(text.match(/^event: \w+$/gm)).toEqual([
      'event: start',
      'event: progress',
      'event: progress',
      'event: done',
    ]);

    const anonymous = await routes.generate.POST(
      new Request('http://localhost/api/images', { method: 'POST', body: '{"prompt":"p"}' }),
    );
    expect(anonymous.status).toBe(401);
  });

  it("defaults waitUntil to Next's after(): inside a request scope the usage record is handed to it", async () => {
    fake = await createFakeOpenAI();
    const recorder = createUsageRecorder({ store: createMemoryUsageStore(), prices: createPriceTable() });
    const routes = createImageRoutes({
      auth: { jwtSecret: SECRET },
      client: new OpenAI({ apiKey: 'test', baseURL: fake.url }),
      blobs: createMemoryBlobStore(),
      usage: recorder,
    });
    const token = await mintSupabaseJwt({ sub: USER, secret: SECRET });
    const request = () =>
      new Request('http://localhost/api/images', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: '{"prompt":"a kite"}',
      });
    const scheduled: Promise<unknown>[] = [];
    const workStore = { afterContext: { after: (task: Promise<unknown>) => scheduled.push(task) } };
    const response = await workAsyncStorage.run(workStore as never, () =>
      workUnitAsyncStorage.run({ type: 'request' } as never, () => routes.generate.POST(request())),
    );
    expect(response.status).toBe(200);
    expect(scheduled).toHaveLength(1);
    await Promise.all(scheduled);
    const range = { from: new Date(0), to: new Date(Date.now() + 60_000) };
    expect((await recorder.getUsageSummary(USER, range)).imageRequests).toBe(1);
    // Outside a request scope (a plain call) the record still happens, fire-and-forget.
    expect((await routes.generate.POST(request())).status).toBe(200);
  });
});
