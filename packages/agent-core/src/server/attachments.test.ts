// biome-ignore-all lint/suspicious/noExplicitAny: the tests read decoded wire JSON loosely, as a client would.
import { setTracingDisabled } from '@openai/agents';
import { type ChatKitStore, createMemoryStore, migrate } from '@relaykit/chatkit-store';
import { createPostgresStore } from '@relaykit/chatkit-store/postgres';
import { createMemoryBlobStore } from '@relaykit/image-gen';
import { createFakeOpenAI, type FakeOpenAI } from '@relaykit/testing';
import { createTestDatabase, postgresAvailability } from '@relaykit/testing/postgres';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '../agents/define-agent';
import { createAgentRegistry } from '../agents/registry';
import { createAttachmentUploadHandler } from '../http/attachment-upload';
import { createChatKitServer } from '../http/chatkit-server';
import { createModelAccess } from '../models/model-access';
import { createBlobAttachmentStore, isMimeTypeAllowed } from './attachments';
import { post, readEvents } from './conformance.suite';

setTracingDisabled(true);

interface Ctx {
  userId: string;
}
const alice: Ctx = { userId: '00000000-0000-4000-8000-0000000000a1' };
const bob: Ctx = { userId: '00000000-0000-4000-8000-0000000000b2' };
const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);

