import { ProviderError, RequestError, StoreError } from '@relaykit/sse-protocol';
import {
  createMemoryRateLimitStore,
  createRateLimiter,
  fixedWindow,
  RateLimitExceededError,
  rateLimitResponse,
} from '@relaykit/usage-tracker';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { errorResponse, jsonResponse, withHeaders } from './errors';

describe('errorResponse', () => {
  it('maps every RelayKit code through the one status table', async () => {
    const cases: Array<[Error, number]> = [
      [new RequestError('invalid_request', 'bad'), 400],
      [new RequestError('unauthorized', 'who'), 401],
      [new RequestError('not_found', 'nope'), 404],
      [new RequestError('payload_too_large', 'big'), 413],
      [new ProviderError('provider_unavailable', 'down'), 503],
      [new StoreError('store_error', 'db'), 500],
    ];
    for (const [error, status] of cases) {
      const response = errorResponse(error);
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect((await response.json()).error.code).toBe((error as RequestError).code);
    }
  });

  it('sets Retry-After from retryAfterMs and keeps details', async () => {
    const response = errorResponse(
      new RequestError('rate_limited', 'slow down', { retryAfterMs: 1500, details: { limit: 10 } }),
    );
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('2');
    expect(await response.json()).toEqual({
      error: {
        name: 'RequestError',
        code: 'rate_limited',
        message: 'slow down',
        retryable: false,
        details: { limit: 10 },
        retryAfterMs: 1500,
      },
    });
  });

  it('hides unexpected errors behind a generic 500 and reports them', async () => {
    const seen: unknown[] = [];
    const secret = new Error('connect ECONNREFUSED postgres://admin:hunter2@db');
    const response = errorResponse(secret, { onUnexpectedError: (error) => seen.push(error) });
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain('hunter2');
    expect(JSON.parse(text).error).toMatchObject({ code: 'internal', message: 'Internal server error.' });
    expect(seen).toEqual([secret]);
  });
});

describe('errorResponse: request ids and the server-error log', () => {
  it('carries the request id in x-request-id and in error.requestId, for a 4xx as for a 5xx', async () => {
    const missing = errorResponse(new RequestError('not_found', 'nope'), { requestId: 'req_0123456789' });
    expect(missing.headers.get('x-request-id')).toBe('req_0123456789');
    expect((await missing.json()).error).toEqual({
      name: 'RequestError',
      code: 'not_found',
      message: 'nope',
      retryable: false,
      requestId: 'req_0123456789',
    });
    const down = errorResponse(new StoreError('store_unavailable', 'down', { retryable: true }), {
      requestId: 'req_0123456789',
      onServerError: () => {},
    });
    expect(down.headers.get('x-request-id')).toBe('req_0123456789');
    expect((await down.json()).error).toMatchObject({
      code: 'store_unavailable',
      requestId: 'req_0123456789',
    });
  });

  it('logs each answer ≥ 500 once (onServerError, or onUnexpectedError for an unexpected error), never a 4xx', () => {
    const server: unknown[] = [];
    const unexpected: unknown[] = [];
    const options = {
      requestId: 'req_abcdef0123',
      onServerError: (_error: unknown, info: unknown) => server.push(info),
      onUnexpectedError: (_error: unknown, info: unknown) => unexpected.push(info),
    };
    errorResponse(new StoreError('store_unavailable', 'down', { retryable: true }), options);
    errorResponse(new Error('boom'), options);
    errorResponse(new RequestError('invalid_request', 'bad'), options);
    expect(server).toEqual([{ status: 503, code: 'store_unavailable', requestId: 'req_abcdef0123' }]);
    expect(unexpected).toEqual([{ status: 500, code: 'internal', requestId: 'req_abcdef0123' }]);
  });

  it('logs with console.error by default, naming status, code and request id', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const cause = new Error('password authentication failed for user "admin"');
      errorResponse(new StoreError('store_error', 'The store failed.', { cause }), {
        requestId: 'req_9999999999',
      });
      expect(spy).toHaveBeenCalledOnce();
      expect(spy.mock.calls[0]?.[0]).toBe('[relaykit] 500 store_error (request req_9999999999)');
    } finally {
      spy.mockRestore();
    }
  });
});

describe('one 429 shape', () => {
  afterEach(() => vi.useRealTimers());

  it('errorResponse of a RateLimitExceededError equals rateLimitResponse of the same decision: status, body, headers', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 10, 23, 12, 0, 30), toFake: ['Date'] });
    const limiter = createRateLimiter({
      store: createMemoryRateLimitStore(),
      algorithm: fixedWindow(2, '1 m'),
      onStoreFailure: 'deny',
    });
    await limiter.limit('user-1');
    await limiter.limit('user-1');
    const denied = await limiter.limit('user-1');
    expect(denied.success).toBe(false);
    const thrown = await limiter.check('user-1').catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(RateLimitExceededError);
    const message = (thrown as RateLimitExceededError).message;
    const fromError = errorResponse(thrown);
    const fromHelper = rateLimitResponse(denied, { message });
    expect(fromError.status).toBe(429);
    expect(fromHelper.status).toBe(429);
    expect([...fromError.headers].sort()).toEqual([...fromHelper.headers].sort());
    expect(Object.fromEntries(fromError.headers)).toMatchObject({
      'retry-after': '30',
      'ratelimit-limit': '2',
      'ratelimit-remaining': '0',
      'ratelimit-reset': '30',
      'ratelimit-policy': '2;w=60',
    });
    const body = await fromError.json();
    expect(await fromHelper.json()).toEqual(body);
    expect(body).toEqual({
      error: {
        name: 'RateLimitExceededError',
        code: 'rate_limited',
        message,
        retryable: true,
        details: { limit: 2, remaining: 0, reset: Date.UTC(2026, 10, 23, 12, 1), windowMs: 60_000 },
        retryAfterMs: 30_000,
      },
    });
  });

  it('a rate_limited error without a decision answers only Retry-After', () => {
    const response = errorResponse(new RequestError('rate_limited', 'slow down', { retryAfterMs: 1500 }));
    expect(response.headers.get('retry-after')).toBe('2');
    expect(response.headers.has('ratelimit-limit')).toBe(false);
  });
});

describe('withHeaders / jsonResponse', () => {
  it('adds headers without consuming a streamed body and merges Vary', async () => {
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('data: 1\n\n'));
        controller.close();
      },
    });
    const original = new Response(stream, {
      status: 200,
      headers: { vary: 'Accept', 'content-type': 'text/event-stream' },
    });
    const response = withHeaders(original, { vary: 'Origin', 'x-one': '1' });
    expect(response.headers.get('vary')).toBe('Accept, Origin');
    expect(response.headers.get('x-one')).toBe('1');
    expect(await response.text()).toBe('data: 1\n\n');
    const json = jsonResponse({ a: 1 }, { status: 201 });
    expect(json.status).toBe(201);
    expect(json.headers.get('cache-control')).toBe('no-store');
    expect(await json.json()).toEqual({ a: 1 });
  });
});
