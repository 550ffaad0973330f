import { RELAYKIT_ERROR_CODES, RelayKitError, type RelayKitErrorCode } from '@relaykit/sse-protocol';

const isCode = (code: unknown): code is RelayKitErrorCode =>
  typeof code === 'string' && Object.hasOwn(RELAYKIT_ERROR_CODES, code);

/** The RelayKit code of an HTTP status without a (known) code in the body: the first code mapped to it. */
function codeForStatus(status: number): RelayKitErrorCode {
  const code = Object.entries(RELAYKIT_ERROR_CODES).find(([, mapped]) => mapped === status)?.[0];
  return isCode(code) ? code : status >= 500 ? 'internal' : 'invalid_request';
}

/**
 * An error answered by one of the app's API routes (`{ error: { code, message, retryable, retryAfterMs } }`): a
 * `RelayKitError` with the server's `code`, plus the HTTP `status`.
 */
export class ApiRequestError extends RelayKitError {
  override name = 'ApiRequestError';
  /** The HTTP status of the answer. */
  readonly status: number;
  constructor(
    code: RelayKitErrorCode,
    message: string,
    status: number,
    options: ConstructorParameters<typeof RelayKitError>[2] = {},
  ) {
    super(code, message, options);
    this.status = status;
  }
}

/** The typed error of a failed (non-2xx) answer; `Type` picks the subclass. */
export async function errorOfResponse<T extends ApiRequestError>(
  response: Response,
  Type: new (...args: ConstructorParameters<typeof ApiRequestError>) => T,
): Promise<T> {
  const body = (await response.json().catch(() => null)) as {
    error?: { code?: unknown; message?: unknown; retryable?: unknown; retryAfterMs?: unknown };
  } | null;
  const error = body?.error;
  return new Type(
    isCode(error?.code) ? error.code : codeForStatus(response.status),
    typeof error?.message === 'string' ? error.message : `The server answered ${response.status}.`,
    response.status,
    {
      retryable: error?.retryable === true,
      ...(typeof error?.retryAfterMs === 'number' ? { retryAfterMs: error.retryAfterMs } : {}),
    },
  );
}
