import { RequestError, StoreError } from '@relaykit/sse-protocol';
import type { SupabaseClient } from '@supabase/supabase-js';
import { existsError } from '../internal/blob-checks';
import { assertBlobPath } from '../paths';
import type { BlobStore } from '../ports';

/** Options of {@link createSupabaseBlobStore}. */
export interface SupabaseBlobStoreOptions {
  /** A supabase-js client (server side: the service role; it is never created from the environment here). */
  client: Pick<SupabaseClient, 'storage'>;
  /** Default `generated-images` (the bucket of `sql/0001_images_storage.sql`). */
  bucket?: string;
  /** `public`: {@link BlobStore.url} gives the public URL; `signed` (default): a signed URL. */
  access?: 'public' | 'signed';
  /** Lifetime of signed URLs in seconds. Default 3600. */
  signedUrlExpiresInSeconds?: number;
}

interface StorageErrorShape {
  message?: string;
  status?: number;
  statusCode?: string;
  code?: string;
  name?: string;
}

function toStoreError(action: string, path: string, error: unknown) {
  const shape = (error ?? {}) as StorageErrorShape;
  const status = shape.statusCode ?? String(shape.status ?? '');
  const message = `Supabase Storage could not ${action} ${path}: ${shape.message ?? String(error)}`;
  const details = { path, status, storageCode: shape.code };
  if (status === '409' || shape.code === 'KeyAlreadyExists' || shape.code === 'ResourceAlreadyExists')
    return existsError(path);
  if (status === '413' || shape.code === 'EntityTooLarge')
    return new RequestError('payload_too_large', message, { cause: error, details });
  if (status === '415' || shape.code === 'InvalidMimeType')
    return new RequestError('invalid_request', message, { cause: error, details });
  if (status === '403' || status === '401' || shape.code === 'AccessDenied')
    return new RequestError('forbidden', message, { cause: error, details });
  if (shape.name === 'StorageUnknownError' || status === '' || status.startsWith('5'))
    return new StoreError('store_unavailable', message, { cause: error, details, retryable: true });
  return new StoreError('store_error', message, { cause: error, details });
}

/**
 * A {@link BlobStore} over Supabase Storage through supabase-js (`storage.from(bucket)`): uploads with a content
 * type and `upsert`, public or signed URLs. The bucket's size limit and MIME list are enforced by Storage and come
 * back as `payload_too_large` / `invalid_request`.
 */
export function createSupabaseBlobStore(options: SupabaseBlobStoreOptions): BlobStore {
  const bucket = options.bucket ?? 'generated-images';
  const files = () => options.client.storage.from(bucket);
  return {
    async put(path, bytes, putOptions) {
      assertBlobPath(path);
      const { error } = await files().upload(path, bytes, {
        contentType: putOptions.contentType,
        upsert: putOptions.upsert === true,
        cacheControl: String(putOptions.cacheControlSeconds ?? 3600),
      });
      if (error) throw toStoreError('upload', path, error);
      return { path, size: bytes.byteLength, contentType: putOptions.contentType };
    },
    async get(path) {
      assertBlobPath(path);
      const { data, error } = await files().download(path);
      if (error) {
        const shape = error as StorageErrorShape;
        if (shape.statusCode === '404' || shape.status === 404 || shape.code === 'NoSuchKey')
          return undefined;
        throw toStoreError('download', path, error);
      }
      const bytes = new Uint8Array(await data.arrayBuffer());
      return { path, size: bytes.byteLength, contentType: data.type, bytes };
    },
    async remove(path) {
      assertBlobPath(path);
      const { data, error } = await files().remove([path]);
      if (error) throw toStoreError('remove', path, error);
      return (data?.length ?? 0) > 0;
    },
    async url(path, urlOptions = {}) {
      assertBlobPath(path);
      if (options.access === 'public') return files().getPublicUrl(path).data.publicUrl;
      const expiresIn = urlOptions.expiresInSeconds ?? options.signedUrlExpiresInSeconds ?? 3600;
      const { data, error } = await files().createSignedUrl(path, expiresIn);
      if (error) throw toStoreError('sign', path, error);
      return data.signedUrl;
    },
  };
}
