import {
  type BlobStore,
  contentFingerprint,
  generateImage,
  type ImagePricer,
  type ImageRateLimiter,
  type ImagesClient,
  storeImage,
  versionedImagePath,
} from '@relaykit/image-gen';
import { ConfigurationError } from '@relaykit/sse-protocol';
import {
  createMemoryRateLimitStore,
  createPriceTable,
  createRateLimiter,
  type RecordUsageInput,
  tokenBucket,
  type Usage,
  type UsageRecorder,
} from '@relaykit/usage-tracker';
import { failedUsageOf } from '../usage/failure-row';
import { parseJsonBody, validateBody } from './body';
import { jsonResponse } from './errors';
import {
  type AdapterAuth,
  type AdapterContext,
  type ChatKitServerLike,
  createGuardedHandler,
  type RequestRateLimiter,
  resolveAuthenticator,
  type WaitUntil,
} from './guard';
import { createBatchStream } from './images-batch';
import { checkImageOptions, GenerateImageBody } from './images-body';

/** An image the routes stored, as the client sees it. */
export interface ImageJSON {
  /** A fresh id of this image (UUID). */
  id: string;
  /** Where a browser loads it: `publicUrl(path)`, or the blob store's own URL. */
  url: string;
  /** The blob store path (`images/<user>/<id>/<timestamp>-<hash>.png`). */
  path: string;
  model: string;
  prompt: string;
  /** The stored image's dimensions, e.g. `1024x1024`. */
  size: string;
  /** ISO 8601. */
  createdAt: string;
}

/** What one generation cost, when the provider reported it. */
export interface ImageUsageJSON {
  inputTokens?: number;
  outputTokens?: number;
  /** Integer micro-dollars; absent when the model is unpriced. */
  costMicros?: number;
}

/** The answer of the single image route. */
export interface GenerateImageResponse {
  image: ImageJSON;
  usage: ImageUsageJSON | null;
}

/** Options of {@link createImageServers}: what generation needs, without the HTTP pipeline. */
export interface ImageServerOptions {
  /** The `openai` client (`new OpenAI({ apiKey, baseURL })`). Give this or `modelAccess`. */
  client?: ImagesClient;
  /** Per-request clients (`createModelAccess()`, bring-your-own-key), as the chat routes use. */
  modelAccess?: { clientFor(context: AdapterContext): Promise<ImagesClient> };
  /** Where images are stored (memory, filesystem, Supabase Storage drivers of `@relaykit/image-gen`). */
  blobs: BlobStore;
  /** The URL answered for a stored path; default the store's own `url(path)`. */
  publicUrl?: (path: string) => string | Promise<string>;
  /** The first path segment of stored images. Default `images`. */
  pathPrefix?: string;
  /** The model when the body names none. Default `gpt-image-1`. */
  model?: string;
  /**
   * Consulted before every provider call of a batch, keyed by user id; a denial waits (it is not an error).
   * Default: a token bucket of `itemsPerMinute` per user in this process's memory, shared by all batches.
   */
  itemRateLimiter?: ImageRateLimiter;
  /** Provider calls per minute per user for the default item limiter. Default 60. */
  itemsPerMinute?: number;
  /** Retries per batch item for retryable failures (rate limits, 5xx). Default 2. Policy refusals never retry. */
  retries?: number;
  /** Backoff between retries. Default 1 s base, 30 s max. */
  backoff?: { baseMs?: number; maxMs?: number };
  /** The most items one batch may carry (at most 100). Default 100. */
  maxBatchSize?: number;
  /** Items in flight when the body gives no `concurrency`. Default 2. */
  concurrency?: number;
  /** Records each provider call (`kind: 'image'`) after the response; `createUsageRecorder()` fits. */
  usage?: Pick<UsageRecorder, 'recordUsage'>;
  /** Prices calls; default `createPriceTable()` (built once). */
  pricer?: ImagePricer;
  /** Called with unexpected errors (answered as a generic 500) and failed usage records. */
  onUnexpectedError?: (error: unknown) => void;
}

/** Options of {@link createImageHandlers}. Nothing is read from the environment. */
export interface ImageHandlersOptions extends ImageServerOptions {
  /** Bearer JWT verification or a custom authenticator. Required. */
  auth: AdapterAuth;
  /** Per-user request limiter (`createRateLimiter()` of `@relaykit/usage-tracker`): one unit per request, 429 when denied. */
  rateLimiter?: RequestRateLimiter;
  /** Largest accepted JSON body in bytes. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Keeps the runtime alive for work after the response (usage records, a batch winding down). */
  waitUntil?: WaitUntil;
}

