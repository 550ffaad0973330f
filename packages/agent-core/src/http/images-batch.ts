import { type BatchEvent, generateBatch, type ImagePricer } from '@relaykit/image-gen';
import { encodeEvent, isRelayKitError, RequestError, sseResponse } from '@relaykit/sse-protocol';
import { failedUsageFields } from '../usage/failure-row';
import { parseJsonBody, validateBody } from './body';
import type { AdapterContext } from './guard';
import type { ImageJSON, ImageRuntime } from './images';
import { batchItemIds, batchPromptProblem, checkImageOptions, ImageBatchBody } from './images-body';

/** The state of one batch item as the `progress` and `done` events carry it. */
export interface ImageBatchItemJSON {
  /** The item's position in the request. */
  index: number;
  /** The item's id (the one sent, or `item-<index>`). */
  id: string;
  status: 'succeeded' | 'failed' | 'retrying';
  image?: ImageJSON;
  /** Why it failed (or why it is being retried). */
  error?: { code: string; message: string };
}

/** The counts every batch event after `start` carries. */
export interface ImageBatchCounts {
  batchId: string;
  total: number;
  /** Items stored so far. */
  completed: number;
  /** Items that failed for good. */
  failed: number;
}

/** The SSE events of the batch route, by `event:` name. */
export interface ImageBatchEvents {
  start: { batchId: string; total: number };
  progress: ImageBatchCounts & { item: ImageBatchItemJSON };
  done: ImageBatchCounts & { items: ImageBatchItemJSON[] };
  error: { code: string; message: string };
}

const encoder = new TextEncoder();

function frame<TName extends keyof ImageBatchEvents>(name: TName, data: ImageBatchEvents[TName]): Uint8Array {
  return encoder.encode(encodeEvent({ event: name, data: JSON.stringify(data) }));
}

/** An item the batch never finished (the run was cancelled): failed with `cancelled`. */
function unfinished(index: number, id: string): ImageBatchItemJSON {
  return { index, id, status: 'failed', error: { code: 'cancelled', message: 'The batch was cancelled.' } };
}

function tooMany(max: number, count: number): RequestError {
  return new RequestError('invalid_request', 'The request body is invalid.', {
    details: {
      issues: [
        { code: 'too_big', path: ['items'], message: `At most ${max} items per batch (got ${count}).` },
      ],
    },
  });
}

/**
 * Validates a batch request, then answers its SSE stream. Everything that can be refused is refused before the
 * stream starts (400, configuration); after that, item failures are `progress` events and only an unexpected
 * failure ends the stream with `error`. Cancelling the body (client disconnect) aborts the remaining items.
 */
