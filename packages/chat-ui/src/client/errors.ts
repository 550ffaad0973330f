import {
  RELAYKIT_ERROR_CODES,
  RelayKitError,
  type RelayKitErrorCode,
  type RelayKitErrorOptions,
} from '@relaykit/sse-protocol';

const isCode = (code: unknown): code is RelayKitErrorCode =>
  typeof code === 'string' && Object.hasOwn(RELAYKIT_ERROR_CODES, code);

/** The RelayKit code of an HTTP status whose body names no known code: the first code mapped to it. */
function codeForStatus(status: number): RelayKitErrorCode {
  const code = Object.entries(RELAYKIT_ERROR_CODES).find(([, mapped]) => mapped === status)?.[0];
  if (isCode(code)) return code;
  return status >= 500 ? 'internal' : 'invalid_request';
}

/**
 * A failed request to a ChatKit backend: a `RelayKitError` with the server's `code` (or the one of the HTTP status),
 * the HTTP `status` (0 when the request never got an answer), and `retryAfterMs` from the JSON error or the
 * `Retry-After` header of a 429.
 */
export class ChatKitRequestError extends RelayKitError {
  override name = 'ChatKitRequestError';
  /** The HTTP status of the answer; 0 when there was none (network failure). */
  readonly status: number;
  constructor(code: RelayKitErrorCode, message: string, status: number, options: RelayKitErrorOptions = {}) {
    super(code, message, options);
    this.status = status;
  }
}

/** The seconds or HTTP date of a `Retry-After` header, in milliseconds from now. */
export function retryAfterMsOf(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The messages of zod-shaped `details.issues`, so "The request body is invalid." says why. */
function issueMessages(details: unknown): string[] {
  const issues = (details as { issues?: unknown } | null | undefined)?.issues;
  if (!Array.isArray(issues)) return [];
  return issues
    .map((issue) => (issue as { message?: unknown }).message)
    .filter((message): message is string => typeof message === 'string' && message !== '');
}

/**
 * The typed error of a non-2xx answer. Reads `{ error: { code, message, retryable, retryAfterMs, details } }` (the
 * RelayKit shape), a bare `{ message }`, or nothing at all, and the `Retry-After` header.
 */
export async function errorOfResponse(response: Response): Promise<ChatKitRequestError> {
  const body = (await response.json().catch(() => null)) as {
    error?: {
      code?: unknown;
      message?: unknown;
      retryable?: unknown;
      retryAfterMs?: unknown;
      details?: unknown;
    };
    message?: unknown;
  } | null;
  const error = body?.error;
  const retryAfterMs =
    typeof error?.retryAfterMs === 'number'
      ? error.retryAfterMs
      : retryAfterMsOf(response.headers.get('retry-after'));
  const message =
    typeof error?.message === 'string'
      ? error.message
      : typeof body?.message === 'string'
        ? body.message
        : `The server answered ${response.status}.`;
  const reasons = issueMessages(error?.details);
  return new ChatKitRequestError(
    isCode(error?.code) ? error.code : codeForStatus(response.status),
    reasons.length > 0 ? `${message} ${reasons.join(' ')}` : message,
    response.status,
    {
      retryable: error?.retryable === true || response.status === 429 || response.status >= 500,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      ...(error?.details === undefined ? {} : { details: error.details }),
    },
  );
}

/** A fetch that failed without an answer (offline, DNS, CORS): `provider_unavailable`, status 0, retryable. */
export function networkError(cause: unknown): ChatKitRequestError {
  return new ChatKitRequestError('provider_unavailable', 'The server could not be reached.', 0, {
    cause,
    retryable: true,
  });
}

/** True for the error of an aborted fetch (the user pressed Stop or left the thread). */
export function isAbortError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    ((error as { name?: unknown }).name === 'AbortError' || (error as { code?: unknown }).code === 20)
  );
}
