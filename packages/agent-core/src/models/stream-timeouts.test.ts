import type { Model, ModelRequest, StreamEvent } from '@openai/agents';
import { isRelayKitError } from '@relaykit/sse-protocol';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_STREAM_TIMEOUTS, withModelStreamTimeouts } from './stream-timeouts';

const event = (delta: string) => ({ type: 'output_text_delta', delta }) as StreamEvent;

/** A model whose stream yields `events`, then (with `hang`) waits until its request signal aborts. */
function scriptedModel(events: StreamEvent[], options: { hang?: boolean; fail?: unknown } = {}) {
  const seen: { signal?: AbortSignal | undefined } = {};
  const model = {
    extra: 'kept',
    getResponse: async () => {
      throw new Error('not used');
    },
    async *getStreamedResponse(request: ModelRequest) {
      seen.signal = request.signal;
      for (const item of events) yield item;
      if (options.fail) throw options.fail;
      if (options.hang)
        await new Promise((_resolve, reject) =>
          request.signal?.addEventListener('abort', () => reject(request.signal?.reason), { once: true }),
        );
    },
  };
  return { model, seen };
}

async function collect(model: Model): Promise<{ events: StreamEvent[]; error: unknown }> {
  const events: StreamEvent[] = [];
  try {
    for await (const item of model.getStreamedResponse({} as ModelRequest)) events.push(item);
    return { events, error: undefined };
  } catch (error) {
    return { events, error };
  }
}

describe('withModelStreamTimeouts', () => {
  it('passes a healthy stream through and keeps the provider and model members', async () => {
    const { model } = scriptedModel([event('a'), event('b')]);
    const provider = withModelStreamTimeouts({ getModel: () => model as unknown as Model });
    const wrapped = (await provider.getModel('m')) as Model & { extra: string };
    expect(wrapped.extra).toBe('kept');
    const { events, error } = await collect(wrapped);
    expect(error).toBeUndefined();
    expect(events).toEqual([event('a'), event('b')]);
  });

  it('ends a stream that goes quiet with a retryable timeout and aborts the provider request', async () => {
    const { model, seen } = scriptedModel([event('a')], { hang: true });
    const provider = withModelStreamTimeouts({ getModel: () => model as unknown as Model }, { idleMs: 50 });
    const { events, error } = await collect(await provider.getModel());
    expect(events).toEqual([event('a')]);
    expect(isRelayKitError(error) && error.code).toBe('timeout');
    expect(isRelayKitError(error) && error.retryable).toBe(true);
    expect((error as { details?: unknown }).details).toEqual({ phase: 'idle', timeoutMs: 50 });
    expect(seen.signal?.aborted).toBe(true);
  });

  it('ends a stream without a first event with the first-byte timeout', async () => {
    const { model } = scriptedModel([], { hang: true });
    const provider = withModelStreamTimeouts(
      { getModel: () => model as unknown as Model },
      { firstByteMs: 50 },
    );
    const { error } = await collect(await provider.getModel());
    expect((error as { details?: unknown }).details).toEqual({ phase: 'first_byte', timeoutMs: 50 });
  });

  it('maps a connection cut mid-stream to a retryable provider_unavailable, keeping API errors as they are', async () => {
    const cut = scriptedModel([event('a')], { fail: new TypeError('terminated') });
    const provider = withModelStreamTimeouts({ getModel: () => cut.model as unknown as Model });
    const { error } = await collect(await provider.getModel());
    expect(isRelayKitError(error) && error.code).toBe('provider_unavailable');
    expect(isRelayKitError(error) && error.retryable).toBe(true);
    expect((error as Error).message).not.toContain('terminated');

    const apiError = Object.assign(new Error('Rate limited'), { status: 429, headers: {}, error: {} });
    const limited = scriptedModel([], { fail: apiError });
    const again = withModelStreamTimeouts({ getModel: () => limited.model as unknown as Model });
    expect((await collect(await again.getModel())).error).toBe(apiError);
  });

  it('aborts the provider request when the consumer stops early', async () => {
    const { model, seen } = scriptedModel([event('a'), event('b')], { hang: true });
    const wrapped = await withModelStreamTimeouts({ getModel: () => model as unknown as Model }).getModel();
    for await (const _item of wrapped.getStreamedResponse({} as ModelRequest)) break;
    expect(seen.signal?.aborted).toBe(true);
  });

  it('rejects timeouts that are not positive integers; false turns one off', () => {
    const provider = { getModel: () => ({}) as Model };
    expect(() => withModelStreamTimeouts(provider, { idleMs: 0 })).toThrow(/idleMs/);
    expect(() => withModelStreamTimeouts(provider, { firstByteMs: 1.5 })).toThrow(/firstByteMs/);
    expect(() => withModelStreamTimeouts(provider, { firstByteMs: false, idleMs: false })).not.toThrow();
    expect(DEFAULT_MODEL_STREAM_TIMEOUTS.firstByteMs).toBeGreaterThanOrEqual(60_000);
  });
});
