import { describe, expect, it } from 'vitest';
import {
  ConfigurationError,
  httpStatusForCode,
  isRelayKitError,
  ProviderError,
  RELAYKIT_ERROR_CODES,
  RelayKitError,
  RequestError,
  StoreError,
} from './errors';

describe('RelayKitError', () => {
  it('carries a stable code, a name from its class, and its cause', () => {
    const cause = new Error('socket closed');
    const error = new StoreError('store_unavailable', 'database is down', { cause, retryable: true });
    expect(error).toBeInstanceOf(RelayKitError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('StoreError');
    expect(error.code).toBe('store_unavailable');
    expect(error.retryable).toBe(true);
    expect(error.cause).toBe(cause);
    expect(error.message).toBe('database is down');
  });

  it('defaults to not retryable and serializes without cause or stack', () => {
    const error = new RequestError('invalid_request', 'bad body', {
      cause: new Error('secret detail'),
      details: [{ path: ['type'], message: 'Required' }],
    });
    expect(error.retryable).toBe(false);
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'RequestError',
      code: 'invalid_request',
      message: 'bad body',
      retryable: false,
      details: [{ path: ['type'], message: 'Required' }],
    });
  });

  it('keeps retryAfterMs for rate-limit errors', () => {
    const error = new RequestError('rate_limited', 'slow down', { retryable: true, retryAfterMs: 1500 });
    expect(error.toJSON().retryAfterMs).toBe(1500);
  });

  it('recognises errors from another installed copy by the global symbol tag', () => {
    // A second copy of the package defines its own class but tags it with the same global symbol.
    const foreignTag: unique symbol = Symbol.for('relaykit.error') as never;
    class ForeignCopyError extends Error {
      readonly [foreignTag] = true;
      readonly code = 'not_found';
    }
    const foreign = new ForeignCopyError('missing');
    expect(foreign instanceof RelayKitError).toBe(false);
    expect(RelayKitError.isInstance(foreign)).toBe(true);
    expect(isRelayKitError(foreign)).toBe(true);
    expect(isRelayKitError(new Error('plain'))).toBe(false);
    expect(isRelayKitError(null)).toBe(false);
    expect(isRelayKitError('not_found')).toBe(false);
  });

  it('fixes the subclass codes and exposes the HTTP status table', () => {
    expect(new ConfigurationError('no key').code).toBe('configuration');
    expect(new ProviderError('content_policy', 'refused').name).toBe('ProviderError');
    expect(httpStatusForCode('not_found')).toBe(404);
    expect(httpStatusForCode('rate_limited')).toBe(429);
    expect(httpStatusForCode('payload_too_large')).toBe(413);
    for (const status of Object.values(RELAYKIT_ERROR_CODES)) {
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(600);
    }
  });
});
