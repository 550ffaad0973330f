import type { Model, ModelProvider, ModelRequest, StreamEvent } from '@openai/agents';
import {
  ConfigurationError,
  isProviderApiError,
  isRelayKitError,
  ProviderError,
} from '@relaykit/sse-protocol';

/**
 * Timeouts of one streamed model call (the provider's stream of events, not the run: tool calls between two model
 * calls are not counted). A provider that goes quiet ends the call with a retryable `timeout` `ProviderError`.
 */
export interface ModelStreamTimeouts {
  /**
   * Milliseconds from the request until the stream's first event (status line and headers included). Default
   * 90 000. `false` turns it off. Raise it for models that think long before their first event on Chat Completions.
   */
  firstByteMs?: number | false;
  /**
   * Milliseconds allowed between two events of the stream. Default 120 000 (a Responses stream of a reasoning model can
   * be quiet while it reasons). `false` turns it off.
   */
  idleMs?: number | false;
}

/** The defaults of {@link ModelStreamTimeouts}: generous, so a loaded machine or a slow model is not cut off. */
export const DEFAULT_MODEL_STREAM_TIMEOUTS = { firstByteMs: 90_000, idleMs: 120_000 } as const;

/** The largest delay `setTimeout` accepts. */
const MAX_TIMER_MS = 2_147_483_647;

function checked(value: number | false | undefined, fallback: number, name: string): number | false {
  if (value === undefined) return fallback;
  if (value === false) return false;
  if (!Number.isInteger(value) || value < 1 || value > MAX_TIMER_MS)
    throw new ConfigurationError(`${name} must be false or an integer from 1 to ${MAX_TIMER_MS} (ms)`);
  return value;
}

/** The retryable error a timed-out model stream ends with (`phase` says which timeout fired). */
export function modelStreamTimeoutError(phase: 'first_byte' | 'idle', timeoutMs: number): ProviderError {
  return new ProviderError(
    'timeout',
    phase === 'first_byte'
      ? 'The model did not start answering in time.'
      : 'The model stopped answering mid-reply.',
    { retryable: true, details: { phase, timeoutMs } },
  );
}

/**
 * What a failure of the provider's stream becomes: RelayKit and OpenAI API errors as they are (mapped later by
 * `providerError`), anything else (a connection cut mid-stream: `terminated`, `ECONNRESET`, a truncated frame) a
 * retryable `provider_unavailable`, its cause kept for logs only.
 */
function streamFailure(error: unknown): unknown {
  if (isRelayKitError(error) || isProviderApiError(error)) return error;
  return new ProviderError('provider_unavailable', 'The connection to the model broke off mid-reply.', {
    retryable: true,
    cause: error,
  });
}

async function* watchedStream(
  model: Model,
  request: ModelRequest,
  firstByteMs: number | false,
  idleMs: number | false,
): AsyncGenerator<StreamEvent> {
  const controller = new AbortController();
  const outer = request.signal;
  const onAbort = () => controller.abort(outer?.reason);
  if (outer?.aborted) controller.abort(outer.reason);
  else outer?.addEventListener('abort', onAbort, { once: true });
  const iterator = model
    .getStreamedResponse({ ...request, signal: controller.signal })
    [Symbol.asyncIterator]();
  let first = true;
  let finished = false;
  // One timer per stream, not one per event: it is armed for the current limit and, when it fires, measures how long
  // the pending read has waited (re-arming for the rest, or for a whole limit while no read is pending).
  let timer: ReturnType<typeof setTimeout> | undefined;
  let waitingSince = -1;
  let failPending: ((error: unknown) => void) | undefined;
  const limitNow = () => (first ? firstByteMs : idleMs);
  const onTimer = () => {
    timer = undefined;
    const limit = limitNow();
    if (limit === false || finished) return;
    const waited = waitingSince < 0 ? 0 : Date.now() - waitingSince;
    if (waited < limit) {
      timer = setTimeout(onTimer, limit - waited);
      return;
    }
    const error = modelStreamTimeoutError(first ? 'first_byte' : 'idle', limit);
    // The pending read fails with the timeout; aborting the provider's request then ends that read (its rejection
    // is ignored: the read already failed).
    failPending?.(error);
    controller.abort(error);
  };
  const arm = () => {
    const limit = limitNow();
    if (timer === undefined && limit !== false) timer = setTimeout(onTimer, limit);
  };
  try {
    for (;;) {
      arm();
      waitingSince = Date.now();
      const result = await new Promise<IteratorResult<StreamEvent>>((resolve, reject) => {
        failPending = reject;
        iterator.next().then(resolve, (error: unknown) => {
          reject(outer?.aborted || controller.signal.aborted ? error : streamFailure(error));
        });
      });
      waitingSince = -1;
      failPending = undefined;
      if (result.done) {
        finished = true;
        return;
      }
      if (first) {
        // The idle limit starts now: the first-byte timer goes.
        first = false;
        if (timer !== undefined) clearTimeout(timer);
        timer = undefined;
      }
      yield result.value;
    }
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    outer?.removeEventListener('abort', onAbort);
    // Timed out, stopped early by the consumer, or failed: end the provider's request and its stream too.
    if (!finished) {
      finished = true;
      if (!controller.signal.aborted) controller.abort();
      iterator.return?.()?.catch(() => undefined);
    }
  }
}

/**
 * Wraps a model provider so that every streamed call of its models ends with a retryable `timeout`
 * {@link ProviderError} when the first event takes longer than `firstByteMs` or two events are further apart than
 * `idleMs` ({@link DEFAULT_MODEL_STREAM_TIMEOUTS} by default; the provider's request is aborted), and a stream whose
 * connection breaks off ends with a retryable `provider_unavailable` one. Non-streamed calls and everything else of
 * the provider and its models (retry advice, prompt selection) pass through unchanged.
 */
export function withModelStreamTimeouts(
  provider: ModelProvider,
  timeouts: ModelStreamTimeouts = {},
): ModelProvider {
  const firstByteMs = checked(timeouts.firstByteMs, DEFAULT_MODEL_STREAM_TIMEOUTS.firstByteMs, 'firstByteMs');
  const idleMs = checked(timeouts.idleMs, DEFAULT_MODEL_STREAM_TIMEOUTS.idleMs, 'idleMs');
  const wrap = (model: Model): Model =>
    new Proxy(model, {
      get(target, property, receiver) {
        if (property === 'getStreamedResponse')
          return (request: ModelRequest) => watchedStream(target, request, firstByteMs, idleMs);
        const value = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  const getModel = (modelName?: string) => {
    const model = provider.getModel(modelName);
    return model instanceof Promise ? model.then(wrap) : wrap(model);
  };
  return new Proxy(provider, {
    get(target, property, receiver) {
      if (property === 'getModel') return getModel;
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
