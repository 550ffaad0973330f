import { isRelayKitError, ProviderError, type RelayKitError, RequestError } from '@relaykit/sse-protocol';

const POLICY_CODES = new Set(['moderation_blocked', 'content_policy_violation', 'content_filter']);

interface ApiErrorShape {
  status?: unknown;
  code?: unknown;
  type?: unknown;
  message?: unknown;
  headers?: unknown;
  name?: unknown;
  error?: unknown;
}

function header(headers: unknown, name: string): string | null {
  if (!headers || typeof headers !== 'object') return null;
  const get = (headers as { get?: unknown }).get;
  if (typeof get === 'function') return (get as (key: string) => string | null).call(headers, name);
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : null;
}

/** `retry-after-ms` (preferred by openai-node) or `retry-after` (seconds or an HTTP date), in ms. */
export function retryAfterFromHeaders(headers: unknown, now = Date.now()): number | undefined {
  const ms = Number.parseFloat(header(headers, 'retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return Math.ceil(ms);
  const raw = header(headers, 'retry-after');
  if (raw === null) return undefined;
  const seconds = Number.parseFloat(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Maps an error thrown by the `openai` SDK (checked by shape, so any installed copy works) to a RelayKit error:
 * a moderation refusal → `content_policy` with the provider's message; 429 → retryable `rate_limited` with
 * `retryAfterMs`; 408/409/5xx and connection failures → retryable `provider_unavailable`; abort → `cancelled`.
 */
export function toImageProviderError(error: unknown, signal?: AbortSignal): RelayKitError {
  if (isRelayKitError(error)) return error;
  const shape = (typeof error === 'object' && error !== null ? error : {}) as ApiErrorShape;
  const name = typeof shape.name === 'string' ? shape.name : '';
  const body = (typeof shape.error === 'object' && shape.error !== null ? shape.error : {}) as {
    message?: unknown;
  };
  // The provider's own message (the SDK prefixes its `message` with the status).
  const message =
    typeof body.message === 'string'
      ? body.message
      : typeof shape.message === 'string'
        ? shape.message
        : String(error);
  if (signal?.aborted || name === 'APIUserAbortError' || name === 'AbortError')
    return new RequestError('cancelled', 'image generation was cancelled', { cause: error });
  const status = typeof shape.status === 'number' ? shape.status : undefined;
  const code = typeof shape.code === 'string' ? shape.code : undefined;
  const details = { status, providerCode: code, providerType: shape.type };
  if (status === undefined) {
    if (name === 'APIConnectionTimeoutError')
      return new ProviderError('timeout', 'the image request timed out', { cause: error, retryable: true });
    return new ProviderError('provider_unavailable', `could not reach the image provider: ${message}`, {
      cause: error,
      retryable: true,
    });
  }
  if (
    (status === 400 || status === 403 || status === 422) &&
    ((code !== undefined && POLICY_CODES.has(code)) ||
      shape.type === 'image_generation_user_error' ||
      /safety system|moderation|content policy/i.test(message))
  )
    return new ProviderError('content_policy', message, { cause: error, details });
  if (status === 429) {
    if (code === 'insufficient_quota' || code === 'billing_hard_limit_reached')
      return new ProviderError('provider_error', message, { cause: error, details });
    const retryAfterMs = retryAfterFromHeaders(shape.headers);
    return new ProviderError('rate_limited', message, {
      cause: error,
      details,
      retryable: true,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  if (status === 408 || status === 409 || status >= 500)
    return new ProviderError('provider_unavailable', message, { cause: error, details, retryable: true });
  return new ProviderError('provider_error', message, { cause: error, details });
}
