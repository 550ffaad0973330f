import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodePng } from '@relaykit/testing';
import { createClient } from '@supabase/supabase-js';
import { describe, expect, it } from 'vitest';
import { createMemoryBlobStore } from './drivers/memory';
import { supabaseRowUpdater } from './drivers/supabase-row';
import { readImageInfo } from './image-info';
import type { BlobStore } from './ports';
import { storeImage } from './store-image';

const png = encodePng(16, 16, 'first');
const image = { bytes: new Uint8Array(png), ...readImageInfo(png)! };

describe('storeImage', () => {
  it('stores under a versioned path and a regeneration never overwrites the live image', async () => {
    const store = createMemoryBlobStore();
    const first = await storeImage({
      store,
      image,
      entity: 'students',
      id: '42',
      now: Date.UTC(2026, 10, 23, 16, 15),
    });
    expect(first.path).toMatch(/^students\/42\/20261123T161500000Z-[0-9a-f]{16}\.png$/);
    expect(first).toMatchObject({
      url: `memory://blobs/${first.path}`,
      width: 16,
      height: 16,
      mimeType: 'image/png',
    });
    const second = encodePng(16, 16, 'second');
    const regenerated = await storeImage({
      store,
      image: { ...image, bytes: new Uint8Array(second) },
      entity: 'students',
      id: '42',
      now: Date.UTC(2026, 10, 23, 16, 15), // same millisecond: the content fingerprint still differs
    });
    expect(regenerated.path).not.toBe(first.path);
    expect((await store.get(first.path))?.bytes).toEqual(new Uint8Array(png));
    expect(store.paths()).toHaveLength(2);
  });

  it('runs onStored with the stored image, and removes the upload when the row update fails', async () => {
    const store = createMemoryBlobStore();
    const seen: string[] = [];
    await storeImage({
      store,
      image,
      entity: 'students',
      id: '1',
      onStored: (stored) => void seen.push(stored.url),
    });
    expect(seen).toEqual([expect.stringMatching(/^memory:\/\/blobs\/students\/1\//)]);

    const failing = storeImage({
      store,
      image,
      entity: 'students',
      id: '2',
      onStored: () => {
        throw new Error('row is locked');
      },
    });
    await expect(failing).rejects.toMatchObject({
      code: 'store_error',
      details: { removed: true, orphaned: false, reason: 'row is locked' },
    });
    expect(store.paths().filter((path) => path.startsWith('students/2/'))).toEqual([]);
  });

  it('records the upload as orphaned when it can be neither linked nor removed', async () => {
    const inner = createMemoryBlobStore();
    const store: BlobStore = { ...inner, remove: async () => Promise.reject(new Error('storage down')) };
    const orphans: string[] = [];
    await expect(
      storeImage({
        store,
        image,
        entity: 'students',
        id: '3',
        onStored: () => Promise.reject(new Error('db down')),
        onOrphan: (orphan) => void orphans.push(orphan.path),
      }),
    ).rejects.toMatchObject({ code: 'store_error', details: { orphaned: true, removed: false } });
    expect(orphans).toEqual(inner.paths());
    expect(orphans).toHaveLength(1);
  });

  it('surfaces the store refusing the upload as a typed error and writes nothing', async () => {
    const store = createMemoryBlobStore({ maxBytes: 10 });
    await expect(storeImage({ store, image, entity: 'students', id: '4' })).rejects.toMatchObject({
      code: 'payload_too_large',
    });
    expect(store.size()).toBe(0);
  });
});

describe('supabaseRowUpdater', () => {
  /**
   * A minimal PostgREST stand-in for `PATCH /rest/v1/<table>?<column>=eq.<id>&select=<column>` (the request
   * supabase-js sends for `.update().eq().select()`), answering with the updated rows as PostgREST does.
   */
  async function withPostgrest(
    rows: Map<string, Record<string, unknown>>,
    run: (url: string) => Promise<void>,
  ) {
    const requests: string[] = [];
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const url = new URL(request.url ?? '/', 'http://x');
        requests.push(`${request.method} ${url.pathname}${url.search}`);
        const id = url.searchParams.get('id')?.replace(/^eq\./, '') ?? '';
        const row = rows.get(id);
        if (row) Object.assign(row, JSON.parse(Buffer.concat(chunks).toString('utf8')));
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify(row ? [{ id }] : []));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    return requests;
  }

  it('sets the column through PostgREST, and a missing row removes the upload', async () => {
    const rows = new Map([['42', { id: '42', profile_photo: null as unknown }]]);
    const requests = await withPostgrest(rows, async (url) => {
      const client = createClient(url, 'service-key', {
        auth: { persistSession: false, autoRefreshToken: false },
      });
      const onStored = supabaseRowUpdater({ client, table: 'students', column: 'profile_photo' });
      const store = createMemoryBlobStore();
      const stored = await storeImage({ store, image, entity: 'students', id: '42', onStored });
      expect(rows.get('42')?.profile_photo).toBe(stored.url);
      await expect(
        storeImage({ store, image, entity: 'students', id: '404', onStored }),
      ).rejects.toMatchObject({
        code: 'store_error',
        details: { removed: true },
      });
      expect(store.paths()).toEqual([stored.path]);
    });
    expect(requests[0]).toBe('PATCH /rest/v1/students?id=eq.42&select=id');
  });
});
