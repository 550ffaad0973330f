import { link, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { StoreError } from '@relaykit/sse-protocol';
import { type BlobLimits, checkBlobLimits, existsError } from '../internal/blob-checks';
import { assertBlobPath } from '../paths';
import type { BlobStore } from '../ports';

/** Options of {@link createFilesystemBlobStore}. */
export interface FilesystemBlobStoreOptions extends BlobLimits {
  /** The folder holding the objects (created when missing). */
  root: string;
  /** Base of the URLs {@link BlobStore.url} returns (e.g. where a static server serves `root`). Default `file:` URLs. */
  baseUrl?: string;
}

const CONTENT_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
};

/** The failure of a file operation; the system error (with the absolute file name) stays in `cause`, for logs only. */
function storeError(action: string, path: string, error: unknown): StoreError {
  return new StoreError('store_error', `filesystem blob store could not ${action} ${path}`, { cause: error });
}

/** Errors of reading a path that names no file: missing, a folder, under a file, or a name too long to exist. */
const NO_FILE = new Set(['ENOENT', 'EISDIR', 'ENOTDIR', 'ENAMETOOLONG']);

/**
 * A {@link BlobStore} in a local folder: the embedded default. Writes go to a temporary file renamed into place,
 * so a reader never sees half an image; `put` without `upsert` never replaces an existing file.
 */
export function createFilesystemBlobStore(options: FilesystemBlobStoreOptions): BlobStore {
  const root = resolve(options.root);
  const fileOf = (path: string) => {
    assertBlobPath(path);
    return join(root, ...path.split('/'));
  };
  const contentTypeOf = (path: string) =>
    CONTENT_TYPES[path.slice(path.lastIndexOf('.') + 1).toLowerCase()] ?? 'application/octet-stream';
  return {
    async put(path, bytes, putOptions) {
      const file = fileOf(path);
      checkBlobLimits(bytes, putOptions.contentType, options);
      const temporary = `${file}.${crypto.randomUUID()}.tmp`;
      try {
        await mkdir(dirname(file), { recursive: true });
        await writeFile(temporary, bytes);
        // link() fails when the file exists, so two writers never both win and readers never see half a file.
        if (putOptions.upsert === true) await rename(temporary, file);
        else {
          await link(temporary, file);
          await rm(temporary, { force: true });
        }
      } catch (error) {
        await rm(temporary, { force: true }).catch(() => {});
        if ((error as { code?: string }).code === 'EEXIST') throw existsError(path);
        throw storeError('write', path, error);
      }
      return { path, size: bytes.byteLength, contentType: putOptions.contentType };
    },
    async get(path) {
      const file = fileOf(path);
      try {
        const bytes = new Uint8Array(await readFile(file));
        return { path, size: bytes.byteLength, contentType: contentTypeOf(path), bytes };
      } catch (error) {
        if (NO_FILE.has((error as { code?: string }).code ?? '')) return undefined;
        throw storeError('read', path, error);
      }
    },
    async remove(path) {
      const file = fileOf(path);
      try {
        await stat(file);
      } catch {
        return false;
      }
      await rm(file, { force: true }).catch((error) => {
        throw storeError('remove', path, error);
      });
      return true;
    },
    async url(path) {
      const file = fileOf(path);
      return options.baseUrl ? `${options.baseUrl}${path}` : pathToFileURL(file).toString();
    },
  };
}
