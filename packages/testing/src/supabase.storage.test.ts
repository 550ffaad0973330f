/**
 * supabase-js `storage` against the local Storage API stand-in (`createSupabaseStorageServer`). The stand-in follows
 * the documented Storage API and its open-source error definitions; it is not Supabase Storage itself.
 */
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSupabaseStandIn,
  createSupabaseStorageServer,
  mintSupabaseJwt,
  parseFileSizeLimit,
  type SupabaseStorageServer,
} from './supabase';

const SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';
const ALICE = '11111111-1111-4111-8111-111111111111';
const PNG_BYTES = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);

function clientFor(url: string, apiKey: string, token?: string): SupabaseClient {
  return createClient(url, apiKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    global: token === undefined ? {} : { headers: { Authorization: `Bearer ${token}` } },
  });
}

describe('supabase-js storage against createSupabaseStorageServer', () => {
  let server: SupabaseStorageServer;
  let alice: SupabaseClient;

  beforeAll(async () => {
    server = await createSupabaseStorageServer({
      jwtSecret: SECRET,
      buckets: [
        { id: 'avatars', public: true, fileSizeLimit: '1KB', allowedMimeTypes: ['image/*'] },
        { id: 'private' },
        { id: 'locked' },
      ],
      authorize: (access) => !(access.bucket === 'locked' && access.action === 'upload'),
    });
    alice = clientFor(server.url, server.anonKey, await mintSupabaseJwt({ sub: ALICE, secret: SECRET }));
  });
  afterAll(async () => {
    await server?.close();
  });

  it('uploads, refuses a duplicate without upsert, replaces with upsert, and downloads the bytes', async () => {
    const avatars = alice.storage.from('avatars');
    const uploaded = await avatars.upload('users/alice.png', PNG_BYTES, { contentType: 'image/png' });
    expect(uploaded.error).toBeNull();
    expect(uploaded.data).toMatchObject({ path: 'users/alice.png', fullPath: 'avatars/users/alice.png' });
    expect(uploaded.data?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(server.objects.get('avatars/users/alice.png')).toMatchObject({
      size: PNG_BYTES.length,
      contentType: 'image/png',
      cacheControl: 'max-age=3600',
      owner: ALICE,
    });

    const duplicate = await avatars.upload('users/alice.png', PNG_BYTES, { contentType: 'image/png' });
    expect(duplicate.data).toBeNull();
    expect(duplicate.error).toMatchObject({
      name: 'StorageApiError',
      status: 400,
      statusCode: '409',
      message: 'The resource already exists',
    });

    const replaced = await avatars.upload('users/alice.png', PNG_BYTES.slice(0, 8), {
      contentType: 'image/png',
      upsert: true,
    });
    expect(replaced.error).toBeNull();
    expect(replaced.data?.id).toBe(uploaded.data?.id);

    const downloaded = await avatars.download('users/alice.png');
    expect(downloaded.error).toBeNull();
    expect(downloaded.data?.type).toBe('image/png');
    expect(new Uint8Array(await downloaded.data!.arrayBuffer())).toEqual(PNG_BYTES.slice(0, 8));
  });

  it('uploads a Blob as multipart form data, keeping its MIME type', async () => {
    const files = alice.storage.from('private');
    const { error } = await files.upload(
      'notes/hello.txt',
      new Blob(['hello world'], { type: 'text/plain' }),
    );
    expect(error).toBeNull();
    const { data } = await files.download('notes/hello.txt');
    expect(data?.type).toBe('text/plain');
    expect(await data?.text()).toBe('hello world');
  });

  it('enforces the bucket size limit and allowed MIME types with the real error shapes', async () => {
    const avatars = alice.storage.from('avatars');
    const tooLarge = await avatars.upload('big.png', new Uint8Array(1001), { contentType: 'image/png' });
    expect(tooLarge.error).toMatchObject({
      status: 400,
      statusCode: '413',
      message: 'The object exceeded the maximum allowed size',
    });
    const exactlyAtLimit = await avatars.upload('limit.png', new Uint8Array(1000), {
      contentType: 'image/png',
    });
    expect(exactlyAtLimit.error).toBeNull();

    const wrongType = await avatars.upload('notes.txt', 'plain text', { contentType: 'text/plain' });
    expect(wrongType.error).toMatchObject({
      status: 400,
      statusCode: '415',
      message: 'mime type text/plain is not supported',
    });
    expect(server.objects.has('avatars/big.png')).toBe(false);
    expect(server.objects.has('avatars/notes.txt')).toBe(false);
  });

  it('serves public URLs for public buckets only', async () => {
    const publicUrl = alice.storage.from('avatars').getPublicUrl('users/alice.png').data.publicUrl;
    expect(publicUrl).toBe(`${server.url}/storage/v1/object/public/avatars/users/alice.png`);
    const response = await fetch(publicUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(PNG_BYTES.slice(0, 8));

    const privateUrl = alice.storage.from('private').getPublicUrl('notes/hello.txt').data.publicUrl;
    const refused = await fetch(privateUrl);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({
      statusCode: '404',
      error: 'Bucket not found',
      message: 'Bucket not found',
    });
  });

  it('creates signed URLs whose token is verified on GET', async () => {
    const files = alice.storage.from('private');
    const signed = await files.createSignedUrl('notes/hello.txt', 60);
    expect(signed.error).toBeNull();
    const signedUrl = signed.data!.signedUrl;
    expect(signedUrl.startsWith(`${server.url}/storage/v1/object/sign/private/notes/hello.txt?token=`)).toBe(
      true,
    );
    const response = await fetch(signedUrl);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('hello world');

    const token = new URL(signedUrl).searchParams.get('token')!;
    const otherPath = await fetch(
      `${server.url}/storage/v1/object/sign/avatars/users/alice.png?token=${token}`,
    );
    expect(otherPath.status).toBe(400);
    expect(await otherPath.json()).toMatchObject({ statusCode: '400', error: 'InvalidSignature' });

    // Flip a character in the middle of the signature (the last base64url character carries padding bits).
    const signature = token.split('.')[2]!;
    const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    const tampered = await fetch(signedUrl.replace(signature, flipped));
    expect(tampered.status).toBe(400);
    expect(await tampered.json()).toMatchObject({
      statusCode: '400',
      error: 'InvalidJWT',
      message: 'signature verification failed',
    });

    const now = Math.floor(Date.now() / 1000);
    const expiredToken = await new SignJWT({ url: 'private/notes/hello.txt', iat: now - 120, exp: now - 60 })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(SECRET));
    const expired = await fetch(
      `${server.url}/storage/v1/object/sign/private/notes/hello.txt?token=${expiredToken}`,
    );
    expect(expired.status).toBe(400);
    expect(await expired.json()).toMatchObject({
      error: 'InvalidJWT',
      message: '"exp" claim timestamp check failed',
    });

    expect((await files.createSignedUrl('notes/missing.txt', 60)).error).toMatchObject({ statusCode: '404' });
  });

  it('removes objects and returns what it removed', async () => {
    const files = alice.storage.from('private');
    await files.upload('tmp/a.txt', 'a');
    const removed = await files.remove(['tmp/a.txt', 'tmp/never-existed.txt']);
    expect(removed.error).toBeNull();
    expect(removed.data?.map((object) => object.name)).toEqual(['tmp/a.txt']);
    const gone = await files.download('tmp/a.txt');
    expect(gone.data).toBeNull();
    expect(gone.error).toMatchObject({ status: 400, statusCode: '404', message: 'Object not found' });
  });

  it('rejects bad and expired JWTs, a missing bucket, and uploads the authorize rule denies', async () => {
    const forged = clientFor(
      server.url,
      server.anonKey,
      await mintSupabaseJwt({ sub: ALICE, secret: 'another-secret-of-at-least-32-characters!!' }),
    );
    const bad = await forged.storage.from('private').upload('x.txt', 'x');
    expect(bad.error).toMatchObject({
      status: 400,
      statusCode: '400',
      message: 'signature verification failed',
    });

    const stale = clientFor(
      server.url,
      server.anonKey,
      await mintSupabaseJwt({ sub: ALICE, secret: SECRET, expiresIn: -5 }),
    );
    const expired = await stale.storage.from('private').download('notes/hello.txt');
    expect(expired.error).toMatchObject({ statusCode: '400', message: '"exp" claim timestamp check failed' });

    const missingBucket = await alice.storage.from('nope').upload('x.txt', 'x');
    expect(missingBucket.error).toMatchObject({ statusCode: '404', message: 'Bucket not found' });

    const denied = await alice.storage.from('locked').upload('x.txt', 'x');
    expect(denied.error).toMatchObject({
      statusCode: '403',
      message: 'new row violates row-level security policy',
    });
    const service = clientFor(server.url, server.serviceRoleKey);
    expect((await service.storage.from('locked').upload('x.txt', 'x')).error).toBeNull();
  });
});

describe('createSupabaseStandIn', () => {
  it('serves Storage and RPC behind one project URL', async () => {
    const standIn = await createSupabaseStandIn({ jwtSecret: SECRET, buckets: [{ id: 'b' }] });
    try {
      const client = clientFor(
        standIn.url,
        standIn.anonKey,
        await mintSupabaseJwt({ sub: ALICE, secret: SECRET }),
      );
      expect((await client.storage.from('b').upload('f.txt', 'x')).error).toBeNull();
      expect(standIn.objects.get('b/f.txt')?.size).toBe(1);
      // No database was given, so RPC paths are not served.
      expect((await client.rpc('anything')).status).toBe(404);
    } finally {
      await standIn.close();
    }
  });
});

it('parses Supabase-style size limits', () => {
  expect(parseFileSizeLimit(1234)).toBe(1234);
  expect(parseFileSizeLimit('5MB')).toBe(5_000_000);
  expect(parseFileSizeLimit('100 KB')).toBe(100_000);
  expect(() => parseFileSizeLimit('lots')).toThrow(/Invalid file size format/);
});
