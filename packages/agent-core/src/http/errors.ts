import { httpStatusForCode, isRelayKitError, RelayKitError } from '@relaykit/sse-protocol';
import { rateLimitHeaders } from '@relaykit/usage-tracker';
import { REQUEST_ID_HEADER } from './request-id';

/**
 * The JSON body of every error response, whatever its status: `{ error: { name, code, message, retryable, details?,
 * retryAfterMs?, requestId? } }` (`requestId`: the request's id, also in the `x-request-id` header, when the answer
 * has one; on an answer ≥ 500 also the id its log line names).
 */
export interface ErrorResponseBody {
  error: ReturnType<RelayKitError['toJSON']> & { requestId?: string };
}

/** What a server-error log line gets besides the error: the response's status, code and request id. */
export interface ServerErrorInfo {
  status: number;
  code: string;
  requestId: string | undefined;
}

/** Options of {@link errorResponse}. */
export interface ErrorResponseOptions {
  /** Extra headers (CORS, `RateLimit-*`) set on the response. */
  headers?: HeadersInit;
  /**
   * The request's id (`requestIdOf(request)`): sent back as the `x-request-id` header and as `error.requestId` (every
   * status alike), and on an answer ≥ 500 named in its log line, so a user can quote it and an operator find the log.
   */
  requestId?: string;
  /**
   * Called with errors that are not RelayKit errors (answered as a generic 500); use it to log them. When given it is
   * the one log of such an error ({@link ErrorResponseOptions.onServerError} is not called for it).
   */
  onUnexpectedError?: (error: unknown, info: ServerErrorInfo) => void;
  /**
   * Logs every answer ≥ 500 once (a store that is down, an unexpected error), with its request id. Default: one
   * `console.error` line naming the status, code and request id, with the error (its cause stays server-side).
   */
  onServerError?: (error: unknown, info: ServerErrorInfo) => void;
}

/** The default server-error log: one line, with the error object for its stack and cause. */
export function logServerError(error: unknown, info: ServerErrorInfo): void {
  console.error(`[relaykit] ${info.status} ${info.code} (request ${info.requestId ?? 'without id'})`, error);
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
 * connection strings or keys inside driver errors never reach a client. Every answer ≥ 500 is logged once
 * (`onUnexpectedError` / `onServerError`, default {@link logServerError}), and with `requestId` the response carries
 * the id in `x-request-id` and in `error.requestId`, for a 4xx as for a 5xx.
 */
export function errorResponse(error: unknown, options: ErrorResponseOptions = {}): Response {
  const expected = isRelayKitError(error);
  const relayKitError = expected ? error : new RelayKitError('internal', 'Internal server error.');
  const status = httpStatusForCode(relayKitError.code);
  if (status >= 500) {
    const info: ServerErrorInfo = { status, code: relayKitError.code, requestId: options.requestId };
    if (!expected && options.onUnexpectedError) options.onUnexpectedError(error, info);
    else (options.onServerError ?? logServerError)(error, info);
  }
  const headers = new Headers(options.headers);
  if (options.requestId !== undefined) headers.set(REQUEST_ID_HEADER, options.requestId);
  headers.set('content-type', 'application/json');
  headers.set('cache-control', 'no-store');
  for (const [name, value] of Object.entries(rateLimitHeadersOf(relayKitError)))
    if (!headers.has(name)) headers.set(name, value);
  if (relayKitError.retryAfterMs !== undefined && !headers.has('retry-after'))
    headers.set('retry-after', String(Math.max(Math.ceil(relayKitError.retryAfterMs / 1000), 1)));
  const body: ErrorResponseBody = {
    error: {
      ...relayKitError.toJSON(),
      // One shape for every status: a user quotes the id of a 400 or a 429 as of a 503 (whose log line names it).
      ...(options.requestId === undefined ? {} : { requestId: options.requestId }),
    },
  };
  return new Response(JSON.stringify(body), { status, headers });
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
