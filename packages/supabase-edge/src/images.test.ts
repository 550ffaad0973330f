/**
 * The image endpoints of `@relaykit/agent-core` served by `createEdgeHandler` unchanged: `createImageServers().router`
 * is an ordinary server, so CORS, auth, the body cap and the rate limit are the edge handler's own.
 */
import { createImageServers } from '@relaykit/agent-core';
import { createFakeOpenAI, type FakeOpenAI } from '@relaykit/testing';
import { mintSupabaseJwt } from '@relaykit/testing/supabase';
import { afterEach, expect, it } from 'vitest';
import { createEdgeHandler } from './edge-handler';

const SECRET = 'a-test-secret-of-at-least-32-characters';
const USER = '2b3c4d5e-6f70-4182-9a3b-4c5d6e7f8091';
const APP = 'https://classroom.example.com';
const FUNCTION_URL = 'http://127.0.0.1:54321/functions/v1/images';

let fake: FakeOpenAI | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** A Map-backed blob store (the memory driver of `@relaykit/image-gen`, inlined: this package does not depend on it). */
function mapBlobStore() {
  const objects = new Map<string, { bytes: Uint8Array; contentType: string }>();
  return {
    objects,
    async put(path: string, bytes: Uint8Array, options: { contentType: string }) {
      objects.set(path, { bytes, contentType: options.contentType });
      return { path, size: bytes.byteLength, contentType: options.contentType };
    },
    async get(path: string) {
      const object = objects.get(path);
      return object ? { path, size: object.bytes.byteLength, ...object } : undefined;
    },
    remove: async (path: string) => objects.delete(path),
    url: async (path: string) => `https://storage.example.com/${path}`,
  };
}

it('serves single and batch image generation behind CORS and JWT auth', async () => {
  fake = await createFakeOpenAI();
  const baseURL = fake.url;
  // The Images API over plain fetch: enough of the `openai` client for the success path.
  const client = {
    images: {
      generate: async (body: Record<string, unknown>, options?: { signal?: AbortSignal }) =>
        (
          await fetch(`${baseURL}/images/generations`, {
            method: 'POST',
            headers: { authorization: 'Bearer test', 'content-type': 'application/json' },
            body: JSON.stringify(body),
            ...(options?.signal ? { signal: options.signal } : {}),
          })
        ).json(),
    },
  };
  const blobs = mapBlobStore();
  const handle = createEdgeHandler({
    auth: { jwtSecret: SECRET },
    cors: { allowedOrigins: [APP] },
    server: createImageServers({ client, blobs }).router,
  });
  const token = await mintSupabaseJwt({ sub: USER, secret: SECRET });
  const post = (path: string, body: unknown, auth = true) =>
    new Request(`${FUNCTION_URL}${path}`, {
      method: 'POST',
      headers: {
        origin: APP,
        'content-type': 'application/json',
        ...(auth ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
    });

  const single = await handle(post('', { prompt: 'a lighthouse', quality: 'low' }));
  expect(single.status).toBe(200);
  expect(single.headers.get('access-control-allow-origin')).toBe(APP);
  const { image } = (await single.json()) as { image: { url: string; path: string } };
  expect(image.url).toBe(`https://storage.example.com/${image.path}`);
  expect(blobs.objects.has(image.path)).toBe(true);

  const batch = await handle(post('/batch', { items: [{ prompt: 'one' }, { prompt: 'two' }] }));
  expect(batch.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
  expect(batch.headers.get('access-control-allow-origin')).toBe(APP);
  const text = await batch.text();
  expect(text.match(/^event: \w+$/gm)).toEqual([
    'event: start',
    'event: progress',
    'event: progress',
    'event: done',
  ]);
  expect(blobs.objects.size).toBe(3);

  expect((await handle(post('', { prompt: 'p' }, false))).status).toBe(401);
  expect((await handle(post('/batch', { items: [] }))).status).toBe(400);
  for (const method of ['GET', 'PUT', 'PATCH', 'DELETE']) {
    const other = await handle(
      new Request(`${FUNCTION_URL}/batch`, {
        method,
        headers: { origin: APP, authorization: `Bearer ${token}` },
      }),
    );
    expect(other.status).toBe(405);
    expect(other.headers.get('allow')).toBe('POST, OPTIONS');
  }
  expect(blobs.objects.size).toBe(3);
});
