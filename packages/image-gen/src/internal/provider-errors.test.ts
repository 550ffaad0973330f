import { describe, expect, it } from 'vitest';
import { retryAfterFromHeaders, toImageProviderError } from './provider-errors';

describe('retryAfterFromHeaders', () => {
  it('prefers retry-after-ms, then retry-after seconds or HTTP date', () => {
    expect(retryAfterFromHeaders(new Headers({ 'retry-after-ms': '1500', 'retry-after': '9' }))).toBe(1500);
    expect(retryAfterFromHeaders(new Headers({ 'retry-after': '2.5' }))).toBe(2500);
    const now = Date.UTC(2026, 10, 23, 12, 0, 0);
    expect(retryAfterFromHeaders(new Headers({ 'retry-after': 'Mon, 23 Nov 2026 12:00:30 GMT' }), now)).toBe(
      30_000,
    );
    expect(retryAfterFromHeaders(new Headers())).toBeUndefined();
  });
});

describe('toImageProviderError', () => {
  const apiError = (status: number | undefined, code: string | null, message: string, name = 'APIError') =>
    Object.assign(new Error(`${status} ${message}`), {
      name,
      status,
      code,
      headers: new Headers(),
      error: { message, code },
    });

  it('maps by status and code', () => {
    expect(
      toImageProviderError(apiError(400, 'content_policy_violation', 'Safety system said no')),
    ).toMatchObject({
      code: 'content_policy',
      message: 'Safety system said no',
    });
    expect(
      toImageProviderError(apiError(429, 'insufficient_quota', 'You exceeded your quota')),
    ).toMatchObject({
      code: 'provider_error',
      retryable: false,
    });
    expect(toImageProviderError(apiError(503, null, 'overloaded'))).toMatchObject({
      code: 'provider_unavailable',
      retryable: true,
    });
    expect(toImageProviderError(apiError(400, 'invalid_value', 'bad size'))).toMatchObject({
      code: 'provider_error',
      retryable: false,
    });
    expect(
      toImageProviderError(apiError(undefined, null, 'Request timed out.', 'APIConnectionTimeoutError')),
    ).toMatchObject({
      code: 'timeout',
      retryable: true,
    });
    expect(
      toImageProviderError(apiError(undefined, null, 'Connection error.', 'APIConnectionError')),
    ).toMatchObject({
      code: 'provider_unavailable',
      retryable: true,
    });
    expect(toImageProviderError(apiError(undefined, null, 'aborted', 'APIUserAbortError'))).toMatchObject({
      code: 'cancelled',
    });
  });
});
