import type { CostResult, Usage } from '@relaykit/usage-tracker';

/** Options of one {@link BlobStore.put}. */
export interface BlobPutOptions {
  /** The MIME type stored with the object. */
  contentType: string;
  /** Replace an existing object at the path. Default `false`: an existing object makes `put` throw `conflict`. */
  upsert?: boolean;
  /** `Cache-Control` max-age in seconds, for stores that serve over HTTP. */
  cacheControlSeconds?: number;
}

/** An object a {@link BlobStore} holds. */
export interface StoredBlob {
  path: string;
  size: number;
  contentType: string;
}

/** Options of {@link BlobStore.url}. */
export interface BlobUrlOptions {
  /** For private stores: how long a signed URL stays valid. Default 3600. */
  expiresInSeconds?: number;
}

/**
 * Where generated images live. Paths are `/`-separated relative keys (`students/42/20261123T161500123Z-ab12cd34.png`).
 * Drivers: memory (here), filesystem (`./filesystem`), Supabase Storage (`./supabase`).
 *
 * Errors: `conflict` for an existing path without `upsert`, `payload_too_large` / `invalid_request` when the store
 * refuses the size or MIME type, `store_error` / `store_unavailable` for failures of the backend.
 */
export interface BlobStore {
  /** Stores bytes at `path`. */
  put(path: string, bytes: Uint8Array, options: BlobPutOptions): Promise<StoredBlob>;
  /** The object at `path`, or `undefined`. */
  get(path: string): Promise<(StoredBlob & { bytes: Uint8Array }) | undefined>;
  /** Removes the object; `true` when it existed. */
  remove(path: string): Promise<boolean>;
  /** A URL a browser can load: public, `file:` for the filesystem, signed for private buckets. */
  url(path: string, options?: BlobUrlOptions): Promise<string>;
}

/**
 * The rate limiter {@link generateBatch} consults before each provider call. `createRateLimiter()` from
 * `@relaykit/usage-tracker` satisfies it.
 */
export interface ImageRateLimiter {
  limit(
    key: string,
    options?: { rate?: number },
  ): Promise<{ success: boolean; retryAfterMs: number; storeError?: unknown }>;
}

/** Prices a call. `createPriceTable()` from `@relaykit/usage-tracker` satisfies it. */
export interface ImagePricer {
  cost(model: string, usage: Usage): CostResult;
}

/** Time, injectable so batches and benchmarks run on a fake clock. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason when it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The part of the `openai` client {@link generateImage} uses; pass `new OpenAI({...})`. */
export interface ImagesClient {
  images: {
    generate(
      body: Record<string, unknown> & { prompt: string },
      options?: { signal?: AbortSignal; maxRetries?: number },
    ): PromiseLike<unknown>;
  };
}
