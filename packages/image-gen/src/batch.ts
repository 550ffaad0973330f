import {
  isRelayKitError,
  ProviderError,
  type RelayKitError,
  type RelayKitErrorJSON,
  RequestError,
} from '@relaykit/sse-protocol';
import { createMemoryRateLimitStore, createRateLimiter, tokenBucket } from '@relaykit/usage-tracker';
import { type GeneratedImage, type GenerateImageOptions, generateImage } from './generate';
import { cancelledError, systemClock } from './internal/clock';
import type { BlobStore, Clock, ImagePricer, ImageRateLimiter, ImagesClient } from './ports';
import { type OnOrphanHook, type OnStoredHook, type StoredImage, storeImage } from './store-image';

/** One image of a batch: the row it belongs to and what to generate. */
export interface BatchItem {
  /** The row id (unique in the batch); the image is stored under `<entity>/<id>/`. */
  id: string;
  prompt: string;
  /** Rate-limit key for this item; default {@link GenerateBatchOptions.user}. */
  user?: string;
  model?: string;
  size?: string;
  quality?: string;
  background?: GenerateImageOptions['background'];
  outputFormat?: GenerateImageOptions['outputFormat'];
}

/** Progress counts carried by every event. */
export interface BatchCounts {
  total: number;
  /** Not started yet (or waiting for a retry). */
  pending: number;
  running: number;
  stored: number;
  failed: number;
  /** Stored by the previous run this one resumes. */
  skipped: number;
}

interface EventBase {
  id: string;
  counts: BatchCounts;
  /** Estimated ms until the batch finishes, from this run's throughput; undefined before the first item ends. */
  etaMs: number | undefined;
  /** Clock time of the event (epoch ms). */
  at: number;
}

/** A progress event of {@link generateBatch}. */
export type BatchEvent =
  | (EventBase & { type: 'queued' })
  | (EventBase & { type: 'started'; attempt: number })
  | (EventBase & { type: 'retrying'; attempt: number; delayMs: number; error: RelayKitErrorJSON })
  | (EventBase & {
      type: 'stored';
      attempts: number;
      path: string;
      url: string;
      costMicros: number | undefined;
    })
  | (EventBase & { type: 'failed'; attempts: number; error: RelayKitErrorJSON });

/** The outcome of one item. `pending` items were not finished (cancelled run) and run again on resume. */
export type BatchItemResult =
  | { id: string; status: 'stored'; path: string; url: string; attempts: number; costMicros?: number }
  | { id: string; status: 'failed'; attempts: number; error: RelayKitErrorJSON }
  | { id: string; status: 'pending'; attempts: number };

/** The final report of a batch; pass it as `previous` to resume. */
export interface BatchReport {
  entity: string;
  counts: BatchCounts;
  /** True when the signal aborted the run before every item finished. */
  cancelled: boolean;
  /** Retries made (provider calls and uploads tried again). */
  retries: number;
  /** Waits for the rate limiter. */
  rateLimitWaits: number;
  /** Sum of priced items' cost; items whose model is unpriced are counted in `unpricedItems`. */
  costMicros: number;
  unpricedItems: number;
  startedAt: number;
  finishedAt: number;
  elapsedMs: number;
  items: BatchItemResult[];
}

/** Options of {@link generateBatch}. */
export interface GenerateBatchOptions {
  client: ImagesClient;
  store: BlobStore;
  /** The kind of row, e.g. `students`. */
  entity: string;
  /** Runs after each upload (e.g. {@link supabaseRowUpdater}); a failure removes the upload and retries if retryable. */
  onStored?: OnStoredHook;
  onOrphan?: OnOrphanHook;
  /** Items in flight at once. Default 2. */
  concurrency?: number;
  /**
   * Consulted before every provider call with the item's user as key. Default: {@link GenerateBatchOptions.ratePerMinute}
   * per user as a token bucket (`createRateLimiter` + `tokenBucket(1, 60 s / rate, rate)` from
   * `@relaykit/usage-tracker`, in memory, on `clock`): a burst of `rate` calls, then one every `60 s / rate`.
   */
  rateLimiter?: ImageRateLimiter;
  /** Calls per minute per user for the default rate limiter. Default 5. */
  ratePerMinute?: number;
  /** Default rate-limit key. Default `anonymous`. */
  user?: string;
  /** Retries per item for retryable failures. Default 3. Policy refusals and bad input are never retried. */
  retries?: number;
  /** Exponential backoff with equal jitter: `min(maxMs, baseMs·2^(n-1))·(0.5 + random/2)`. Default 1 s / 60 s. */
  backoff?: { baseMs?: number; maxMs?: number };
  /** Random source in [0, 1) for jitter. Default `Math.random`. */
  random?: () => number;
  clock?: Clock;
  signal?: AbortSignal;
  /** The report of an earlier run of this batch: its stored items are skipped. */
  previous?: BatchReport;
  /** Default generation options for every item. */
  model?: string;
  size?: string;
  quality?: string;
  pricer?: ImagePricer;
  fetch?: typeof fetch;
  maxBytes?: number;
}

