import type { ChatKitStore } from '@relaykit/chatkit-store';
import {
  isHiddenThreadItem,
  isRelayKitError,
  type ThreadItem,
  type ThreadMetadata,
  ThreadStreamEvent,
  type ThreadStreamEventInput,
  toWireThread,
} from '@relaykit/sse-protocol';
import { knownRunError } from '../models/provider-errors';
import { applyItemUpdate } from './apply-update';
import { CANCELLED_STREAM_CONTEXT, type ChatKitHandlerEvents, INCOMPLETE_REPLY_CONTEXT } from './types';

/** Thrown inside the pipeline when the run was aborted (client disconnect or stop). */
export class PipelineAborted extends Error {
  constructor() {
    super('The ChatKit stream was cancelled.');
    this.name = 'PipelineAborted';
  }
}

export interface PipelineOptions<TContext> {
  store: ChatKitStore<TContext>;
  context: TContext;
  thread: ThreadMetadata;
  signal: AbortSignal;
  now: () => Date;
  /** `stream_options`, sent first (a function is called when the stream starts). */
  streamOptions: { allow_cancel: boolean } | (() => { allow_cancel: boolean });
  /** Events already persisted, sent before `stream_options` (`thread.created`, the user message). */
  prefix?: readonly ThreadStreamEventInput[] | undefined;
  /** After the cancellation save the stream just ends, instead of throwing {@link PipelineAborted}. */
  endOnAbort?: boolean;
  /**
   * Check each event against the ChatKit schema (a custom responder's output). Off for translator-built events, which
   * are typed already: the incoming request is validated at the boundary, the outgoing events are trusted.
   */
  validateEvents?: boolean;
  onError?: (error: unknown, context: TContext) => void;
  /** Awaited once with the error that failed the run (not a cancellation), before its `error` event is sent. */
  onFailure?: (error: unknown) => Promise<void>;
}

/** The thread fields a responder may change, by reference: comparing them is cheap, serializing them is not. */
function threadRefs(thread: ThreadMetadata): readonly unknown[] {
  return [thread.title, thread.status, thread.metadata, thread.allowed_image_domains];
}