/** The two-phase flow over `server.handle`, run on every ChatKit store driver. */
function twoPhaseAttachments(
  name: string,
  makeStore: () => Promise<{ store: ChatKitStore<Ctx>; close?: () => Promise<void> }>,
): void {
  describe(`two-phase attachments over a BlobStore (${name})`, () => {
    let harness: { store: ChatKitStore<Ctx>; close?: () => Promise<void> };
    let store: ChatKitStore<Ctx>;
    let fake: FakeOpenAI;
    let blobs: ReturnType<typeof createMemoryBlobStore>;
    let server: ReturnType<typeof createChatKitServer<Ctx>>;
    let upload: ReturnType<typeof createAttachmentUploadHandler<Ctx>>;

    beforeAll(async () => {
      harness = await makeStore();
      store = harness.store;
    });
    afterAll(async () => {
      await harness.close?.();
    });
    beforeEach(async () => {
      fake = await createFakeOpenAI({ script: { rules: [{ reply: { text: 'A nice picture.' } }] } });
      blobs = createMemoryBlobStore({
        baseUrl: 'https://cdn.example.test/',
        allowedContentTypes: ['image/png', 'application/pdf'],
      });
      const helper = defineAgent({
        type: 'helper',
        description: 'Looks at pictures',
        metadata: z.object({}),
        instructions: 'Describe the attachment.',
      });
      server = createChatKitServer<Ctx>({
        store,
        attachments: createBlobAttachmentStore<Ctx>({
          blobs,
          store,
          uploadUrl: (id) => `https://app.example.test/api/attachments/${id}`,
          maxBytes: 1024,
          allowedMimeTypes: ['image/*', 'application/pdf'],
        }),
        agents: {
          registry: createAgentRegistry([helper]),
          modelAccess: createModelAccess({ apiKey: 'test', baseURL: fake.url, maxRetries: 0 }),
          history: {
            attachmentToContent: (attachment) =>
              attachment.type === 'image'
                ? [{ type: 'input_image', image: attachment.preview_url, detail: 'auto' }]
                : [{ type: 'input_text', text: `[attached file ${attachment.name}]` }],
          },
        },
      });
      upload = createAttachmentUploadHandler<Ctx>({ server, blobs });
    });
    afterEach(async () => {
      await fake.close();
    });

    async function json(body: unknown, context: Ctx = alice): Promise<{ status: number; body: any }> {
      const response = await server.handle(post(body), context);
      return { status: response.status, body: await response.json() };
    }

    const create = (name: string, size: number, mimeType: string, context: Ctx = alice) =>
      json({ type: 'attachments.create', params: { name, size, mime_type: mimeType } }, context);

    function multipart(id: string, bytes: Uint8Array<ArrayBuffer>, type: string, method = 'POST'): Request {
      const form = new FormData();
      form.set('file', new File([bytes], 'upload.bin', { type }));
      return new Request(`https://app.example.test/api/attachments/${id}`, { method, body: form });
    }

    it('create → upload → threads.create: the message carries the attachment and the model sees the image', async () => {
      const created = await create('cat.png', png.byteLength, 'image/png');
      expect(created.status).toBe(200);
      const id = created.body.id as string;
      expect(id).toMatch(/^atc_[0-9a-f]{16}$/);
      expect(created.body).toEqual({
        id,
        type: 'image',
        name: 'cat.png',
        mime_type: 'image/png',
        preview_url: `https://cdn.example.test/chatkit-attachments/${id}`,
        upload_descriptor: {
          url: `https://app.example.test/api/attachments/${id}`,
          method: 'POST',
          headers: {},
        },
      });

      const uploaded = await upload(multipart(id, png, 'image/png'), alice);
      expect(uploaded.status).toBe(200);
      const attachment = (await uploaded.json()) as any;
      expect(attachment).toEqual({
        id,
        type: 'image',
        name: 'cat.png',
        mime_type: 'image/png',
        preview_url: `https://cdn.example.test/chatkit-attachments/${id}`,
      });
      expect((await blobs.get(`chatkit-attachments/${id}`))?.bytes).toEqual(png);

      const response = await server.handle(
        post({
          type: 'threads.create',
          params: {
            input: {
              content: [{ type: 'input_text', text: 'What is this?' }],
              attachments: [id],
              inference_options: {},
            },
          },
        }),
        alice,
      );
      expect(response.status).toBe(200);
      const events = await readEvents(response);
      const userMessage = events.find((event) => event.item?.type === 'user_message')?.item;
      expect(userMessage.attachments).toEqual([{ ...attachment, thread_id: userMessage.thread_id }]);
      expect(events.some((event) => event.item?.type === 'assistant_message')).toBe(true);

      const modelCall = fake.calls.find((call) => call.endpoint === 'responses')!;
      const inputs = (modelCall.body as any).input as any[];
      const parts = inputs.flatMap((entry) => (Array.isArray(entry.content) ? entry.content : []));
      expect(parts).toContainEqual(
        expect.objectContaining({
          type: 'input_image',
          image_url: `https://cdn.example.test/chatkit-attachments/${id}`,
        }),
      );
    });

    it('accepts a raw PUT body, and a file attachment gets no preview_url', async () => {
      const pdf = new TextEncoder().encode('%PDF-1.7 tiny');
      const created = await create('notes.pdf', pdf.byteLength, 'application/pdf');
      expect(created.body.type).toBe('file');
      expect(created.body.preview_url).toBeUndefined();
      const request = new Request(`https://app.example.test/api/attachments/${created.body.id}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/pdf' },
        body: pdf,
      });
      const response = await upload(request, alice);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        id: created.body.id,
        type: 'file',
        name: 'notes.pdf',
        mime_type: 'application/pdf',
      });
    });

    it('refuses oversize and unaccepted types at create time, naming the type', async () => {
      const tooLarge = await create('big.png', 4096, 'image/png');
      expect(tooLarge.status).toBe(413);
      expect(tooLarge.body.error.code).toBe('payload_too_large');
      const wrongType = await create('run.exe', 10, 'application/x-msdownload');
      expect(wrongType.status).toBe(400);
      expect(wrongType.body.error.message).toContain('application/x-msdownload');
      const noName = await create('  ', 10, 'image/png');
      expect(noName.status).toBe(400);
    });

    it('answers 404 to another user, 409 to a second upload, 400/413 to size and type mismatches', async () => {
      const { body } = await create('cat.png', png.byteLength, 'image/png');
      const id = body.id as string;

      const asBob = await upload(multipart(id, png, 'image/png'), bob);
      expect(asBob.status).toBe(404);
      expect(((await asBob.json()) as any).error.code).toBe('not_found');
      expect(await upload(multipart('atc_unknown', png, 'image/png'), alice)).toHaveProperty('status', 404);

      const larger = await upload(multipart(id, new Uint8Array(png.byteLength + 1), 'image/png'), alice);
      expect(larger.status).toBe(413);
      const smaller = await upload(multipart(id, png.subarray(0, 4), 'image/png'), alice);
      expect(smaller.status).toBe(400);
      const otherType = await upload(multipart(id, png, 'image/jpeg'), alice);
      expect(otherType.status).toBe(400);
      expect(((await otherType.json()) as any).error.message).toContain('image/jpeg');
      const noFile = await upload(
        new Request(`https://app.example.test/api/attachments/${id}`, {
          method: 'POST',
          body: new FormData(),
        }),
        alice,
      );
      expect(noFile.status).toBe(400);
      expect(blobs.size()).toBe(0);

      expect(await upload(multipart(id, png, 'image/png'), alice)).toHaveProperty('status', 200);
      const again = await upload(multipart(id, png, 'image/png'), alice);
      expect(again.status).toBe(409);
      expect(((await again.json()) as any).error.code).toBe('conflict');
    });

    it('a malformed percent-escape in the upload path is a 400 invalid_request, not a 500', async () => {
      const response = await upload(multipart('%E0%A4%A', png, 'image/png'), alice);
      expect(response.status).toBe(400);
      expect(((await response.json()) as any).error).toMatchObject({
        code: 'invalid_request',
        message: expect.stringContaining('percent-encoding'),
      });
      expect(blobs.size()).toBe(0);
    });

    it('attachments.delete removes the bytes; another user cannot delete them', async () => {
      const { body } = await create('cat.png', png.byteLength, 'image/png');
      await upload(multipart(body.id, png, 'image/png'), alice);
      const byBob = await json({ type: 'attachments.delete', params: { attachment_id: body.id } }, bob);
      expect(byBob.status).toBe(404);
      expect(blobs.size()).toBe(1);
      const byAlice = await json({ type: 'attachments.delete', params: { attachment_id: body.id } });
      expect(byAlice).toEqual({ status: 200, body: {} });
      expect(blobs.size()).toBe(0);
      expect(await upload(multipart(body.id, png, 'image/png'), alice)).toHaveProperty('status', 404);
    });
  });
}

twoPhaseAttachments('memory store', async () => ({ store: createMemoryStore() }));

const pg = await postgresAvailability();
describe.skipIf(!pg.available)('on real Postgres (RLS, authenticated role)', () => {
  twoPhaseAttachments('postgres store', async () => {
    const db = await createTestDatabase();
    await migrate(db.sql);
    return { store: createPostgresStore({ sql: db.sql }) as never, close: () => db.close() };
  });
});

describe('isMimeTypeAllowed', () => {
  it('matches MIME types with wildcards and ignores parameters', () => {
    expect(isMimeTypeAllowed('image/png', ['image/*'])).toBe(true);
    expect(isMimeTypeAllowed('Text/Plain; charset=utf-8', ['text/plain'])).toBe(true);
    expect(isMimeTypeAllowed('application/pdf', ['image/*'])).toBe(false);
    expect(isMimeTypeAllowed('application/pdf', undefined)).toBe(true);
  });
});