/** The shortest wait after a denial, so a limiter answering `retryAfterMs: 0` cannot spin the batch. */
const MIN_RATE_LIMIT_WAIT_MS = 100;

/**
 * A running batch: iterate it for progress events; `report` resolves when it ends (it never rejects). The batch runs
 * whether or not anyone iterates; events are buffered until read.
 */
export interface BatchRun extends AsyncIterable<BatchEvent> {
  readonly report: Promise<BatchReport>;
}

function toError(error: unknown): RelayKitError {
  if (isRelayKitError(error)) return error;
  return new ProviderError('provider_error', error instanceof Error ? error.message : String(error), {
    cause: error,
  });
}

function checkItems(items: readonly BatchItem[], options: GenerateBatchOptions): void {
  if (!Array.isArray(items))
    throw new RequestError('invalid_request', 'generateBatch needs an array of items');
  const seen = new Set<string>();
  for (const item of items) {
    if (typeof item?.id !== 'string' || item.id === '')
      throw new RequestError('invalid_request', 'every batch item needs a non-empty string id');
    if (seen.has(item.id))
      throw new RequestError('invalid_request', `duplicate batch item id ${item.id}`, {
        details: { id: item.id },
      });
    seen.add(item.id);
  }
  const concurrency = options.concurrency ?? 2;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new RequestError('invalid_request', 'concurrency must be an integer ≥ 1');
  const retries = options.retries ?? 3;
  if (!Number.isInteger(retries) || retries < 0)
    throw new RequestError('invalid_request', 'retries must be an integer ≥ 0');
  const rate = options.ratePerMinute ?? 5;
  if (!Number.isInteger(rate) || rate < 1 || rate > 60_000)
    throw new RequestError('invalid_request', 'ratePerMinute must be an integer between 1 and 60000');
  if (options.previous && options.previous.entity !== options.entity)
    throw new RequestError('invalid_request', 'previous report belongs to another entity');
}

/**
 * Generates and stores one image per item with bounded concurrency, a per-user rate limit, provider `retry-after`,
 * retries with backoff and jitter (never for policy refusals), and cancellation (finished items stay stored). One
 * failing item never stops the others. Resume by passing the previous report as `previous`.
 */
