import { errorResponse, type RequestAuthenticator } from '@relaykit/agent-core';
import type { BlobStore } from '@relaykit/image-gen';
import { RequestError } from '@relaykit/sse-protocol';
import { IMAGE_FILE_BASE_URL } from './runtime';

const SAFE_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** One percent-decoded path segment; a malformed escape (`%E0%A4%A`) is a bad path, not a server error. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new RequestError('invalid_request', 'Not an image path.');
  }
}

/** The blob path of a `/api/images/file/<path>` URL; `invalid_request` for anything but safe path segments. */
export function imagePathOf(url: URL): string {
  const raw = url.pathname.startsWith(IMAGE_FILE_BASE_URL)
    ? url.pathname.slice(IMAGE_FILE_BASE_URL.length)
    : '';
  const segments = raw.split('/').map(decodeSegment);
  if (
    segments.length < 2 ||
    segments.some((segment) => !SAFE_SEGMENT.test(segment) || segment.includes('..'))
  )
    throw new RequestError('invalid_request', 'Not an image path.');
  return segments.join('/');
}

/**
 * `GET /api/images/file/<path>`: the stored image bytes. Signed-in users only, and only their own images (paths are
 * `images/<userId>/…`, as the image routes store them); anything else is the 404 of a missing image.
 */
export function createImageFileHandler(
  blobs: BlobStore,
  authenticate: RequestAuthenticator,
  onUnexpectedError?: (error: unknown) => void,
) {
  return async (request: Request): Promise<Response> => {
    try {
      const user = await authenticate(request);
      const path = imagePathOf(new URL(request.url));
      const owner = path.split('/')[1];
      const blob = owner === user.userId ? await blobs.get(path) : undefined;
      if (!blob) throw new RequestError('not_found', 'There is no such image.');
      return new Response(blob.bytes as Uint8Array<ArrayBuffer>, {
        headers: {
          'content-type': blob.contentType,
          'content-length': String(blob.size),
          // Paths are versioned (timestamp + content hash), so the bytes behind a URL never change.
          'cache-control': 'private, max-age=31536000, immutable',
          'x-content-type-options': 'nosniff',
        },
      });
    } catch (error) {
      return errorResponse(error, onUnexpectedError ? { onUnexpectedError } : {});
    }
  };
}
