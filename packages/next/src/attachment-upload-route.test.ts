import { createBlobAttachmentStore, createChatKitServer } from '@relaykit/agent-core';
import { createMemoryStore } from '@relaykit/chatkit-store';
import { createMemoryBlobStore } from '@relaykit/image-gen';
import { mintSupabaseJwt } from '@relaykit/testing/supabase';
import { createMemoryRateLimitStore, createRateLimiter, fixedWindow } from '@relaykit/usage-tracker';
import { beforeEach, describe, expect, it } from 'vitest';
import { createAttachmentUploadRoute } from './attachment-upload-route';

const SECRET = 'a-test-secret-of-at-least-32-characters';
const ALICE = 'c9d8e7f6-a5b4-4c3d-8e2f-1a0b9c8d7e6f';
const BOB = '0f1e2d3c-4b5a-4697-8877-665544332211';
const bytes = new TextEncoder().encode('%PDF-1.7 minutes of the meeting');

let blobs: ReturnType<typeof createMemoryBlobStore>;
let server: ReturnType<typeof createChatKitServer<{ userId: string }>>;

beforeEach(() => {
  const store = createMemoryStore();
  blobs = createMemoryBlobStore({ allowedContentTypes: ['application/pdf'] });
  server = createChatKitServer({
    store,
    respond: async function* () {},
    attachments: createBlobAttachmentStore({
      blobs,
      store,
      uploadUrl: (id) => `http://localhost:3000/api/attachments/${id}`,
    }),
  });
});

async function createAttachment(userId: string): Promise<{ id: string; upload_descriptor: { url: string } }> {
  const response = await server.handle(
    new Request('http://localhost:3000/api/chatkit', {
      method: 'POST',
      body: JSON.stringify({
        type: 'attachments.create',
        params: { name: 'minutes.pdf', size: bytes.byteLength, mime_type: 'application/pdf' },
      }),
    }),
    { userId },
  );
  expect(response.status).toBe(200);
  return (await response.json()) as { id: string; upload_descriptor: { url: string } };
}

function uploadRequest(url: string, method: 'POST' | 'PUT', token?: string): Request {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (method === 'PUT') {
    headers['content-type'] = 'application/pdf';
    return new Request(url, { method, headers, body: bytes });
  }
  const form = new FormData();
  form.set('file', new File([bytes], 'minutes.pdf', { type: 'application/pdf' }));
  return new Request(url, { method, headers, body: form });
}

describe('createAttachmentUploadRoute', () => {
  it('stores the bytes of the caller’s pending attachment (multipart POST) and answers the attachment', async () => {
    const { POST } = createAttachmentUploadRoute({ server, blobs, auth: { jwtSecret: SECRET } });
    const attachment = await createAttachment(ALICE);
    const token = await mintSupabaseJwt({ sub: ALICE, secret: SECRET });
    const response = await POST(uploadRequest(attachment.upload_descriptor.url, 'POST', token));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      id: attachment.id,
      type: 'file',
      name: 'minutes.pdf',
      mime_type: 'application/pdf',
    });
    expect((await blobs.get(`chatkit-attachments/${attachment.id}`))?.bytes).toEqual(bytes);
    const again = await POST(uploadRequest(attachment.upload_descriptor.url, 'POST', token));
    expect(again.status).toBe(409);
  });

  it('accepts a raw PUT too', async () => {
    const { PUT } = createAttachmentUploadRoute({ server, blobs, auth: { jwtSecret: SECRET } });
    const attachment = await createAttachment(ALICE);
    const token = await mintSupabaseJwt({ sub: ALICE, secret: SECRET });
    expect((await PUT(uploadRequest(attachment.upload_descriptor.url, 'PUT', token))).status).toBe(200);
  });

  it('answers 401 without a valid token and 404 to another user, storing nothing', async () => {
    const { POST } = createAttachmentUploadRoute({ server, blobs, auth: { jwtSecret: SECRET } });
    const attachment = await createAttachment(ALICE);
    const anonymous = await POST(uploadRequest(attachment.upload_descriptor.url, 'POST'));
    expect(anonymous.status).toBe(401);
    const bobToken = await mintSupabaseJwt({ sub: BOB, secret: SECRET });
    const asBob = await POST(uploadRequest(attachment.upload_descriptor.url, 'POST', bobToken));
    expect(asBob.status).toBe(404);
    expect(((await asBob.json()) as { error: { code: string } }).error.code).toBe('not_found');
    expect(blobs.size()).toBe(0);
  });

  it('applies the per-user rate limiter (429 with Retry-After)', async () => {
    const rateLimiter = createRateLimiter({
      store: createMemoryRateLimitStore(),
      algorithm: fixedWindow(1, '1 m'),
      onStoreFailure: 'deny',
    });
    const { POST } = createAttachmentUploadRoute({ server, blobs, auth: { jwtSecret: SECRET }, rateLimiter });
    const attachment = await createAttachment(ALICE);
    const token = await mintSupabaseJwt({ sub: ALICE, secret: SECRET });
    expect((await POST(uploadRequest(attachment.upload_descriptor.url, 'POST', token))).status).toBe(200);
    const limited = await POST(uploadRequest(attachment.upload_descriptor.url, 'POST', token));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).not.toBeNull();
  });

  it('needs auth at startup', () => {
    expect(() => createAttachmentUploadRoute({ server, blobs, auth: undefined as never })).toThrow(
      /createAttachmentUploadRoute needs auth/,
    );
  });
});
