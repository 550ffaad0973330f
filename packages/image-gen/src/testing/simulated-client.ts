import type { Clock, ImagesClient } from '../ports';
import { TINY_PNG } from './contract';

/** Options of {@link createSimulatedImagesClient}. */
export interface SimulatedImagesClientOptions {
  clock: Clock;
  /** Time each call takes. Default 2000 ms. */
  latencyMs?: number;
  /** The provider's own limit: calls per rolling minute; over it the call answers 429 with `retry-after-ms`. */
  limitPerMinute?: number;
  /** Share of admitted calls that fail with a transient 500. Default 0. */
  transientFailureRate?: number;
  /** Prompts containing this text are refused with 400 `moderation_blocked`. */
  refuseWhenPromptIncludes?: string;
  /** Random source in [0, 1). Default `Math.random`. */
  random?: () => number;
  /** The image returned (a valid PNG/JPEG/WebP). Default a 1×1 PNG. */
  image?: Uint8Array;
}

/** What the simulated client saw. */
export interface SimulatedImagesStats {
  calls: number;
  succeeded: number;
  rateLimited: number;
  transientFailures: number;
  refused: number;
}

class SimulatedApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string | null,
    readonly headers: Headers,
  ) {
    super(message);
    this.name = status === 429 ? 'RateLimitError' : status >= 500 ? 'InternalServerError' : 'BadRequestError';
  }
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * An in-process stand-in for `openai`'s `images.generate` on a (fake) clock, for benchmarks and batch tests: fixed
 * latency, a provider rate limit answered with 429 + `retry-after-ms`, transient 500s and moderation refusals shaped
 * like the SDK's `APIError`. For wire-level tests use `createFakeOpenAI()` from `@relaykit/testing` instead.
 */
export function createSimulatedImagesClient(
  options: SimulatedImagesClientOptions,
): ImagesClient & { stats: SimulatedImagesStats } {
  const latencyMs = options.latencyMs ?? 2_000;
  const random = options.random ?? Math.random;
  const admitted: number[] = [];
  const b64 = toBase64(options.image ?? TINY_PNG);
  const stats: SimulatedImagesStats = {
    calls: 0,
    succeeded: 0,
    rateLimited: 0,
    transientFailures: 0,
    refused: 0,
  };
  return {
    stats,
    images: {
      async generate(body, requestOptions) {
        stats.calls += 1;
        const now = options.clock.now();
        while (admitted.length > 0 && admitted[0]! <= now - 60_000) admitted.shift();
        if (options.limitPerMinute !== undefined && admitted.length >= options.limitPerMinute) {
          stats.rateLimited += 1;
          const waitMs = admitted[0]! + 60_000 - now;
          throw new SimulatedApiError(
            429,
            'Rate limit reached for images per min.',
            'rate_limit_exceeded',
            new Headers({ 'retry-after-ms': String(waitMs) }),
          );
        }
        admitted.push(now);
        await options.clock.sleep(latencyMs, requestOptions?.signal);
        if (options.refuseWhenPromptIncludes && body.prompt.includes(options.refuseWhenPromptIncludes)) {
          stats.refused += 1;
          throw new SimulatedApiError(
            400,
            'Your request was rejected as a result of our safety system.',
            'moderation_blocked',
            new Headers(),
          );
        }
        if (random() < (options.transientFailureRate ?? 0)) {
          stats.transientFailures += 1;
          throw new SimulatedApiError(
            500,
            'The server had an error while processing your request.',
            null,
            new Headers(),
          );
        }
        stats.succeeded += 1;
        return {
          created: Math.floor(options.clock.now() / 1000),
          data: [{ b64_json: b64 }],
          size: body.size,
          quality: body.quality,
          usage: {
            input_tokens: 10,
            input_tokens_details: { text_tokens: 10, image_tokens: 0 },
            output_tokens: 1056,
            total_tokens: 1066,
          },
        };
      },
    },
  };
}
