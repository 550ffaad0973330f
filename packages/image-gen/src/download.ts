import { ProviderError, RequestError } from '@relaykit/sse-protocol';
import { type ImageInfo, requireImageInfo } from './image-info';
import { cancelledError } from './internal/clock';

/** Options of {@link downloadImage}. */
export interface DownloadImageOptions {
  /** The `fetch` to use; defaults to the global one. */
  fetch?: typeof fetch;
  /** Largest accepted body in bytes. Default 10 MiB. */
  maxBytes?: number;
  /** Redirects followed at most. Default 3. */
  maxRedirects?: number;
  signal?: AbortSignal;
}

/** A downloaded image. */
export interface DownloadedImage extends ImageInfo {
  bytes: Uint8Array;
}

const ACCEPTED = ['image/png', 'image/jpeg', 'image/webp'];

async function readCapped(response: Response, maxBytes: number, url: string): Promise<Uint8Array> {
  const tooLarge = () =>
    new RequestError('payload_too_large', `the image at ${url} is larger than ${maxBytes} bytes`, {
      details: { maxBytes },
    });
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge();
  }
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * Downloads an image URL (as DALL·E answers) with a size cap, a content-type check, at most `maxRedirects`
 * redirects (followed by hand, http/https only), and the format checked against the bytes' own header.
 */
export async function downloadImage(
  url: string,
  options: DownloadImageOptions = {},
): Promise<DownloadedImage> {
  const fetcher = options.fetch ?? globalThis.fetch;
  const maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
  const maxRedirects = options.maxRedirects ?? 3;
  let current = url;
  for (let redirects = 0; ; redirects += 1) {
    const protocol = new URL(current).protocol;
    if (protocol !== 'https:' && protocol !== 'http:')
      throw new ProviderError('provider_error', `refusing to download an image from a ${protocol} URL`);
    let response: Response;
    try {
      response = await fetcher(current, { redirect: 'manual', signal: options.signal ?? null });
    } catch (error) {
      if (options.signal?.aborted) throw cancelledError(options.signal, error);
      throw new ProviderError('provider_unavailable', `could not download the image: ${String(error)}`, {
        cause: error,
        retryable: true,
      });
    }
    if (response.status >= 300 && response.status < 400) {
      const location = response.headers.get('location');
      await response.body?.cancel().catch(() => {});
      if (!location)
        throw new ProviderError('provider_error', `redirect ${response.status} without a location`);
      if (redirects >= maxRedirects)
        throw new ProviderError(
          'provider_error',
          `the image URL redirected more than ${maxRedirects} times`,
          {
            details: { reason: 'too_many_redirects', maxRedirects },
          },
        );
      current = new URL(location, current).toString();
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => {});
      throw new ProviderError(
        response.status >= 500 ? 'provider_unavailable' : 'provider_error',
        `downloading the image failed with HTTP ${response.status}`,
        { retryable: response.status >= 500, details: { status: response.status } },
      );
    }
    const contentType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (!ACCEPTED.includes(contentType)) {
      await response.body?.cancel().catch(() => {});
      throw new ProviderError(
        'provider_error',
        `the image URL answered ${contentType || 'no content type'}, not PNG, JPEG or WebP`,
        { details: { reason: 'not_an_image', contentType } },
      );
    }
    const bytes = await readCapped(response, maxBytes, current);
    const info = requireImageInfo(bytes, 'the downloaded file');
    if (info.mimeType !== contentType)
      throw new ProviderError(
        'provider_error',
        `the image URL said ${contentType} but sent ${info.mimeType}`,
        {
          details: { reason: 'content_type_mismatch', contentType, actual: info.mimeType },
        },
      );
    return { ...info, bytes };
  }
}