export async function createBatchStream(
  runtime: ImageRuntime,
  request: Request,
  context: AdapterContext,
): Promise<Response> {
  const { options } = runtime;
  const body = validateBody(ImageBatchBody, parseJsonBody(await request.text()));
  const maxItems = Math.min(options.maxBatchSize ?? 100, 100);
  if (body.items.length > maxItems) throw tooMany(maxItems, body.items.length);
  const model = body.model ?? runtime.model;
  checkImageOptions({ model, ...body });
  const ids = batchItemIds(body.items);
  // Each prompt is checked on its own: a bad one fails its item with the reason, the others run.
  const rejected: ImageBatchItemJSON[] = [];
  const accepted: number[] = [];
  body.items.forEach((item, index) => {
    const problem = batchPromptProblem(item.prompt);
    if (problem === undefined) accepted.push(index);
    else
      rejected.push({
        index,
        id: ids[index]!,
        status: 'failed',
        error: { code: 'invalid_request', message: problem },
      });
  });
  const client = await runtime.clientFor(context);

  const batchId = crypto.randomUUID();
  const abort = new AbortController();
  const indexOf = new Map(ids.map((id, index) => [id, index]));
  const states: Array<ImageBatchItemJSON | undefined> = ids.map(() => undefined);
  const dimensions = new Map<string, string>();
  const pricer: ImagePricer = {
    cost(usageModel, usage) {
      const cost = runtime.pricer.cost(usageModel, usage);
      runtime.record(context, { model: usageModel, usage, cost, metadata: { batch_id: batchId } });
      return cost;
    },
  };
  const run = generateBatch(
    accepted.map((index) => ({
      id: ids[index]!,
      prompt: body.items[index]!.prompt.trim(),
      user: context.userId,
    })),
    {
      client,
      store: options.blobs,
      entity: `${runtime.pathPrefix}/${runtime.userSegment(context.userId)}/${batchId}`,
      onStored: (stored) => {
        dimensions.set(stored.id, `${stored.width}x${stored.height}`);
      },
      concurrency: body.concurrency ?? options.concurrency ?? 2,
      rateLimiter: runtime.itemRateLimiter,
      user: context.userId,
      retries: options.retries ?? 2,
      backoff: { baseMs: options.backoff?.baseMs ?? 1_000, maxMs: options.backoff?.maxMs ?? 30_000 },
      signal: abort.signal,
      model,
      ...(body.size ? { size: body.size } : {}),
      ...(body.quality ? { quality: body.quality } : {}),
      pricer,
    },
  );
  context.waitUntil(run.report);

  const toItem = async (event: BatchEvent): Promise<ImageBatchItemJSON | undefined> => {
    const index = indexOf.get(event.id)!;
    if (event.type === 'stored') {
      const image: ImageJSON = {
        id: crypto.randomUUID(),
        url: await runtime.urlFor(event.path, event.url),
        path: event.path,
        model,
        prompt: body.items[index]!.prompt,
        size: dimensions.get(event.id) ?? body.size ?? 'auto',
        createdAt: new Date(event.at).toISOString(),
      };
      return { index, id: event.id, status: 'succeeded', image };
    }
    if (event.type === 'failed' || event.type === 'retrying') {
      const error = { code: event.error.code, message: event.error.message };
      const failure = event.type === 'failed' ? failedUsageFields(error) : undefined;
      if (failure)
        runtime.record(context, { model, ...failure, metadata: { batch_id: batchId, item_id: event.id } });
      return { index, id: event.id, status: event.type === 'failed' ? 'failed' : 'retrying', error };
    }
    return undefined;
  };

  let closed = false;
  const pump = async (controller: ReadableStreamDefaultController<Uint8Array>) => {
    const send = (chunk: Uint8Array) => {
      if (!closed) controller.enqueue(chunk);
    };
    try {
      send(frame('start', { batchId, total: ids.length }));
      for (const [position, item] of rejected.entries()) {
        states[item.index] = item;
        send(frame('progress', { batchId, total: ids.length, completed: 0, failed: position + 1, item }));
      }
      for await (const event of run) {
        if (closed) break;
        const item = await toItem(event);
        if (!item) continue;
        states[item.index] = item;
        send(
          frame('progress', {
            batchId,
            total: ids.length,
            completed: event.counts.stored,
            failed: event.counts.failed + rejected.length,
            item,
          }),
        );
      }
      const report = await run.report;
      const items = states.map((state, index) =>
        state === undefined || state.status === 'retrying' ? unfinished(index, ids[index]!) : state,
      );
      send(
        frame('done', {
          batchId,
          total: ids.length,
          completed: report.counts.stored,
          failed: items.filter((item) => item.status === 'failed').length,
          items,
        }),
      );
    } catch (error) {
      abort.abort(error);
      const known = isRelayKitError(error) ? error : undefined;
      if (!known) options.onUnexpectedError?.(error);
      send(
        frame('error', {
          code: known?.code ?? 'internal',
          message: known?.message ?? 'Internal server error.',
        }),
      );
    }
    if (!closed) {
      closed = true;
      controller.close();
    }
  };
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      void pump(controller);
    },
    cancel(reason) {
      closed = true;
      abort.abort(reason);
    },
  });
  return sseResponse(source, { signal: request.signal });
}
