import { type BlobLimits, checkBlobLimits, existsError } from '../internal/blob-checks';
import { assertBlobPath } from '../paths';
import type { BlobStore, StoredBlob } from '../ports';

/** Options of {@link createMemoryBlobStore}. */
export interface MemoryBlobStoreOptions extends BlobLimits {
  /** Base of the URLs {@link BlobStore.url} returns. Default `memory://blobs/`. */
  baseUrl?: string;
}

/** A {@link BlobStore} in process memory, for tests and demos. */
export function createMemoryBlobStore(
  options: MemoryBlobStoreOptions = {},
): BlobStore & { size(): number; paths(): string[] } {
  const objects = new Map<string, StoredBlob & { bytes: Uint8Array }>();
  const baseUrl = options.baseUrl ?? 'memory://blobs/';
  return {
    async put(path, bytes, putOptions) {
      assertBlobPath(path);
      checkBlobLimits(bytes, putOptions.contentType, options);
      if (objects.has(path) && putOptions.upsert !== true) throw existsError(path);
      const stored = { path, size: bytes.byteLength, contentType: putOptions.contentType };
      objects.set(path, { ...stored, bytes: bytes.slice() });
      return stored;
    },
    async get(path) {
      assertBlobPath(path);
      const object = objects.get(path);
      return object ? { ...object, bytes: object.bytes.slice() } : undefined;
    },
    async remove(path) {
      assertBlobPath(path);
      return objects.delete(path);
    },
    async url(path) {
      assertBlobPath(path);
      return `${baseUrl}${path}`;
    },
    paths: () => [...objects.keys()].sort(),
    size: () => objects.size,
  };
}
