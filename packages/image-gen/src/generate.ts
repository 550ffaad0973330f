import { ProviderError, providerError, RequestError } from '@relaykit/sse-protocol';
import { type CostResult, createPriceTable, type Usage, usageFromImages } from '@relaykit/usage-tracker';
import { downloadImage } from './download';
import { type ImageMimeType, requireImageInfo } from './image-info';
import { assertPrompt, imageModelCapabilities } from './models';
import type { ImagePricer, ImagesClient } from './ports';

/** Options of {@link generateImage}. */
export interface GenerateImageOptions {
  /** The `openai` client (`new OpenAI({ apiKey, baseURL })`), created by the caller. */
  client: ImagesClient;
  prompt: string;
  /** Default `gpt-image-1`. */
  model?: string;
  /** For example `1024x1024`; defaults to the model's default. */
  size?: string;
  /** `low`/`medium`/`high`/`auto` for GPT image models, `standard`/`hd` for DALL·E 3. */
  quality?: string;
  /** GPT image models only. */
  background?: 'transparent' | 'opaque' | 'auto';
  /** GPT image models only. */
  outputFormat?: 'png' | 'jpeg' | 'webp';
  /** The end user, sent to OpenAI for abuse monitoring. */
  user?: string;
  signal?: AbortSignal;
  /** Prices the call; default: `createPriceTable()` from `@relaykit/usage-tracker`. */
  pricer?: ImagePricer;
  /** `fetch` for DALL·E URL downloads; default the global one. */
  fetch?: typeof fetch;
  /** Largest accepted image, in bytes. Default 10 MiB. */
  maxBytes?: number;
  /** Retries the `openai` SDK itself makes; default 0 (RelayKit's batch retries with its own backoff). */
  maxRetries?: number;
}

/** One generated image with what it cost. */
export interface GeneratedImage {
  bytes: Uint8Array;
  mimeType: ImageMimeType;
  extension: 'png' | 'jpg' | 'webp';
  width: number;
  height: number;
  model: string;
  /** The size and quality the provider reports (or the ones asked for). */
  size: string;
  quality: string;
  prompt: string;
  /** The prompt the model actually used, when it says (DALL·E 3). */
  revisedPrompt: string | undefined;
  usage: Usage;
  cost: CostResult;
}

let defaultPricer: ImagePricer | undefined;

/** The default price table, built once (it indexes the bundled price data). */
function sharedPricer(): ImagePricer {
  if (!defaultPricer) defaultPricer = createPriceTable();
  return defaultPricer;
}

function fromBase64(data: string): Uint8Array {
  const binary = atob(data);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

function invalid(message: string, field: string): RequestError {
  return new RequestError('invalid_request', message, { details: { field } });
}

/**
 * Generates one image with the OpenAI Images API: `b64_json` for GPT image models, a downloaded `url` for DALL·E.
 * Checks the options against the model before calling, reads the dimensions from the image header, and prices the
 * call. Errors: `invalid_request` (bad prompt, size, quality), `content_policy` (moderation refusal, with the
 * provider's message), `rate_limited` / `provider_unavailable` (retryable), `payload_too_large`, `cancelled`.
 */
export async function generateImage(options: GenerateImageOptions): Promise<GeneratedImage> {
  if (!options?.client?.images || typeof options.client.images.generate !== 'function')
    throw invalid('generateImage needs an openai client (options.client)', 'client');
  const model = options.model ?? 'gpt-image-1';
  const capabilities = imageModelCapabilities(model);
  assertPrompt(options.prompt, capabilities.maxPromptLength);
  const size = options.size ?? capabilities.defaultSize;
  const quality = options.quality ?? capabilities.defaultQuality;
  if (!capabilities.sizes.includes(size))
    throw invalid(
      `${model} does not support size ${size}; supported: ${capabilities.sizes.join(', ')}`,
      'size',
    );
  if (!capabilities.qualities.includes(quality))
    throw invalid(
      `${model} does not support quality ${quality}; supported: ${capabilities.qualities.join(', ')}`,
      'quality',
    );
  if (!capabilities.supportsBackgroundAndFormat) {
    if (options.background !== undefined) throw invalid(`${model} does not support background`, 'background');
    if (options.outputFormat !== undefined)
      throw invalid(`${model} does not support outputFormat`, 'outputFormat');
  }
  if (options.background === 'transparent' && options.outputFormat === 'jpeg')
    throw invalid('a transparent background needs outputFormat png or webp', 'background');

  const body: Record<string, unknown> & { prompt: string } = {
    model,
    prompt: options.prompt,
    n: 1,
    size,
    quality,
  };
  if (options.background !== undefined) body.background = options.background;
  if (options.outputFormat !== undefined) body.output_format = options.outputFormat;
  if (options.user !== undefined) body.user = options.user;
  if (capabilities.response === 'url') body.response_format = 'url';

  let response: unknown;
  try {
    response = await options.client.images.generate(body, {
      ...(options.signal ? { signal: options.signal } : {}),
      maxRetries: options.maxRetries ?? 0,
    });
  } catch (error) {
    throw providerError(error, { signal: options.signal });
  }
  const result = (response ?? {}) as {
    data?: Array<{ b64_json?: string | null; url?: string | null; revised_prompt?: string | null }>;
    usage?: unknown;
    size?: string;
    quality?: string;
  };
  const first = result.data?.[0];
  if (!first) throw new ProviderError('provider_error', 'the Images API answered without an image');

  const maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
  let bytes: Uint8Array;
  if (typeof first.b64_json === 'string' && first.b64_json !== '') {
    bytes = fromBase64(first.b64_json);
    if (bytes.byteLength > maxBytes)
      throw new RequestError('payload_too_large', `the image is larger than ${maxBytes} bytes`, {
        details: { maxBytes },
      });
  } else if (typeof first.url === 'string' && first.url !== '') {
    bytes = (
      await downloadImage(first.url, {
        maxBytes,
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      })
    ).bytes;
  } else throw new ProviderError('provider_error', 'the Images API answered neither b64_json nor url');
  const info = requireImageInfo(bytes, 'the generated image');

  const actualSize = result.size && result.size !== 'auto' ? result.size : size;
  const actualQuality = result.quality && result.quality !== 'auto' ? result.quality : quality;
  const usage = usageFromImages(result.usage, { size: actualSize, quality: actualQuality, count: 1 });
  const pricer = options.pricer ?? sharedPricer();
  return {
    bytes,
    mimeType: info.mimeType,
    extension: info.extension,
    width: info.width,
    height: info.height,
    model,
    size: actualSize,
    quality: actualQuality,
    prompt: options.prompt,
    revisedPrompt: first.revised_prompt ?? undefined,
    usage,
    cost: pricer.cost(model, usage),
  };
}
