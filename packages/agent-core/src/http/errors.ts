import { httpStatusForCode, isRelayKitError, RelayKitError } from '@relaykit/sse-protocol';
import { rateLimitHeaders } from '@relaykit/usage-tracker';

/** The JSON body of every error response: `{ error: { code, message, retryable, details?, retryAfterMs? } }`. */
export interface ErrorResponseBody {
  error: ReturnType<RelayKitError['toJSON']>;
}

/** Options of {@link errorResponse}. */
export interface ErrorResponseOptions {
  /** Extra headers (CORS, `RateLimit-*`) set on the response. */
  headers?: HeadersInit;
  /** Called with errors that are not RelayKit errors (answered as a generic 500); use it to log them. */
  onUnexpectedError?: (error: unknown) => void;
}

/**
 * The `RateLimit-*` headers of a `rate_limited` error whose details carry the decision (`{ limit, remaining, reset,
 * windowMs? }`, as `RateLimitExceededError` of `@relaykit/usage-tracker` does); none otherwise.
 */
function rateLimitHeadersOf(error: RelayKitError): Record<string, string> {
  if (error.code !== 'rate_limited') return {};
  const details = (error.details ?? {}) as Record<string, unknown>;
  const { limit, remaining, reset, windowMs } = details;
  if (typeof limit !== 'number' || typeof remaining !== 'number' || typeof reset !== 'number') return {};
  return rateLimitHeaders({
    // Without retryAfterMs there is no Retry-After to give (the caller's headers are otherwise the same).
    success: error.retryAfterMs === undefined,
    limit,
    remaining,
    reset,
    retryAfterMs: error.retryAfterMs ?? 0,
    ...(typeof windowMs === 'number' ? { windowMs } : {}),
  });
}

/**
 * The one place an error becomes an HTTP response. A {@link RelayKitError} answers the status of its `code`
 * (`httpStatusForCode`) and its client-safe JSON (never the cause or stack); `retryAfterMs` also sets
 * `Retry-After` in whole seconds, and a rate-limit decision in `details` the `RateLimit-*` headers, so this and
 * `rateLimitResponse` of `@relaykit/usage-tracker` answer every 429 alike. Anything else answers a generic `500 internal` without its message, so
 * connection strings or keys inside driver errors never reach a client.
 */
export function errorResponse(error: unknown, options: ErrorResponseOptions = {}): Response {
  let relayKitError: RelayKitError;
  if (isRelayKitError(error)) {
    relayKitError = error;
  } else {
    options.onUnexpectedError?.(error);
    relayKitError = new RelayKitError('internal', 'Internal server error.');
  }
  const headers = new Headers(options.headers);
  headers.set('content-type', 'application/json');
  headers.set('cache-control', 'no-store');
  for (const [name, value] of Object.entries(rateLimitHeadersOf(relayKitError)))
    if (!headers.has(name)) headers.set(name, value);
  if (relayKitError.retryAfterMs !== undefined && !headers.has('retry-after'))
    headers.set('retry-after', String(Math.max(Math.ceil(relayKitError.retryAfterMs / 1000), 1)));
  const body: ErrorResponseBody = { error: relayKitError.toJSON() };
  return new Response(JSON.stringify(body), {
    status: httpStatusForCode(relayKitError.code),
    headers,
  });
}

/** A JSON response with `cache-control: no-store`. */
export function jsonResponse(body: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set('content-type', 'application/json');
  if (!headers.has('cache-control')) headers.set('cache-control', 'no-store');
  return new Response(JSON.stringify(body), { ...init, headers });
}

/** Returns a copy of `response` with `headers` added (bodies, including SSE streams, are passed through). */
export function withHeaders(response: Response, headers: HeadersInit): Response {
  const merged = new Headers(response.headers);
  for (const [name, value] of new Headers(headers)) {
    if (name === 'vary' && merged.has('vary')) merged.set('vary', `${merged.get('vary')}, ${value}`);
    else merged.set(name, value);
  }
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers: merged,
  });
}
