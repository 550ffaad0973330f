import { isRelayKitError } from '@relaykit/sse-protocol';
import type { BlobStore } from '../ports';

/** One contract check: run it with any test runner (`for (const c of checks) it(c.name, c.run)`). */
export interface ContractCheck {
  name: string;
  run: () => Promise<void>;
}

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`BlobStore contract: ${message}`);
}

async function expectCode(promise: Promise<unknown>, code: string, what: string): Promise<void> {
  try {
    await promise;
  } catch (error) {
    assert(isRelayKitError(error), `${what} threw a non-RelayKit error: ${String(error)}`);
    assert(error.code === code, `${what} threw ${error.code}, expected ${code}`);
    return;
  }
  throw new Error(`BlobStore contract: ${what} did not throw ${code}`);
}

/** A tiny valid PNG header (1×1), enough for stores that only look at bytes and MIME type. */
export const TINY_PNG = new Uint8Array([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1,
  8, 2, 0, 0, 0, 0x90, 0x77, 0x53, 0xde,
]);

/**
 * The behaviour every {@link BlobStore} driver must have. `make` returns a store whose limits are the
 * `generated-images` bucket's (10 MiB, PNG/JPEG/WebP). `maxBytes` lets a driver under test use a smaller limit.
 */
export function blobStoreContract(
  make: () => Promise<BlobStore>,
  options: { maxBytes?: number } = {},
): ContractCheck[] {
  const maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
  const unique = () => `contract/${crypto.randomUUID()}`;
  return [
    {
      name: 'put then get returns the same bytes and content type',
      run: async () => {
        const store = await make();
        const path = `${unique()}/a.png`;
        const stored = await store.put(path, TINY_PNG, { contentType: 'image/png' });
        assert(stored.path === path && stored.size === TINY_PNG.length, 'put reports path and size');
        const got = await store.get(path);
        assert(got, 'get finds the object');
        assert(got.contentType === 'image/png', `content type kept (got ${got.contentType})`);
        assert(
          got.bytes.length === TINY_PNG.length && got.bytes.every((b, i) => b === TINY_PNG[i]),
          'bytes kept',
        );
      },
    },
    {
      name: 'get of a missing path is undefined',
      run: async () => {
        const store = await make();
        assert((await store.get(`${unique()}/missing.png`)) === undefined, 'missing object is undefined');
      },
    },
    {
      name: 'put without upsert never overwrites: conflict, and the old bytes stay',
      run: async () => {
        const store = await make();
        const path = `${unique()}/v1.png`;
        await store.put(path, TINY_PNG, { contentType: 'image/png' });
        const other = TINY_PNG.slice();
        other[other.length - 1] = 0;
        await expectCode(store.put(path, other, { contentType: 'image/png' }), 'conflict', 'second put');
        const got = await store.get(path);
        assert(got && got.bytes[got.bytes.length - 1] === TINY_PNG[TINY_PNG.length - 1], 'old bytes kept');
        await store.put(path, other, { contentType: 'image/png', upsert: true });
        const replaced = await store.get(path);
        assert(replaced && replaced.bytes[replaced.bytes.length - 1] === 0, 'upsert replaces');
      },
    },
    {
      name: 'refuses a disallowed MIME type (invalid_request) and an oversized object (payload_too_large)',
      run: async () => {
        const store = await make();
        const base = unique();
        await expectCode(
          store.put(`${base}/a.gif`, TINY_PNG, { contentType: 'image/gif' }),
          'invalid_request',
          'gif upload',
        );
        await expectCode(
          store.put(`${base}/big.png`, new Uint8Array(maxBytes + 1), { contentType: 'image/png' }),
          'payload_too_large',
          'oversized upload',
        );
        assert((await store.get(`${base}/big.png`)) === undefined, 'nothing half-written');
      },
    },
    {
      name: 'remove deletes and reports whether the object existed',
      run: async () => {
        const store = await make();
        const path = `${unique()}/r.png`;
        await store.put(path, TINY_PNG, { contentType: 'image/png' });
        assert((await store.remove(path)) === true, 'remove of an existing object is true');
        assert((await store.get(path)) === undefined, 'gone after remove');
        assert((await store.remove(path)) === false, 'remove of a missing object is false');
      },
    },
    {
      name: 'url names the object; unsafe paths are rejected with invalid_request',
      run: async () => {
        const store = await make();
        const path = `${unique()}/u.png`;
        await store.put(path, TINY_PNG, { contentType: 'image/png' });
        const url = await store.url(path);
        assert(typeof url === 'string' && url.includes('u.png'), `url names the object (${url})`);
        for (const bad of ['../escape.png', '/absolute.png', 'a//b.png', ''])
          await expectCode(
            store.put(bad, TINY_PNG, { contentType: 'image/png' }),
            'invalid_request',
            `put ${bad}`,
          );
      },
    },
  ];
}
