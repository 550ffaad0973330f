import { ProviderError, RequestError, readCapped } from '@relaykit/sse-protocol';
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
      throw new ProviderError('provider_unavailable', 'could not download the image', {
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
    const bytes = await readCapped(response, maxBytes, {
      tooLarge: () =>
        // No URL in the message: a provider's image URL carries a signature.
        new RequestError('payload_too_large', `the downloaded image is larger than ${maxBytes} bytes`, {
          details: { maxBytes },
        }),
    });
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
