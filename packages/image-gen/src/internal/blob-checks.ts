import { RequestError } from '@relaykit/sse-protocol';

/** Limits a store enforces itself, like a Supabase bucket's `file_size_limit` and `allowed_mime_types`. */
export interface BlobLimits {
  /** Largest object in bytes. Default 10 MiB. */
  maxBytes?: number;
  /** Accepted MIME types. Default PNG, JPEG and WebP. */
  allowedContentTypes?: readonly string[];
}

/** The defaults of {@link BlobLimits}: the `generated-images` bucket of `sql/0001_images_storage.sql`. */
export const DEFAULT_BLOB_LIMITS = {
  maxBytes: 10 * 1024 * 1024,
  allowedContentTypes: ['image/png', 'image/jpeg', 'image/webp'],
} as const;

/** Throws `payload_too_large` or `invalid_request` when a blob breaks the limits. */
export function checkBlobLimits(bytes: Uint8Array, contentType: string, limits: BlobLimits = {}): void {
  const maxBytes = limits.maxBytes ?? DEFAULT_BLOB_LIMITS.maxBytes;
  const allowed = limits.allowedContentTypes ?? DEFAULT_BLOB_LIMITS.allowedContentTypes;
  if (!(bytes instanceof Uint8Array))
    throw new RequestError('invalid_request', 'blob bytes must be a Uint8Array', {
      details: { field: 'bytes' },
    });
  if (bytes.byteLength > maxBytes)
    throw new RequestError(
      'payload_too_large',
      `the object is ${bytes.byteLength} bytes; the limit is ${maxBytes}`,
      {
        details: { size: bytes.byteLength, maxBytes },
      },
    );
  if (!allowed.includes(contentType))
    throw new RequestError('invalid_request', `content type ${contentType} is not allowed`, {
      details: { field: 'contentType', allowed },
    });
}

/** The `conflict` error for an existing path written without `upsert`. */
export function existsError(path: string): RequestError {
  return new RequestError('conflict', `an object already exists at ${path}`, { details: { path } });
}
