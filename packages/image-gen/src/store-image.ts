import { isRelayKitError, StoreError } from '@relaykit/sse-protocol';
import type { GeneratedImage } from './generate';
import { versionedImagePath } from './paths';
import type { BlobStore } from './ports';

/** Where an image was stored and for which row. */
export interface StoredImage {
  entity: string;
  id: string;
  path: string;
  url: string;
  size: number;
  mimeType: string;
  width: number;
  height: number;
}

/** Runs after the upload, e.g. to set `students.profile_photo`. Throwing removes the upload again. */
export type OnStoredHook = (stored: StoredImage) => void | Promise<void>;

/** Called with an upload that could be neither linked to its row nor removed, so it is never silently left. */
export type OnOrphanHook = (orphan: {
  path: string;
  entity: string;
  id: string;
  error: unknown;
}) => void | Promise<void>;

/** Options of {@link storeImage}. */
export interface StoreImageOptions {
  store: BlobStore;
  image: Pick<GeneratedImage, 'bytes' | 'mimeType' | 'extension' | 'width' | 'height'>;
  /** The kind of row, e.g. `students` (first path segment). */
  entity: string;
  /** The row id (second path segment). */
  id: string;
  onStored?: OnStoredHook;
  onOrphan?: OnOrphanHook;
  /** Epoch ms for the versioned path; default now. */
  now?: number;
}

/**
 * Uploads an image to a new versioned path (`<entity>/<id>/<timestamp>-<hash>.<ext>`, never overwriting the image a
 * page shows), then runs `onStored`. When `onStored` fails the upload is removed; when that fails too, `onOrphan`
 * records it. Throws `store_error` with `details.path` and `details.removed` in both cases.
 */
export async function storeImage(options: StoreImageOptions): Promise<StoredImage> {
  const { store, image, entity, id } = options;
  const path = versionedImagePath({
    entity,
    id,
    bytes: image.bytes,
    extension: image.extension,
    ...(options.now === undefined ? {} : { at: options.now }),
  });
  const blob = await store.put(path, image.bytes, { contentType: image.mimeType, upsert: false });
  let url: string;
  const stored = (): StoredImage => ({
    entity,
    id,
    path,
    url,
    size: blob.size,
    mimeType: image.mimeType,
    width: image.width,
    height: image.height,
  });
  try {
    url = await store.url(path);
    await options.onStored?.(stored());
  } catch (error) {
    let removed = false;
    try {
      removed = await store.remove(path);
    } catch (removeError) {
      await options.onOrphan?.({ path, entity, id, error: removeError });
      throw new StoreError(
        'store_error',
        `linking ${path} to ${entity}/${id} failed and the upload could not be removed (orphaned)`,
        { cause: error, details: { path, removed: false, orphaned: true, reason: describe(error) } },
      );
    }
    throw new StoreError('store_error', `linking ${path} to ${entity}/${id} failed; the upload was removed`, {
      cause: error,
      details: { path, removed, orphaned: false, reason: describe(error) },
      retryable: isRelayKitError(error) ? error.retryable : false,
    });
  }
  return stored();
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
