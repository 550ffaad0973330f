import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, ProviderError, RequestError } from '../errors';
import { isProviderApiError, providerError, retryAfterFromHeaders } from './openai';

function apiError(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return APIError.generate(status, { error: body }, undefined, new Headers(headers));
}

/** The same error as another copy of the SDK throws it: a plain `Error` with the SDK's own fields, no shared class. */
function foreignCopy(original: { message: string; status?: number; headers?: Headers; error?: unknown }) {
  const body = original.error as Record<string, unknown> | undefined;
  return Object.assign(new Error(original.message), {
    status: original.status,
    headers: original.headers,
    error: body,
    code: body?.code,
    type: body?.type,
    requestID: original.headers?.get('x-request-id'),
  });
}

describe('providerError', () => {
  const cases: [string, () => unknown, string, boolean][] = [
    [
      '401',
      () => apiError(401, { message: 'Incorrect API key provided: sk-abc***xyz', code: 'invalid_api_key' }),
      'configuration',
      false,
    ],
    [
      '403',
      () => apiError(403, { message: 'Country not supported', code: 'unsupported_country_region_territory' }),
      'configuration',
      false,
    ],
    [
      '429 insufficient_quota',
      () =>
        apiError(429, {
          message: 'You exceeded your current quota',
          code: 'insufficient_quota',
          type: 'insufficient_quota',
        }),
      'quota_exceeded',
      false,
    ],
    [
      '429 rate limit',
      () =>
        apiError(
          429,
          { message: 'Rate limit reached for gpt-5 in organization org-123', code: 'rate_limit_exceeded' },
          { 'retry-after-ms': '1500' },
        ),
      'rate_limited',
      true,
    ],
    [
      '400 content policy',
      () =>
        apiError(400, {
          message: 'Your request was rejected as a result of our safety system.',
          code: 'content_policy_violation',
        }),
      'content_policy',
      false,
    ],
    [
      '400 moderation_blocked',
      () => apiError(400, { message: 'blocked', code: 'moderation_blocked' }),
      'content_policy',
      false,
    ],
    [
      '400 image_generation_user_error',
      () => apiError(400, { message: 'nope', type: 'image_generation_user_error' }),
      'content_policy',
      false,
    ],
    [
      '400 other',
      () => apiError(400, { message: "Invalid value for 'size'.", code: 'invalid_value' }),
      'provider_error',
      false,
    ],
    ['404', () => apiError(404, { message: 'The model `gpt-9` does not exist' }), 'provider_error', false],
    ['408', () => apiError(408, { message: 'timeout' }), 'timeout', true],
    ['409', () => apiError(409, { message: 'busy' }), 'provider_unavailable', true],
    ['500', () => apiError(500, { message: 'The server had an error' }), 'provider_unavailable', true],
    [
      '503 overloaded',
      () => apiError(503, { message: 'overloaded', type: 'server_error' }),
      'provider_unavailable',
      true,
    ],
    [
      'connection',
      () => new APIConnectionError({ message: 'Connection error.', cause: new Error('ECONNREFUSED') }),
      'provider_unavailable',
      true,
    ],
    ['client timeout', () => new APIConnectionTimeoutError(), 'timeout', true],
    ['abort', () => new APIUserAbortError(), 'cancelled', false],
    ['DOM abort', () => new DOMException('The operation was aborted.', 'AbortError'), 'cancelled', false],
    ['DOM timeout', () => new DOMException('The operation timed out.', 'TimeoutError'), 'timeout', true],
    [
      'fetch failed',
      () => new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) }),
      'provider_unavailable',
      true,
    ],
    ['unknown', () => new Error('something internal at /srv/app'), 'provider_error', false],
  ];

  it.each(cases)('%s → %s', (_name, make, code, retryable) => {
    const error = providerError(make());
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
  });

  it('gives the same code for the same answer from another copy of the SDK (no instanceof)', () => {
    for (const [name, make, code] of cases) {
      const original = make() as { message: string; status?: number; error?: unknown; headers?: Headers };
      if (!isProviderApiError(original)) continue;
      expect(providerError(foreignCopy(original)).code, name).toBe(code);
    }
  });

  it('reads Retry-After for 429 and 5xx, and never echoes key fragments or organization ids', () => {
    const limited = providerError(
      apiError(429, { message: 'Rate limit reached in organization org-123' }, { 'retry-after': '2' }),
    );
    expect(limited).toBeInstanceOf(ProviderError);
    expect(limited.retryAfterMs).toBe(2000);
    expect(limited.message).not.toContain('org-123');
    const key = providerError(apiError(401, { message: 'Incorrect API key provided: sk-abc***xyz' }));
    expect(key).toBeInstanceOf(ConfigurationError);
    expect(key.message).not.toContain('sk-');
    expect(key.details).toMatchObject({ status: 401, key: 'server' });
    const userKey = providerError(apiError(401, { message: 'bad key' }), { keySource: 'user' });
    expect(userKey.message).toMatch(/your API key/);
    expect(userKey.details).toMatchObject({ key: 'user' });
  });

  it('keeps the provider message of a refused request, and the request id in details', () => {
    const error = providerError(
      apiError(
        400,
        { message: "Invalid value for 'size'.", code: 'invalid_value' },
        { 'x-request-id': 'req_1' },
      ),
    );
    expect(error.message).toContain("Invalid value for 'size'.");
    expect(error.details).toMatchObject({ status: 400, providerCode: 'invalid_value', requestId: 'req_1' });
  });

  it("reads the AI SDK's APICallError (statusCode, responseHeaders, data) the same way", () => {
    const aiSdk = (statusCode: number, data: unknown, responseHeaders?: Record<string, string>) =>
      Object.assign(new Error('API call failed'), {
        name: 'AI_APICallError',
        statusCode,
        responseHeaders,
        data,
      });
    expect(providerError(aiSdk(401, undefined))).toMatchObject({ code: 'configuration' });
    expect(providerError(aiSdk(429, { error: { code: 'insufficient_quota' } })).code).toBe('quota_exceeded');
    expect(providerError(aiSdk(429, undefined, { 'retry-after': '2' }))).toMatchObject({
      code: 'rate_limited',
      retryAfterMs: 2000,
    });
    expect(
      providerError(aiSdk(400, { error: { code: 'content_policy_violation', message: 'no' } })).code,
    ).toBe('content_policy');
    expect(providerError(aiSdk(503, undefined))).toMatchObject({
      code: 'provider_unavailable',
      retryable: true,
    });
  });

  it('is cancelled whenever the caller aborted, whatever the error', () => {
    const controller = new AbortController();
    controller.abort();
    const error = providerError(new Error('socket hang up'), { signal: controller.signal });
    expect(error).toBeInstanceOf(RequestError);
    expect(error.code).toBe('cancelled');
  });

  it('passes RelayKit errors through', () => {
    const typed = new ProviderError('content_policy', 'no');
    expect(providerError(typed)).toBe(typed);
  });
});

describe('retryAfterFromHeaders', () => {
  it('prefers retry-after-ms, then retry-after in seconds or as an HTTP date', () => {
    expect(retryAfterFromHeaders(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
    expect(retryAfterFromHeaders({ 'retry-after': '1.5' })).toBe(1500);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterFromHeaders({ 'retry-after': 'Thu, 01 Jan 2026 00:00:03 GMT' }, now)).toBe(3000);
    expect(retryAfterFromHeaders(undefined)).toBeUndefined();
  });
});
