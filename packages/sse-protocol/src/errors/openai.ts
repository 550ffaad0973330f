/**
 * The one mapping from a failed OpenAI (or OpenAI-compatible) call to a RelayKit error, shared by chat, images and
 * transcription. It reads the error by shape (`status`, `code`, `type`, `error.code`, `headers`), never with
 * `instanceof`, so it works for any installed copy of the `openai` SDK, for the AI SDK's `APICallError`
 * (`statusCode`, `responseHeaders`, `data.error`) and for plain `fetch` failures.
 *
 * | provider answer                                                   | code                   | retryable           |
 * | ----------------------------------------------------------------- | ---------------------- | ------------------- |
 * | 401, 403                                                          | `configuration`        | no                  |
 * | 429 `insufficient_quota` / `billing_hard_limit_reached`           | `quota_exceeded`       | no                  |
 * | other 429                                                         | `rate_limited`         | yes, `retryAfterMs` |
 * | 4xx with a content-policy code (`content_policy_violation`, ...)  | `content_policy`       | no                  |
 * | 408                                                               | `timeout`              | yes                 |
 * | 409, 5xx, network failure                                         | `provider_unavailable` | yes                 |
 * | other 4xx                                                         | `provider_error`       | no                  |
 * | client timeout (`APIConnectionTimeoutError`, `TimeoutError`)      | `timeout`              | yes                 |
 * | abort (`APIUserAbortError`, `AbortError`, an aborted `signal`)    | `cancelled`            | no                  |
 * | anything else                                                     | `provider_error`       | no                  |
 */
import {
  ConfigurationError,
  isRelayKitError,
  ProviderError,
  type RelayKitError,
  type RelayKitErrorOptions,
  RequestError,
} from '../errors';

/** Options of {@link providerError}. */
export interface ProviderErrorOptions {
  /** The caller's signal: when it is aborted, any failure is `cancelled`. */
  signal?: AbortSignal | null;
  /**
   * Whose API key made the call. `'user'` (bring-your-own-key): a refused key is the user's to fix, and the details
   * say so (`details.key: 'user'`). Default `'server'`.
   */
  keySource?: 'server' | 'user';
}

interface ApiErrorShape {
  status?: unknown;
  /** The AI SDK's `APICallError`: `statusCode`, `responseHeaders`, `data` (the parsed error body). */
  statusCode?: unknown;
  responseHeaders?: unknown;
  data?: unknown;
  code?: unknown;
  type?: unknown;
  message?: unknown;
  headers?: unknown;
  name?: unknown;
  error?: unknown;
  requestID?: unknown;
  cause?: unknown;
}

/** Error codes of a content-policy refusal (Responses, Images, moderation-blocked requests). */
const POLICY_CODES = new Set([
  'content_policy_violation',
  'moderation_blocked',
  'content_filter',
  'safety_violation',
  'image_generation_user_error',
]);

const QUOTA_CODES = new Set(['insufficient_quota', 'billing_hard_limit_reached', 'billing_not_active']);

/** Network failures below `fetch` (Node, undici, Deno). */
const NETWORK_CODES =
  /^(?:ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|EPIPE|EHOSTUNREACH|ENETUNREACH|ECONNABORTED|UND_ERR_SOCKET|UND_ERR_CLOSED)$/;
const TIMEOUT_CODES = /^(?:ETIMEDOUT|UND_ERR_CONNECT_TIMEOUT|UND_ERR_HEADERS_TIMEOUT|UND_ERR_BODY_TIMEOUT)$/;

function shapeOf(error: unknown): ApiErrorShape {
  if (typeof error !== 'object' || error === null) return {};
  const shape = error as ApiErrorShape;
  if (typeof shape.statusCode !== 'number' || typeof shape.status === 'number') return shape;
  // The AI SDK's APICallError, read as the openai SDK's APIError.
  const body = shapeOf(shapeOf(shape.data).error ?? shape.data);
  return {
    ...shape,
    message: shape.message,
    name: shape.name,
    status: shape.statusCode,
    headers: shape.responseHeaders,
    error: body,
    code: body.code,
    type: body.type,
  };
}

function header(headers: unknown, name: string): string | null {
  if (!headers || typeof headers !== 'object') return null;
  const get = (headers as { get?: unknown }).get;
  if (typeof get === 'function') return (get as (key: string) => string | null).call(headers, name);
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : null;
}

