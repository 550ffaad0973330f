import OpenAI, { type APIError } from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { countInputTokens, countTokens, createFakeOpenAI, type FakeOpenAI, type FakeScript } from '../index';

let fake: FakeOpenAI | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(script?: FakeScript, apiKey?: string) {
  fake = await createFakeOpenAI({ ...(script ? { script } : {}), ...(apiKey ? { apiKey } : {}) });
  return new OpenAI({ apiKey: apiKey ?? 'test', baseURL: fake.url, maxRetries: 0 });
}

describe('POST /v1/responses through the openai SDK', () => {
  it('answers a non-streamed request with a completed Response and exact token usage', async () => {
    const client = await start({
      rules: [{ match: { lastUserText: 'capital' }, reply: { text: 'Paris is the capital.' } }],
    });
    const response = await client.responses.create({
      model: 'gpt-4.1',
      instructions: 'Be brief.',
      input: 'What is the capital of France?',
    });
    expect(response.object).toBe('response');
    expect(response.status).toBe('completed');
    expect(response.output_text).toBe('Paris is the capital.');
    expect(response.usage).toEqual({
      input_tokens: countInputTokens(['Be brief.', 'What is the capital of France?']),
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: countTokens('Paris is the capital.'),
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens:
        countInputTokens(['Be brief.', 'What is the capital of France?']) +
        countTokens('Paris is the capital.'),
    });
    expect(countTokens('Paris is the capital.')).toBe(countTokens('Paris is the capital.'));
    expect(countTokens('Paris is the capital.')).toBe(5);
  });

  it('streams the real event order with consecutive sequence numbers and full usage, without [DONE]', async () => {
    const client = await start({
      rules: [
        {
          reply: {
            text: 'Hello from the fake, token by token.',
            usage: { cachedTokens: 2, reasoningTokens: 7 },
          },
        },
      ],
    });
    const stream = await client.responses.create({ model: 'gpt-5', input: 'hi', stream: true });
    const types: string[] = [];
    const sequence: number[] = [];
    let text = '';
    let completed: OpenAI.Responses.Response | undefined;
    for await (const event of stream) {
      types.push(event.type);
      sequence.push(event.sequence_number);
      if (event.type === 'response.output_text.delta') text += event.delta;
      if (event.type === 'response.completed') completed = event.response;
    }
    const deltas = types.filter((type) => type === 'response.output_text.delta').length;
    expect(deltas).toBe(countTokens('Hello from the fake, token by token.'));
    expect(types.filter((type) => type !== 'response.output_text.delta')).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(sequence).toEqual(sequence.map((_, index) => index));
    expect(text).toBe('Hello from the fake, token by token.');
    expect(completed?.status).toBe('completed');
    expect(completed?.output[0]).toMatchObject({ type: 'message', status: 'completed', role: 'assistant' });
    expect(completed?.usage?.input_tokens_details.cached_tokens).toBe(2);
    expect(completed?.usage?.output_tokens_details.reasoning_tokens).toBe(7);
    expect(completed?.usage?.output_tokens).toBe(countTokens('Hello from the fake, token by token.') + 7);
    const raw = await fetch(`${fake!.url}/responses`, {
      method: 'POST',
      headers: { authorization: 'Bearer test', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-5', input: 'hi', stream: true }),
    });
    const body = await raw.text();
    expect(raw.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(body.startsWith('event: response.created\ndata: {')).toBe(true);
    expect(body).not.toContain('[DONE]');
    expect(body.trimEnd().split('\n\n').at(-1)).toMatch(/^event: response\.completed\n/);
  });

  it('streams parallel function calls with argument deltas, and a refusal', async () => {
    const client = await start({
      rules: [
        {
          replies: [
            {
              toolCalls: [
                { name: 'get_weather', arguments: { city: 'Paris' }, callId: 'call_a' },
                { name: 'get_time', arguments: { zone: 'Europe/Paris' }, callId: 'call_b' },
              ],
            },
            { refusal: "I can't help with that.", text: 'But here is something else.' },
          ],
        },
      ],
    });
    const stream = await client.responses.create({
      model: 'gpt-4.1',
      input: 'weather and time',
      stream: true,
    });
    const argumentDeltas: Record<number, string> = {};
    let final: OpenAI.Responses.Response | undefined;
    for await (const event of stream) {
      if (event.type === 'response.function_call_arguments.delta')
        argumentDeltas[event.output_index] = (argumentDeltas[event.output_index] ?? '') + event.delta;
      if (event.type === 'response.completed') final = event.response;
    }
    expect(argumentDeltas).toEqual({ 0: '{"city":"Paris"}', 1: '{"zone":"Europe/Paris"}' });
    expect(final?.output.map((item) => item.type === 'function_call' && [item.name, item.call_id])).toEqual([
      ['get_weather', 'call_a'],
      ['get_time', 'call_b'],
    ]);

    const refusal = await client.responses.create({
      model: 'gpt-4.1',
      input: 'again',
      previous_response_id: final!.id,
    });
    const message = refusal.output[0] as OpenAI.Responses.ResponseOutputMessage;
    expect(message.content).toEqual([
      { type: 'refusal', refusal: "I can't help with that." },
      { type: 'output_text', annotations: [], logprobs: [], text: 'But here is something else.' },
    ]);
    expect(refusal.previous_response_id).toBe(final!.id);
  });

  it('retrieves a stored response, resumes its stream after a sequence number, and deletes it', async () => {
    const client = await start({ rules: [{ reply: { text: 'resume me, please' } }] });
    const live: OpenAI.Responses.ResponseStreamEvent[] = [];
    for await (const event of await client.responses.create({ model: 'gpt-4.1', input: 'x', stream: true }))
      live.push(event);
    const id = (live[0] as OpenAI.Responses.ResponseCreatedEvent).response.id;
    const retrieved = await client.responses.retrieve(id);
    expect(retrieved.output_text).toBe('resume me, please');
    expect(retrieved.status).toBe('completed');
    const resumed: OpenAI.Responses.ResponseStreamEvent[] = [];
    for await (const event of await client.responses.retrieve(id, { stream: true, starting_after: 3 }))
      resumed.push(event);
    expect(resumed).toEqual(live.slice(4));
    expect(resumed[0]!.sequence_number).toBe(4);
    await client.responses.delete(id);
    await expect(client.responses.retrieve(id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('rejects an unknown previous_response_id with the real 400 error shape', async () => {
    const client = await start();
    const error = await client.responses
      .create({ model: 'gpt-4.1', input: 'x', previous_response_id: 'resp_missing' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as APIError).code).toBe('previous_response_not_found');
    expect((error as APIError).param).toBe('previous_response_id');
  });

  it('gives a deterministic, clearly labelled offline reply without a script', async () => {
    const client = await start();
    const first = await client.responses.create({ model: 'gpt-4.1', input: 'Plan my trip' });
    const second = await client.responses.create({ model: 'gpt-4.1', input: 'Plan my trip' });
    expect(first.output_text).toMatch(/^\[offline demo model\]/);
    expect(first.output_text).toContain('offline fake OpenAI model');
    expect(first.output_text).toContain('Plan my trip');
    expect(second.output_text).toBe(first.output_text);
    expect(second.usage).toEqual(first.usage);
  });

  it('retries a scripted 429 honouring retry-after-ms, with rate-limit headers', async () => {
    fake = await createFakeOpenAI({
      script: {
        rules: [{ replies: [{ error: { status: 429, retryAfterMs: 300 } }, { text: 'ok after retry' }] }],
      },
    });
    const client = new OpenAI({ apiKey: 'test', baseURL: fake.url, maxRetries: 2 });
    const started = performance.now();
    const response = await client.responses.create({ model: 'gpt-4.1', input: 'hi' });
    expect(response.output_text).toBe('ok after retry');
    expect(fake.calls).toHaveLength(2);
    const waited = fake.calls[1]!.receivedAt - fake.calls[0]!.receivedAt;
    expect(waited).toBeGreaterThanOrEqual(300);
    expect(performance.now() - started).toBeGreaterThanOrEqual(300);
    expect(fake.calls.map((call) => call.headers['x-stainless-retry-count'])).toEqual(['0', '1']);

    const raw = await fetch(`${fake.url}/responses`, {
      method: 'POST',
      headers: { authorization: 'Bearer test', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(raw.headers.get('x-request-id')).toMatch(/^req_/);
    expect(raw.headers.get('x-ratelimit-limit-requests')).toBe('10000');
  });

  it('surfaces a scripted 401, 500 and 503 as the SDK error classes with the error body', async () => {
    const client = await start({
      rules: [
        {
          replies: [
            { error: { status: 401 } },
            { error: { status: 500 } },
            { error: { status: 503, headers: { 'x-should-retry': 'false' } } },
          ],
        },
      ],
    });
    const caught = async () =>
      client.responses.create({ model: 'gpt-4.1', input: 'x' }).catch((error: unknown) => error);
    const unauthorized = (await caught()) as APIError;
    expect(unauthorized).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(unauthorized.code).toBe('invalid_api_key');
    expect(unauthorized.requestID).toMatch(/^req_/);
    expect(await caught()).toBeInstanceOf(OpenAI.InternalServerError);
    const overloaded = (await caught()) as APIError;
    expect(overloaded.status).toBe(503);
    expect(overloaded.error).toEqual({
      message: 'The server is overloaded or not ready yet.',
      type: 'service_unavailable_error',
      param: null,
      code: 'server_is_overloaded',
    });
  });

  it('surfaces a mid-stream dropped connection as an SDK error', async () => {
    const client = await start({
      rules: [{ reply: { text: 'one two three four five six', faults: { dropAfter: 2 } } }],
    });
    const stream = await client.responses.create({ model: 'gpt-4.1', input: 'x', stream: true });
    const seen: string[] = [];
    const error = await (async () => {
      for await (const event of stream) seen.push(event.type);
    })().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(seen.filter((type) => type === 'response.output_text.delta')).toHaveLength(2);
    expect(seen).not.toContain('response.completed');
  });

  it('sends an error event mid-stream that the SDK throws as APIError', async () => {
    const client = await start({
      rules: [{ reply: { text: 'one two three', faults: { errorEventAfter: 1 } } }],
    });
    const stream = await client.responses.create({ model: 'gpt-4.1', input: 'x', stream: true });
    const error = await (async () => {
      for await (const _event of stream) {
        // drain
      }
    })().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as APIError).status).toBeUndefined();
  });

  it('stalls mid-stream after N deltas until the client gives up (stallAfter)', async () => {
    const client = await start({
      rules: [{ reply: { text: 'one two three four', faults: { stallAfter: 2 } } }],
    });
    const abort = new AbortController();
    const stream = await client.responses.create(
      { model: 'gpt-4.1', input: 'x', stream: true },
      { signal: abort.signal },
    );
    const seen: string[] = [];
    await (async () => {
      for await (const event of stream) {
        seen.push(event.type);
        // The client's idle timeout, after the second delta: nothing else arrives meanwhile.
        if (seen.filter((type) => type === 'response.output_text.delta').length === 2)
          setTimeout(() => abort.abort(), 100);
      }
    })().catch(() => undefined);
    expect(abort.signal.aborted).toBe(true);
    expect(seen.filter((type) => type === 'response.output_text.delta')).toHaveLength(2);
    expect(seen).not.toContain('response.output_text.done');
    expect(seen).not.toContain('response.completed');
  });

  it('holds a request without a status line until the client gives up (stallBeforeHeaders)', async () => {
    const client = await start({
      rules: [{ reply: { text: 'never sent', faults: { stallBeforeHeaders: true } } }],
    });
    const abort = new AbortController();
    let settled = false;
    const pending = client.responses
      .create({ model: 'gpt-4.1', input: 'x', stream: true }, { signal: abort.signal })
      .finally(() => {
        settled = true;
      });
    // The request reached the fake and is being held (no answer yet).
    await expect.poll(() => fake!.calls.length).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(settled).toBe(false);
    abort.abort();
    await expect(pending).rejects.toBeInstanceOf(OpenAI.APIUserAbortError);
  });

  it('waits the latency before the first byte and the interval between deltas', async () => {
    const client = await start({
      rules: [{ reply: { text: 'a b c d', faults: { latencyMs: 120, tokenIntervalMs: 40 } } }],
    });
    const started = performance.now();
    const stream = await client.responses.create({ model: 'gpt-4.1', input: 'x', stream: true });
    let firstEventAt = 0;
    for await (const _event of stream) firstEventAt ||= performance.now();
    const total = performance.now() - started;
    expect(firstEventAt - started).toBeGreaterThanOrEqual(115);
    // 4 deltas plus the completion gate: 4 intervals of 40 ms.
    expect(total).toBeGreaterThanOrEqual(115 + 4 * 40 - 10);
  });

  it('records calls with parsed bodies and headers minus Authorization, and checks the key when given', async () => {
    const client = await start(undefined, 'sk-fake');
    await client.responses.create({ model: 'gpt-4.1', input: 'record me' });
    const [call] = fake!.calls;
    expect(call).toMatchObject({ method: 'POST', path: '/v1/responses', endpoint: 'responses' });
    expect(call!.body).toMatchObject({ model: 'gpt-4.1', input: 'record me' });
    expect(call!.headers['content-type']).toBe('application/json');
    expect(call!.headers.authorization).toBeUndefined();
    expect(JSON.stringify(call)).not.toContain('sk-fake');
    const wrongKey = new OpenAI({ apiKey: 'sk-wrong', baseURL: fake!.url, maxRetries: 0 });
    await expect(wrongKey.responses.create({ model: 'gpt-4.1', input: 'x' })).rejects.toBeInstanceOf(
      OpenAI.AuthenticationError,
    );
  });
});