/**
 * The image endpoints as servers (`handle(request, context)`) for an adapter's own pipeline, e.g.
 * `createEdgeHandler({ auth, cors, server: createImageServers(options).router })` of `@relaykit/supabase-edge`.
 */
export interface ImageServers {
  /** The single image endpoint. */
  generate: ChatKitServerLike<AdapterContext>;
  /** The batch endpoint (SSE). */
  batch: ChatKitServerLike<AdapterContext>;
  /** Both in one function: a path ending in `/batch` is the batch, anything else the single image. */
  router: ChatKitServerLike<AdapterContext>;
}

/** The two image endpoints, as Web-standard handlers. */
export interface ImageHandlers {
  /** `POST { prompt, size?, quality?, model? }` → `{ image, usage }`. */
  generate: (request: Request) => Promise<Response>;
  /** `POST { items, size?, quality?, model?, concurrency? }` → `text/event-stream` of `start`, `progress`, `done`, `error`. */
  batch: (request: Request) => Promise<Response>;
}

/** What the single and batch handlers share, resolved once from the options. */
export interface ImageRuntime {
  options: ImageServerOptions;
  model: string;
  pricer: ImagePricer;
  pathPrefix: string;
  clientFor(context: AdapterContext): Promise<ImagesClient>;
  urlFor(path: string, storeUrl: string): Promise<string>;
  /** The batch items' rate limiter (the option, or the in-memory default). */
  itemRateLimiter: ImageRateLimiter;
  /** The storage path segment of a user: the id itself when it is a safe segment, otherwise a fingerprint. */
  userSegment(userId: string): string;
  /** Records one provider call in the background (never fails the request). */
  record(context: AdapterContext, input: Omit<RecordUsageInput, 'userId' | 'kind'>): void;
  /**
   * Records a failed provider call (with its code and the request id, `metadata.request_id`) for the dashboard's
   * recent errors; cancellations are not failures.
   */
  recordFailure(
    context: AdapterContext,
    model: string,
    error: unknown,
    metadata?: Record<string, unknown>,
  ): void;
}

let sharedPricer: ImagePricer | undefined;

/** The default price table, built once (it indexes the bundled price data). */
function defaultPricer(): ImagePricer {
  if (!sharedPricer) sharedPricer = createPriceTable();
  return sharedPricer;
}

/** The usage of an image call as the routes answer it. */
export function imageUsageJSON(usage: Usage, costMicros: number | undefined): ImageUsageJSON {
  return {
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    ...(costMicros === undefined ? {} : { costMicros }),
  };
}

function checkIntegerOption(value: number | undefined, name: string, min: number, max: number): void {
  if (value !== undefined && (!Number.isInteger(value) || value < min || value > max))
    throw new ConfigurationError(`image routes: ${name} must be an integer from ${min} to ${max}`);
}

function createRuntime(options: ImageServerOptions): ImageRuntime {
  if (!options?.blobs) throw new ConfigurationError('image routes need blobs (a BlobStore)');
  if (options.client && options.modelAccess)
    throw new ConfigurationError('image routes take client or modelAccess, not both');
  const { client, modelAccess } = options;
  if (!client && !modelAccess)
    throw new ConfigurationError('image routes need client (an openai client) or modelAccess');
  const pathPrefix = options.pathPrefix ?? 'images';
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(pathPrefix) || pathPrefix.includes('..'))
    throw new ConfigurationError('pathPrefix must be one safe path segment, e.g. "images"');
  checkIntegerOption(options.maxBatchSize, 'maxBatchSize', 1, 100);
  checkIntegerOption(options.concurrency, 'concurrency', 1, 8);
  checkIntegerOption(options.itemsPerMinute, 'itemsPerMinute', 1, 60_000);
  checkIntegerOption(options.retries, 'retries', 0, 10);
  const itemsPerMinute = options.itemsPerMinute ?? 60;
  const encoder = new TextEncoder();
  return {
    options,
    model: options.model ?? 'gpt-image-1',
    pricer: options.pricer ?? defaultPricer(),
    pathPrefix,
    itemRateLimiter:
      options.itemRateLimiter ??
      createRateLimiter({
        store: createMemoryRateLimitStore(),
        algorithm: tokenBucket(1, Math.floor(60_000 / itemsPerMinute), itemsPerMinute),
        onStoreFailure: 'deny',
        prefix: 'relaykit:images',
      }),
    clientFor: async (context) => (client ? client : await modelAccess!.clientFor(context)),
    urlFor: async (path, storeUrl) => (options.publicUrl ? await options.publicUrl(path) : storeUrl),
    userSegment: (userId) =>
      /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(userId) && !userId.includes('..')
        ? userId
        : `u-${contentFingerprint(encoder.encode(userId))}`,
    record(context, input) {
      const usage = options.usage;
      if (!usage) return;
      context.waitUntil(
        usage
          .recordUsage({ ...input, userId: context.userId, kind: 'image' })
          .catch((error: unknown) => options.onUnexpectedError?.(error)),
      );
    },
    recordFailure(context, model, error, metadata) {
      const failure = failedUsageOf(error);
      // The request id the answer carried (`metadata.request_id`), so the dashboard's recent error names it.
      const requestId = context.requestId ? { request_id: context.requestId } : {};
      if (failure) this.record(context, { model, ...failure, metadata: { ...metadata, ...requestId } });
    },
  };
}