function sameRefs(a: readonly unknown[], b: readonly unknown[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function threadSnapshot(thread: ThreadMetadata): string {
  return JSON.stringify({
    title: thread.title ?? null,
    status: thread.status,
    metadata: thread.metadata,
    allowed_image_domains: thread.allowed_image_domains ?? null,
  });
}

/**
 * Pulls events one at a time and rejects the pending pull with {@link PipelineAborted} when `signal` aborts. One
 * abort listener serves the whole run (adding and removing one per event showed up in profiles at 200 streams).
 */
function abortablePuller<T>(iterator: AsyncIterator<T>, signal: AbortSignal) {
  let rejectPending: ((error: unknown) => void) | undefined;
  const onAbort = () => rejectPending?.(new PipelineAborted());
  signal.addEventListener('abort', onAbort, { once: true });
  return {
    next(): Promise<IteratorResult<T>> {
      if (signal.aborted) return Promise.reject(new PipelineAborted());
      return new Promise((resolve, reject) => {
        rejectPending = reject;
        iterator.next().then(resolve, reject);
      });
    },
    dispose(): void {
      rejectPending = undefined;
      signal.removeEventListener('abort', onAbort);
    },
  };
}

function isFastTextDelta(event: ThreadStreamEventInput): boolean {
  if (event.type !== 'thread.item.updated') return false;
  const update = (event as { update?: { type?: unknown; delta?: unknown; content_index?: unknown } }).update;
  return (
    update?.type === 'assistant_message.content_part.text_delta' &&
    typeof update.delta === 'string' &&
    Number.isInteger(update.content_index)
  );
}

const RUN_ERROR = Symbol('relaykit.runError');

/**
 * The error a run failed with, carried by the `error` event it became (that event's wire form has only `stream.error`
 * or `custom`): lets the simple stream report the error's own `code`. Kept under a symbol, so it is never serialized.
 */
export function runErrorOf(event: ThreadStreamEventInput): unknown {
  return (event as { [RUN_ERROR]?: unknown })[RUN_ERROR];
}

/** The `error` event a handler failure becomes (docs/specs/chatkit-protocol.md §6.5). */
export function errorEventFor(failure: unknown): ThreadStreamEvent {
  const error = knownRunError(failure) ?? failure;
  if (isRelayKitError(error) && (error.code === 'rate_limited' || error.code === 'quota_exceeded')) {
    return { type: 'error', code: 'custom', message: error.message, allow_retry: true };
  }
  if (isRelayKitError(error) && error.code === 'content_policy') {
    return { type: 'error', code: 'custom', message: error.message, allow_retry: false };
  }
  if (isRelayKitError(error) && error.retryable === false) {
    return { type: 'error', code: 'stream.error', allow_retry: false };
  }
  return { type: 'error', code: 'stream.error', allow_retry: true };
}

/**
 * The event pipeline (docs/specs/chatkit-protocol.md §6): `stream_options` first, persistence on done/removed/replaced, pending copies with
 * updates applied, `thread.updated` after thread changes, and on abort the cancellation save (partial assistant
 * text + the hidden "cancelled" context), after which it throws {@link PipelineAborted}. A handler error (a provider
 * stream that broke or timed out) keeps the partial assistant text too: it is saved with the hidden "incomplete"
 * context, sent as `thread.item.done`, and the stream ends with the `error` event ({@link errorEventFor}).
 */
export async function* runPipeline<TContext>(
  source: ChatKitHandlerEvents | (() => ChatKitHandlerEvents),
  options: PipelineOptions<TContext>,
): AsyncGenerator<ThreadStreamEventInput, void, undefined> {
  const { store, context, thread, signal } = options;
  const validate = options.validateEvents ?? true;
  const pending = new Map<string, ThreadItem>();
  let snapshot = threadSnapshot(thread);
  let refs = threadRefs(thread);

  /**
   * Saves the thread and answers its `thread.updated` event when it changed since the last check, else null. During
   * the run a change is seen when a field was reassigned (`thread.title = …`, `thread.metadata = { … }`), which costs
   * no serialization; `full` (the end of the run) also serializes, to catch changes made in place.
   */
  async function threadChanged(full = false): Promise<ThreadStreamEventInput | null> {
    const currentRefs = threadRefs(thread);
    if (!full && sameRefs(currentRefs, refs)) return null;
    refs = currentRefs;
    const current = threadSnapshot(thread);
    if (current === snapshot) return null;
    await store.saveThread(thread, context);
    snapshot = current;
    return {
      type: 'thread.updated',
      thread: toWireThread({ ...thread, items: { data: [], has_more: false } }) as never,
    };
  }

  if (options.prefix) for (const event of options.prefix) yield event;
  const streamOptions = options.streamOptions;
  yield {
    type: 'stream_options',
    stream_options: typeof streamOptions === 'function' ? streamOptions() : streamOptions,
  };
  const iterator = (typeof source === 'function' ? source() : source)[Symbol.asyncIterator]();
  const puller = abortablePuller(iterator, signal);
  try {
    for (;;) {
      const result = await puller.next();
      if (result.done) break;
      let event = result.value;
      if (isFastTextDelta(event)) {
        const delta = event as unknown as { item_id: string; update: never };
        const item = pending.get(delta.item_id);
        const update = delta.update;
        if (item) applyItemUpdate(item, update);
        // A text delta changes no thread field worth a check: it is sent as it came.
        yield event;
        continue;
      }
      let normalized = event as ThreadStreamEvent;
      if (validate) {
        const parsed = ThreadStreamEvent.safeParse(event);
        if (!parsed.success) {
          throw new TypeError(`The handler yielded an invalid "${String(event?.type)}" event.`, {
            cause: parsed.error,
          });
        }
        normalized = parsed.data;
        event = normalized;
      }
      switch (normalized.type) {
        case 'thread.item.added':
          pending.set(normalized.item.id, structuredClone(normalized.item));
          break;
        case 'thread.item.done':
          await store.addThreadItem(thread.id, normalized.item, context);
          pending.delete(normalized.item.id);
          break;
        case 'thread.item.removed':
          await store.deleteThreadItem(thread.id, normalized.item_id, context);
          pending.delete(normalized.item_id);
          break;
        case 'thread.item.replaced':
          await store.saveItem(thread.id, normalized.item, context);
          pending.delete(normalized.item.id);
          break;
        case 'thread.item.updated': {
          const item = pending.get(normalized.item_id);
          if (item) applyItemUpdate(item, normalized.update);
          break;
        }
        default:
          break;
      }
      if (normalized.type === 'thread.item.done' && isHiddenThreadItem(normalized.item)) {
        const updated = await threadChanged();
        if (updated) yield updated;
        continue;
      }
      yield event;
      const updated = await threadChanged();
      if (updated) yield updated;
    }
  } catch (error) {
    if (error instanceof PipelineAborted || signal.aborted) {
      iterator.return?.()?.catch(() => {});
      await savePartialReplies(options, pending, CANCELLED_STREAM_CONTEXT, true);
      if (options.endOnAbort) return;
      throw new PipelineAborted();
    }
    // The source may still be running (the failure was the store's): end it, so no model call goes on unseen.
    iterator.return?.()?.catch(() => {});
    options.onError?.(error, context);
    await options.onFailure?.(error);
    // The text the user already saw is kept (marked incomplete for the model) and closed for the client too.
    let kept: ThreadItem[] = [];
    try {
      kept = await savePartialReplies(options, pending, INCOMPLETE_REPLY_CONTEXT, false);
    } catch (saveError) {
      // A store that just failed the run fails this save too: that outage is logged once, above.
      if (!isStoreFailure(error)) options.onError?.(saveError, context);
    }
    for (const item of kept) yield { type: 'thread.item.done', item };
    yield Object.assign(errorEventFor(error), { [RUN_ERROR]: error });
  } finally {
    puller.dispose();
  }
  const updated = await threadChanged(true);
  if (updated) yield updated;
}

/** Whether a run failed because its store did (the cancellation save would fail the same way). */
function isStoreFailure(error: unknown): boolean {
  return isRelayKitError(error) && (error.code === 'store_unavailable' || error.code === 'store_error');
}

/**
 * Saves every pending `assistant_message` with some text, then the hidden `marker` context (always when `alwaysMark`,
 * else only when a message was kept). Answers the saved messages. Used on cancellation and on a failed run.
 */
async function savePartialReplies<TContext>(
  options: PipelineOptions<TContext>,
  pending: Map<string, ThreadItem>,
  marker: string,
  alwaysMark: boolean,
): Promise<ThreadItem[]> {
  const { store, context, thread } = options;
  const kept: ThreadItem[] = [];
  for (const item of pending.values()) {
    if (item.type !== 'assistant_message') continue;
    if (!item.content.some((part) => part.text.trim() !== '')) continue;
    kept.push(item);
  }
  pending.clear();
  if (!alwaysMark && kept.length === 0) return kept;
  const marked: ThreadItem = {
    type: 'sdk_hidden_context',
    id: store.generateItemId('sdk_hidden_context', thread, context),
    thread_id: thread.id,
    created_at: options.now().toISOString(),
    content: marker,
  };
  // One transaction: the partial answer and its marker are saved together or not at all.
  await store.addThreadItems(thread.id, [...kept, marked], [], context);
  return kept;
}
