import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { blobStoreContract, TINY_PNG } from '../testing';
import { createFilesystemBlobStore } from './filesystem';

const roots: string[] = [];
async function make() {
  const root = await mkdtemp(join(tmpdir(), 'image-gen-fs-'));
  roots.push(root);
  return { root, store: createFilesystemBlobStore({ root }) };
}
afterAll(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

describe('filesystem BlobStore satisfies the contract', () => {
  for (const check of blobStoreContract(async () => (await make()).store)) it(check.name, check.run);
});

describe('filesystem BlobStore', () => {
  it('writes under the root, returns file: URLs, and leaves no temporary files behind', async () => {
    const { root, store } = await make();
    await store.put('students/1/a.png', TINY_PNG, { contentType: 'image/png' });
    await store.put('students/1/a.png', TINY_PNG, { contentType: 'image/png' }).catch(() => {});
    expect(await store.url('students/1/a.png')).toBe(`file://${join(root, 'students', '1', 'a.png')}`);
    expect(await readdir(join(root, 'students', '1'))).toEqual(['a.png']);
  });

  it('only one of two concurrent writers to the same path wins', async () => {
    const { store } = await make();
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => store.put('race/x.png', TINY_PNG, { contentType: 'image/png' })),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(
      results
        .filter((result) => result.status === 'rejected')
        .map((result) => (result as PromiseRejectedResult).reason.code),
    ).toEqual(['conflict', 'conflict', 'conflict', 'conflict']);
  });

  it('reads a path that names no file (a folder, under a file, a name too long) as missing, not as a failure', async () => {
    const { root, store } = await make();
    await store.put('images/u1/a.png', TINY_PNG, { contentType: 'image/png' });
    expect(await store.get('images/u1')).toBeUndefined();
    expect(await store.get('images/u1/a.png/b.png')).toBeUndefined();
    expect(await store.get(`images/u1/${'x'.repeat(300)}.png`)).toBeUndefined();
    // A failure that is not about the path says what failed, never where the file lives.
    const unreadable = createFilesystemBlobStore({
      root: join(root, 'images', 'u1', 'a.png', 'under-a-file'),
    });
    const error = await unreadable
      .put('b.png', TINY_PNG, { contentType: 'image/png' })
      .catch((thrown) => thrown);
    expect(error).toMatchObject({ code: 'store_error' });
    expect(error.message).not.toContain(root);
  });
});
