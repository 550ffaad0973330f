/**
 * The error base shared by every RelayKit package.
 *
 * Errors carry a stable, documented `code` (adapters map it to an HTTP status in one table) and are tagged
 * with `Symbol.for('relaykit.error')`, so `RelayKitError.isInstance()` recognises them even when two copies
 * of this package are installed side by side (a common case in monorepos and edge bundles).
 */

const RELAYKIT_ERROR = Symbol.for('relaykit.error');

/**
 * Every error code a RelayKit package may throw, with the HTTP status adapters answer for it.
 * The set only grows; a code's meaning never changes.
 */
export const RELAYKIT_ERROR_CODES = {
  /** The caller's input failed validation (details list the issues). */
  invalid_request: 400,
  /** No authenticated user, or the credentials are invalid or expired. */
  unauthorized: 401,
  /** Authenticated, but not allowed to do this. */
  forbidden: 403,
  /** The resource does not exist or is not visible to the caller. */
  not_found: 404,
  /** A concurrent change conflicts with this one (a retryable one when the store aborted a transaction for it). */
  conflict: 409,
  /** The request or one of its parts is larger than the configured cap. */
  payload_too_large: 413,
  /** A rate limit denied the call; `retryAfterMs` says when to try again. */
  rate_limited: 429,
  /** A spending or usage budget is exhausted for the period. */
  quota_exceeded: 429,
  /** The provider refused the content (moderation / safety system). */
  content_policy: 422,
  /** The call was cancelled by the caller. */
  cancelled: 499,
  /** RelayKit or the application is misconfigured (missing key, bad option). */
  configuration: 500,
  /** An unexpected failure inside RelayKit. */
  internal: 500,
  /** The upstream model provider returned an error. */
  provider_error: 502,
  /** The upstream model provider is unreachable or overloaded. */
  provider_unavailable: 503,
  /** The store (database, Redis, storage) failed the operation. */
  store_error: 500,
  /** The store is unreachable or cannot serve right now (outage, restart, too many connections); retry later. */
  store_unavailable: 503,
  /** An operation ran past its deadline. */
  timeout: 504,
} as const;

/** A stable RelayKit error code. See {@link RELAYKIT_ERROR_CODES}. */
export type RelayKitErrorCode = keyof typeof RELAYKIT_ERROR_CODES;

/** Options accepted by every RelayKit error constructor. */
export interface RelayKitErrorOptions {
  /** The underlying error, kept for logs; never serialized to clients. */
  cause?: unknown;
  /** Whether trying the same call again may succeed. Defaults to `false`. */
  retryable?: boolean;
  /** Structured, client-safe details (for example the zod issues of an invalid request). */
  details?: unknown;
  /** When a retry may succeed, in milliseconds from now. */
  retryAfterMs?: number;
}

/** The JSON shape of a RelayKit error, safe to send to a client. */
export interface RelayKitErrorJSON {
  name: string;
  code: RelayKitErrorCode;
  message: string;
  retryable: boolean;
  details?: unknown;
  retryAfterMs?: number;
}

/**
 * The base class of every error thrown by a RelayKit package.
 *
 * Each class sets its `name` as a string literal (`override name = 'StoreError'`), never from `new.target.name`:
 * a minifier renames classes, and the name is part of the client-safe JSON. A subclass of your own should do the
 * same, or it reports the name of the class it extends.
 */
export class RelayKitError extends Error {
  override name = 'RelayKitError';
  readonly [RELAYKIT_ERROR] = true;
  /** Stable machine-readable code; see {@link RELAYKIT_ERROR_CODES}. */
  readonly code: RelayKitErrorCode;
  /** Whether the same call may succeed if tried again. */
  readonly retryable: boolean;
  /** Structured, client-safe details. */
  readonly details: unknown;
  /** When a retry may succeed, in milliseconds from now. */
  readonly retryAfterMs: number | undefined;

  constructor(code: RelayKitErrorCode, message: string, options: RelayKitErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.details = options.details;
    this.retryAfterMs = options.retryAfterMs;
  }

  /** True for any RelayKit error, including one thrown by another installed copy of RelayKit. */
  static isInstance(error: unknown): error is RelayKitError {
    return typeof error === 'object' && error !== null && RELAYKIT_ERROR in error;
  }

  /** The client-safe JSON form: no stack, no cause. */
  toJSON(): RelayKitErrorJSON {
    const json: RelayKitErrorJSON = {
      name: this.name,
      code: this.code,
      message: this.message,
      retryable: this.retryable,
    };
    if (this.details !== undefined) json.details = this.details;
    if (this.retryAfterMs !== undefined) json.retryAfterMs = this.retryAfterMs;
    return json;
  }
}

/** Shorthand for {@link RelayKitError.isInstance}. */
export function isRelayKitError(error: unknown): error is RelayKitError {
  return RelayKitError.isInstance(error);
}

/** The HTTP status adapters answer for a code. */
export function httpStatusForCode(code: RelayKitErrorCode): number {
  return RELAYKIT_ERROR_CODES[code];
}

/** Codes that are the caller's fault. */
export type RequestErrorCode =
  | 'invalid_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'rate_limited'
  | 'quota_exceeded'
  | 'cancelled';

/** The caller's request cannot be served as it is (bad input, missing resource, limit reached). */
export class RequestError extends RelayKitError {
  override name = 'RequestError';
  declare readonly code: RequestErrorCode;
  constructor(code: RequestErrorCode, message: string, options?: RelayKitErrorOptions) {
    super(code, message, options);
  }
}

/** RelayKit or the application around it is configured wrongly. */
export class ConfigurationError extends RelayKitError {
  override name = 'ConfigurationError';
  declare readonly code: 'configuration';
  constructor(message: string, options?: RelayKitErrorOptions) {
    super('configuration', message, options);
  }
}

/** Codes for failures of the upstream model provider. */
export type ProviderErrorCode =
  | 'provider_error'
  | 'provider_unavailable'
  | 'content_policy'
  | 'rate_limited'
  | 'quota_exceeded'
  | 'timeout';

/** The upstream provider (OpenAI or a compatible server) failed or refused the call. */
export class ProviderError extends RelayKitError {
  override name = 'ProviderError';
  declare readonly code: ProviderErrorCode;
  constructor(code: ProviderErrorCode, message: string, options?: RelayKitErrorOptions) {
    super(code, message, options);
  }
}

/** Codes for failures of a store (database, Redis, blob storage). */
export type StoreErrorCode = 'store_error' | 'store_unavailable' | 'timeout';

/** A store (database, Redis, blob storage) failed the operation. */
export class StoreError extends RelayKitError {
  override name = 'StoreError';
  declare readonly code: StoreErrorCode;
  constructor(code: StoreErrorCode, message: string, options?: RelayKitErrorOptions) {
    super(code, message, options);
  }
}