/** `retry-after-ms` (sent by OpenAI, read first by openai-node) or `retry-after` (seconds or an HTTP date), in ms. */
export function retryAfterFromHeaders(headers: unknown, now = Date.now()): number | undefined {
  const milliseconds = Number.parseFloat(header(headers, 'retry-after-ms') ?? '');
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return Math.ceil(milliseconds);
  const raw = header(headers, 'retry-after');
  if (raw === null) return undefined;
  const seconds = Number.parseFloat(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The constructor name, when a minifier left it (used only as a hint next to the shape). */
function className(error: unknown): string {
  const type = (error as { constructor?: { name?: unknown } } | null)?.constructor;
  return typeof type?.name === 'string' ? type.name : '';
}

/**
 * True for an error of an OpenAI API call: an `openai` SDK `APIError` (any copy: it has `status`, `headers` and
 * `error` as own properties, set even when undefined, as for connection errors and aborts).
 */
export function isProviderApiError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  return 'status' in error && 'headers' in error && 'error' in error;
}

function isAbort(error: unknown, shape: ApiErrorShape): boolean {
  const name = typeof shape.name === 'string' ? shape.name : '';
  if (name === 'AbortError' || className(error) === 'APIUserAbortError') return true;
  return isProviderApiError(error) && shape.status === undefined && shape.message === 'Request was aborted.';
}

function isTimeout(error: unknown, shape: ApiErrorShape): boolean {
  const name = typeof shape.name === 'string' ? shape.name : '';
  if (name === 'TimeoutError' || className(error) === 'APIConnectionTimeoutError') return true;
  if (typeof shape.code === 'string' && TIMEOUT_CODES.test(shape.code)) return true;
  return isProviderApiError(error) && shape.status === undefined && shape.message === 'Request timed out.';
}

function isNetworkFailure(error: unknown, depth = 0): boolean {
  if (depth > 4 || typeof error !== 'object' || error === null) return false;
  const shape = error as ApiErrorShape;
  if (typeof shape.code === 'string' && NETWORK_CODES.test(shape.code)) return true;
  if (error instanceof TypeError && /fetch failed|network/i.test(error.message)) return true;
  return isNetworkFailure(shape.cause, depth + 1);
}

/** The provider's own error code: `error.code` of the SDK, or `code` of the JSON body. */
function providerCodeOf(shape: ApiErrorShape): string | undefined {
  const body = shapeOf(shape.error);
  for (const candidate of [shape.code, body.code])
    if (typeof candidate === 'string' && candidate) return candidate;
  return undefined;
}

/** The provider's message (the SDK prefixes its own `message` with the status). */
function providerMessageOf(shape: ApiErrorShape): string {
  const body = shapeOf(shape.error);
  if (typeof body.message === 'string' && body.message) return body.message;
  return typeof shape.message === 'string' ? shape.message.replace(/^\d{3}\s+/, '') : '';
}

/**
 * Maps a failed call to OpenAI (chat, Responses, Agents SDK runs, images, transcription) to a RelayKit error with a
 * stable code (table in the module notes and the package README). Messages are safe for clients: a refused key or
 * a rate limit never echoes the provider's text (which may hold key fragments or organization ids), and a 5xx or a
 * network failure is described without its cause (kept in `cause`). The provider's own message is kept for 4xx
 * refusals of the request (bad parameter, content policy), which the caller can act on.
 */
export function providerError(error: unknown, options: ProviderErrorOptions = {}): RelayKitError {
  if (isRelayKitError(error)) return error;
  const shape = shapeOf(error);
  if (options.signal?.aborted || isAbort(error, shape))
    return new RequestError('cancelled', 'The request was cancelled.', { cause: error });
  if (isTimeout(error, shape))
    return new ProviderError('timeout', 'The model provider did not answer in time.', {
      cause: error,
      retryable: true,
    });
  const status = typeof shape.status === 'number' ? shape.status : undefined;
  if (status === undefined) {
    if (isProviderApiError(error) || isNetworkFailure(error))
      return new ProviderError('provider_unavailable', 'The model provider could not be reached.', {
        cause: error,
        retryable: true,
      });
    return new ProviderError('provider_error', 'The model provider call failed.', { cause: error });
  }
  const code = providerCodeOf(shape);
  const type = typeof shape.type === 'string' ? shape.type : undefined;
  const requestId =
    typeof shape.requestID === 'string' ? shape.requestID : header(shape.headers, 'x-request-id');
  const details: Record<string, unknown> = { status };
  if (code) details.providerCode = code;
  if (type) details.providerType = type;
  if (requestId) details.requestId = requestId;
  const withDetails = (extra: RelayKitErrorOptions = {}): RelayKitErrorOptions => ({
    cause: error,
    details,
    ...extra,
  });
  const message = providerMessageOf(shape);
  const retryAfterMs = retryAfterFromHeaders(shape.headers);
  const retryAfter = retryAfterMs === undefined ? {} : { retryAfterMs };

  if (status === 401 || status === 403) {
    const key = options.keySource ?? 'server';
    details.key = key;
    return new ConfigurationError(
      key === 'user'
        ? `The model provider refused your API key (${status}); check the key in your settings.`
        : `The model provider refused the server's API key (${status}).`,
      withDetails(),
    );
  }
  if (status === 429) {
    if (code !== undefined && QUOTA_CODES.has(code))
      return new ProviderError(
        'quota_exceeded',
        "The model provider's quota for this account is exhausted.",
        withDetails(),
      );
    return new ProviderError(
      'rate_limited',
      'The model provider is rate limiting requests; try again later.',
      {
        ...withDetails({ retryable: true }),
        ...retryAfter,
      },
    );
  }
  if (status >= 400 && status < 500) {
    const policy =
      (code !== undefined && POLICY_CODES.has(code)) ||
      (type !== undefined && POLICY_CODES.has(type)) ||
      ((status === 400 || status === 422) && /safety system|moderation|content policy/i.test(message));
    if (policy)
      return new ProviderError(
        'content_policy',
        message || 'The model provider refused the content.',
        withDetails(),
      );
    if (status === 408)
      return new ProviderError('timeout', 'The model provider did not answer in time.', {
        ...withDetails({ retryable: true }),
        ...retryAfter,
      });
    if (status === 409)
      return new ProviderError('provider_unavailable', 'The model provider is busy; try again shortly.', {
        ...withDetails({ retryable: true }),
        ...retryAfter,
      });
    return new ProviderError(
      'provider_error',
      `The model provider refused the request (${status})${message ? `: ${message}` : '.'}`,
      withDetails(),
    );
  }
  if (status >= 500)
    return new ProviderError(
      'provider_unavailable',
      `The model provider failed (${status}); try again shortly.`,
      {
        ...withDetails({ retryable: true }),
        ...retryAfter,
      },
    );
  return new ProviderError('provider_error', `The model provider answered ${status}.`, withDetails());
}