function generateServer(runtime: ImageRuntime): ChatKitServerLike<AdapterContext> {
  return {
    async handle(request, context) {
      const body = validateBody(GenerateImageBody, parseJsonBody(await request.text()));
      const model = body.model ?? runtime.model;
      checkImageOptions({ model, ...body });
      const client = await runtime.clientFor(context);
      let image: Awaited<ReturnType<typeof generateImage>>;
      try {
        image = await generateImage({
          client,
          prompt: body.prompt,
          model,
          ...(body.size ? { size: body.size } : {}),
          ...(body.quality ? { quality: body.quality } : {}),
          user: context.userId,
          signal: request.signal,
          pricer: runtime.pricer,
        });
      } catch (error) {
        runtime.recordFailure(context, model, error);
        throw error;
      }
      const id = crypto.randomUUID();
      const createdAt = new Date();
      const target = {
        entity: `${runtime.pathPrefix}/${runtime.userSegment(context.userId)}`,
        id,
        now: createdAt.getTime(),
      };
      // The call is paid once the provider answered: record it before storing, so a failed store is still metered.
      // The path is the one storeImage derives from the same entity, id, bytes and time.
      const path = versionedImagePath({
        entity: target.entity,
        id,
        bytes: image.bytes,
        extension: image.extension,
        at: target.now,
      });
      runtime.record(context, {
        model,
        usage: image.usage,
        cost: image.cost,
        metadata: { image_id: id, path },
      });
      const stored = await storeImage({ store: runtime.options.blobs, image, ...target });
      const costMicros = image.cost.status === 'priced' ? image.cost.costMicros : undefined;
      const answer: GenerateImageResponse = {
        image: {
          id,
          url: await runtime.urlFor(stored.path, stored.url),
          path: stored.path,
          model,
          prompt: body.prompt,
          size: `${stored.width}x${stored.height}`,
          createdAt: createdAt.toISOString(),
        },
        usage: imageUsageJSON(image.usage, costMicros),
      };
      return jsonResponse(answer);
    },
  };
}

/**
 * The framework-free image endpoints both adapters serve. `generate` makes one image, stores it under a new
 * versioned path and answers `{ image, usage }`; `batch` streams `start`, one `progress` per item state change,
 * then `done` (or a fatal `error`) as SSE. Both share the adapters' pipeline: 401 unauthenticated, 413 over the
 * body cap, 400 with zod issues, 429 with `Retry-After` when `rateLimiter` denies, provider errors mapped by
 * `errorResponse`. A client disconnect cancels a batch's remaining items.
 */
export function createImageHandlers(options: ImageHandlersOptions): ImageHandlers {
  const authenticate = resolveAuthenticator(options?.auth, 'createImageHandlers');
  const servers = createImageServers(options);
  const guarded = (server: ChatKitServerLike<AdapterContext>) =>
    createGuardedHandler<AdapterContext>({
      server,
      authenticate,
      ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
      ...(options.rateLimiter ? { rateLimiter: options.rateLimiter } : {}),
      ...(options.waitUntil ? { waitUntil: options.waitUntil } : {}),
      ...(options.onUnexpectedError ? { onUnexpectedError: options.onUnexpectedError } : {}),
    });
  return { generate: guarded(servers.generate), batch: guarded(servers.batch) };
}

/**
 * The image endpoints without auth, body cap or rate limit: for adapters that run their own pipeline
 * ({@link createGuardedHandler}, `createEdgeHandler`), which must hand them a JSON-checked body and the
 * {@link AdapterContext}. Configuration errors (no `blobs`, no client) throw here, at startup.
 */
export function createImageServers(options: ImageServerOptions): ImageServers {
  const runtime = createRuntime(options);
  const generate = generateServer(runtime);
  const batch: ChatKitServerLike<AdapterContext> = {
    handle: (request, context) => createBatchStream(runtime, request, context),
  };
  const router: ChatKitServerLike<AdapterContext> = {
    handle: (request, context) =>
      (new URL(request.url).pathname.replace(/\/+$/, '').endsWith('/batch') ? batch : generate).handle(
        request,
        context,
      ),
  };
  return { generate, batch, router };
}
