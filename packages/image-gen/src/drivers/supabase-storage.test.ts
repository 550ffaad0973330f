/**
 * The Supabase Storage driver through an unmodified supabase-js client against `createSupabaseStorageServer` from
 * `@relaykit/testing/supabase`: a local stand-in following the documented Storage API (bucket size limit and MIME
 * list enforced, signed URLs verified); it is not Supabase Storage itself.
 */
import { createFakeOpenAI } from '@relaykit/testing';
import { createSupabaseStorageServer, type SupabaseStorageServer } from '@relaykit/testing/supabase';
import { createClient } from '@supabase/supabase-js';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateBatch } from '../batch';
import { blobStoreContract, TINY_PNG } from '../testing';
import { createSupabaseBlobStore } from './supabase-storage';

const SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';
const LIMIT = 64 * 1024; // the stand-in bucket's limit; the real bucket (sql/0001_images_storage.sql) has 10 MB
let server: SupabaseStorageServer;

beforeAll(async () => {
  server = await createSupabaseStorageServer({
    jwtSecret: SECRET,
    buckets: [
      {
        id: 'generated-images',
        fileSizeLimit: LIMIT,
        allowedMimeTypes: ['image/png', 'image/jpeg', 'image/webp'],
      },
      {
        id: 'public-images',
        public: true,
        fileSizeLimit: LIMIT,
        allowedMimeTypes: ['image/png', 'image/jpeg', 'image/webp'],
      },
    ],
  });
});
afterAll(async () => {
  await server?.close();
});

const client = () =>
  createClient(server.url, server.serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  });

describe('supabase BlobStore satisfies the contract', () => {
  for (const check of blobStoreContract(async () => createSupabaseBlobStore({ client: client() }), {
    maxBytes: LIMIT,
  }))
    it(check.name, check.run);
});

describe('supabase BlobStore URLs', () => {
  it('hands out signed URLs that load the image for a private bucket', async () => {
    const store = createSupabaseBlobStore({ client: client(), signedUrlExpiresInSeconds: 60 });
    await store.put('students/7/v1.png', TINY_PNG, { contentType: 'image/png' });
    const url = await store.url('students/7/v1.png');
    expect(url).toMatch(/\/object\/sign\/generated-images\/students\/7\/v1\.png\?token=/);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(TINY_PNG);
  });

  it('gives public URLs for a public bucket', async () => {
    const store = createSupabaseBlobStore({ client: client(), bucket: 'public-images', access: 'public' });
    await store.put('students/8/v1.png', TINY_PNG, { contentType: 'image/png' });
    const url = await store.url('students/8/v1.png');
    expect(url).toBe(`${server.url}/storage/v1/object/public/public-images/students/8/v1.png`);
    expect((await fetch(url)).status).toBe(200);
  });

  it('maps a missing bucket to store_error', async () => {
    const store = createSupabaseBlobStore({ client: client(), bucket: 'nope' });
    await expect(store.put('a/b.png', TINY_PNG, { contentType: 'image/png' })).rejects.toMatchObject({
      code: 'store_error',
    });
  });
});

describe('a batch into Supabase Storage', () => {
  it('generates through the fake OpenAI server and stores versioned PNGs that the signed URLs serve', async () => {
    const fake = await createFakeOpenAI();
    try {
      const store = createSupabaseBlobStore({ client: client() });
      const run = generateBatch(
        [
          { id: 'ada', prompt: 'a portrait of Ada' },
          { id: 'alan', prompt: 'a portrait of Alan' },
        ],
        {
          client: new OpenAI({ apiKey: 'test', baseURL: fake.url }),
          store,
          entity: 'students',
          size: '1024x1024',
          quality: 'low',
        },
      );
      const report = await run.report;
      expect(report.counts).toMatchObject({ stored: 2, failed: 0 });
      for (const item of report.items) {
        if (item.status !== 'stored') throw new Error(`${item.id} not stored`);
        expect(item.path).toMatch(new RegExp(`^students/${item.id}/\\d{8}T\\d{9}Z-[0-9a-f]{16}\\.png$`));
        expect(server.objects.get(`generated-images/${item.path}`)).toMatchObject({
          contentType: 'image/png',
        });
        const response = await fetch(item.url);
        expect(response.status).toBe(200);
        expect(new Uint8Array(await response.arrayBuffer()).subarray(1, 4)).toEqual(
          new Uint8Array([0x50, 0x4e, 0x47]),
        );
      }
    } finally {
      await fake.close();
    }
  });
});