export function generateBatch(items: readonly BatchItem[], options: GenerateBatchOptions): BatchRun {
  checkItems(items, options);
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const concurrency = options.concurrency ?? 2;
  const maxRetries = options.retries ?? 3;
  const baseMs = options.backoff?.baseMs ?? 1_000;
  const maxMs = options.backoff?.maxMs ?? 60_000;
  const limiter =
    options.rateLimiter ??
    createRateLimiter({
      store: createMemoryRateLimitStore({ now: () => clock.now() }),
      algorithm: tokenBucket(
        1,
        Math.floor(60_000 / (options.ratePerMinute ?? 5)),
        options.ratePerMinute ?? 5,
      ),
      onStoreFailure: 'deny',
      prefix: 'relaykit:image-gen',
    });
  const signal = options.signal;

  const previousStored = new Map(
    (options.previous?.items ?? [])
      .filter(
        (result): result is Extract<BatchItemResult, { status: 'stored' }> => result.status === 'stored',
      )
      .map((result) => [result.id, result]),
  );
  const results = new Map<string, BatchItemResult>();
  const counts: BatchCounts = {
    total: items.length,
    pending: 0,
    running: 0,
    stored: 0,
    failed: 0,
    skipped: 0,
  };
  const startedAt = clock.now();
  let finishedThisRun = 0;
  let retries = 0;
  let rateLimitWaits = 0;
  let costMicros = 0;
  let unpricedItems = 0;

  // A small unbounded channel: the run pushes, the iterator pulls.
  const buffer: BatchEvent[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  const etaMs = () => {
    if (finishedThisRun === 0) return undefined;
    const perItem = (clock.now() - startedAt) / finishedThisRun;
    return Math.round(perItem * (counts.pending + counts.running));
  };
  const emit = (event: Record<string, unknown> & { type: BatchEvent['type']; id: string }) => {
    buffer.push({ ...event, counts: { ...counts }, etaMs: etaMs(), at: clock.now() } as BatchEvent);
    wake?.();
  };

  const work: BatchItem[] = [];
  for (const item of items) {
    const earlier = previousStored.get(item.id);
    if (earlier) {
      counts.skipped += 1;
      results.set(item.id, earlier);
    } else {
      counts.pending += 1;
      results.set(item.id, { id: item.id, status: 'pending', attempts: 0 });
      work.push(item);
    }
  }
  for (const item of work) emit({ type: 'queued', id: item.id });

  const backoff = (attempt: number) =>
    Math.round(Math.min(maxMs, baseMs * 2 ** (attempt - 1)) * (0.5 + random() / 2));

  async function waitForRateLimit(key: string): Promise<void> {
    for (;;) {
      const decision = await limiter.limit(key);
      if (decision.success) return;
      // A limiter whose store failed (and denies on failure) is a retryable failure of this item, not a wait.
      if (decision.storeError !== undefined) throw decision.storeError;
      rateLimitWaits += 1;
      await clock.sleep(Math.max(MIN_RATE_LIMIT_WAIT_MS, decision.retryAfterMs), signal);
    }
  }

  async function runItem(item: BatchItem): Promise<void> {
    let attempts = 0;
    let image: GeneratedImage | undefined;
    counts.pending -= 1;
    counts.running += 1;
    try {
      for (;;) {
        if (signal?.aborted) throw cancelledError(signal);
        attempts += 1;
        try {
          if (!image) {
            await waitForRateLimit(item.user ?? options.user ?? 'anonymous');
            emit({ type: 'started', id: item.id, attempt: attempts });
            image = await generateImage({
              client: options.client,
              prompt: item.prompt,
              ...pick(item, options),
              ...(signal ? { signal } : {}),
              ...(options.pricer ? { pricer: options.pricer } : {}),
              ...(options.fetch ? { fetch: options.fetch } : {}),
              ...(options.maxBytes ? { maxBytes: options.maxBytes } : {}),
              maxRetries: 0,
            });
          } else emit({ type: 'started', id: item.id, attempt: attempts });
          const stored: StoredImage = await storeImage({
            store: options.store,
            image,
            entity: options.entity,
            id: item.id,
            now: clock.now(),
            ...(options.onStored ? { onStored: options.onStored } : {}),
            ...(options.onOrphan ? { onOrphan: options.onOrphan } : {}),
          });
          const cost = image.cost.status === 'priced' ? image.cost.costMicros : undefined;
          if (cost === undefined) unpricedItems += 1;
          else costMicros += cost;
          counts.running -= 1;
          counts.stored += 1;
          finishedThisRun += 1;
          const result: BatchItemResult = {
            id: item.id,
            status: 'stored',
            path: stored.path,
            url: stored.url,
            attempts,
            ...(cost === undefined ? {} : { costMicros: cost }),
          };
          results.set(item.id, result);
          emit({
            type: 'stored',
            id: item.id,
            attempts,
            path: stored.path,
            url: stored.url,
            costMicros: cost,
          });
          return;
        } catch (caught) {
          const error = toError(caught);
          if (error.code === 'cancelled' || signal?.aborted) throw error;
          if (error.retryable && attempts <= maxRetries) {
            const delayMs = Math.max(error.retryAfterMs ?? 0, backoff(attempts));
            retries += 1;
            emit({ type: 'retrying', id: item.id, attempt: attempts, delayMs, error: error.toJSON() });
            await clock.sleep(delayMs, signal);
            continue;
          }
          counts.running -= 1;
          counts.failed += 1;
          finishedThisRun += 1;
          results.set(item.id, { id: item.id, status: 'failed', attempts, error: error.toJSON() });
          emit({ type: 'failed', id: item.id, attempts, error: error.toJSON() });
          return;
        }
      }
    } catch {
      // Cancelled: the item goes back to pending so a resumed run does it again.
      counts.running -= 1;
      counts.pending += 1;
      results.set(item.id, { id: item.id, status: 'pending', attempts });
    }
  }

  let next = 0;
  async function worker(): Promise<void> {
    while (next < work.length && !signal?.aborted) {
      const item = work[next++]!;
      await runItem(item);
    }
  }

  const report: Promise<BatchReport> = (async () => {
    await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, work.length)) }, worker));
    const finishedAt = clock.now();
    ended = true;
    wake?.();
    return {
      entity: options.entity,
      counts: { ...counts },
      cancelled: counts.pending > 0,
      retries,
      rateLimitWaits,
      costMicros,
      unpricedItems,
      startedAt,
      finishedAt,
      elapsedMs: finishedAt - startedAt,
      items: items.map((item) => results.get(item.id)!),
    };
  })();

  return {
    report,
    async *[Symbol.asyncIterator]() {
      for (;;) {
        if (buffer.length > 0) {
          yield buffer.shift()!;
          continue;
        }
        if (ended) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
    },
  };
}

function pick(item: BatchItem, options: GenerateBatchOptions) {
  const chosen: Partial<GenerateImageOptions> = {};
  const model = item.model ?? options.model;
  const size = item.size ?? options.size;
  const quality = item.quality ?? options.quality;
  if (model !== undefined) chosen.model = model;
  if (size !== undefined) chosen.size = size;
  if (quality !== undefined) chosen.quality = quality;
  if (item.background !== undefined) chosen.background = item.background;
  if (item.outputFormat !== undefined) chosen.outputFormat = item.outputFormat;
  if (item.user !== undefined || options.user !== undefined) chosen.user = item.user ?? options.user;
  return chosen;
}
