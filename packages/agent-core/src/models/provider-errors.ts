import {
  ConfigurationError,
  isRelayKitError,
  ProviderError,
  type RelayKitError,
  RequestError,
} from '@relaykit/sse-protocol';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';

const POLICY_CODES = new Set([
  'content_policy_violation',
  'moderation_blocked',
  'content_filter',
  'safety_violation',
]);

function retryAfterMs(headers: Headers | undefined): number | undefined {
  const milliseconds = Number(headers?.get('retry-after-ms'));
  if (Number.isFinite(milliseconds) && milliseconds > 0) return Math.ceil(milliseconds);
  const seconds = Number(headers?.get('retry-after'));
  if (Number.isFinite(seconds) && seconds > 0) return Math.ceil(seconds * 1000);
  return undefined;
}

/**
 * The RelayKit error a run failure stands for, when it is known: a RelayKit error itself, or an `openai` SDK error
 * mapped by {@link toRelayKitError}. `undefined` for anything else (a bug, a tool's own exception), whose message
 * must not reach the client.
 */
export function knownRunError(error: unknown): RelayKitError | undefined {
  if (isRelayKitError(error)) return error;
  if (error instanceof APIError || error instanceof APIUserAbortError) return toRelayKitError(error);
  return undefined;
}

/**
 * Maps an error thrown by the `openai` SDK (or anything else) to a RelayKit error with a stable code:
 * 401/403 → `configuration` (the key is wrong; never echoed), 429 → `rate_limited` (or `quota_exceeded` for
 * `insufficient_quota`) with `retryAfterMs`, policy refusals → `content_policy`, 5xx and connection failures →
 * `provider_unavailable` (retryable), timeouts → `timeout`, aborts → `cancelled`, other 4xx → `provider_error`.
 */
export function toRelayKitError(error: unknown): RelayKitError {
  if (isRelayKitError(error)) return error;
  if (error instanceof APIUserAbortError)
    return new RequestError('cancelled', 'the request was cancelled', { cause: error });
  if (error instanceof APIConnectionTimeoutError) {
    return new ProviderError('timeout', 'the model provider did not answer in time', {
      cause: error,
      retryable: true,
    });
  }
  if (error instanceof APIConnectionError) {
    return new ProviderError('provider_unavailable', 'the model provider could not be reached', {
      cause: error,
      retryable: true,
    });
  }
  if (error instanceof APIError) {
    const status = error.status ?? 0;
    const code = typeof error.code === 'string' ? error.code : undefined;
    const message =
      error.error && typeof error.error === 'object' && 'message' in error.error
        ? String((error.error as { message: unknown }).message)
        : error.message;
    const details = {
      status,
      ...(code ? { providerCode: code } : {}),
      ...(error.requestID ? { requestId: error.requestID } : {}),
    };
    if (status === 401 || status === 403) {
      return new ConfigurationError(`the model provider rejected the credentials (${status})`, {
        cause: error,
        details,
      });
    }
    if (status === 429) {
      if (code === 'insufficient_quota') {
        return new RequestError('quota_exceeded', `the model provider's quota is exhausted: ${message}`, {
          cause: error,
          details,
        });
      }
      const wait = retryAfterMs(error.headers);
      return new ProviderError('rate_limited', `the model provider is rate limiting: ${message}`, {
        cause: error,
        retryable: true,
        details,
        ...(wait !== undefined ? { retryAfterMs: wait } : {}),
      });
    }
    if (code && POLICY_CODES.has(code))
      return new ProviderError('content_policy', message, { cause: error, details });
    if (status >= 500) {
      return new ProviderError('provider_unavailable', `the model provider failed (${status}): ${message}`, {
        cause: error,
        retryable: true,
        details,
      });
    }
    return new ProviderError(
      'provider_error',
      `the model provider refused the request (${status}): ${message}`,
      {
        cause: error,
        details,
      },
    );
  }
  if (error instanceof Error && error.name === 'AbortError') {
    return new RequestError('cancelled', 'the request was cancelled', { cause: error });
  }
  return new ProviderError('provider_error', error instanceof Error ? error.message : String(error), {
    cause: error,
  });
}
