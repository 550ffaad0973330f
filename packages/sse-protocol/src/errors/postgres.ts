/**
 * The one mapping from a Postgres failure to a RelayKit error, shared by every store (ChatKit store, usage tracker,
 * the Postgres tool pack, image rows, the stream log). It reads the error by shape, so it works for postgres.js
 * (porsager), `pg`, PGlite, and the JSON errors of PostgREST that supabase-js returns (`{ code, message, details,
 * hint }`), whichever copy of a driver threw it.
 *
 * Messages are client-safe: they never hold the driver's text, the SQL, or the database's name, host, port or user
 * (the original error stays in `cause` for server logs). The one exception is {@link PostgresErrorOptions.statement}
 * `'caller'`: errors about a statement the caller wrote keep the database's message, which is about that statement.
 */
import {
  ConfigurationError,
  isRelayKitError,
  type RelayKitError,
  type RelayKitErrorOptions,
  RequestError,
  type RequestErrorCode,
  StoreError,
} from '../errors';

/** How long a client should wait before retrying when the store is unavailable. */
export const STORE_RETRY_AFTER_MS = 1000;

/** Options of {@link postgresError}. */
export interface PostgresErrorOptions {
  /**
   * What was being done, for the message (`'chatkit_save_thread'`, `'usage_record'`). Never put SQL text, hosts or
   * database names here: it reaches the client.
   */
  operation?: string;
  /**
   * Whose SQL failed. `'store'` (default): the package's own statements, so an unknown table or function means the
   * schema is missing or out of date (`configuration`). `'caller'`: a statement the caller wrote (a model's query in a
   * tool); errors about it (SQLSTATE classes 0A, 22, 23, 2B, 2F, 3F, 42, and 25006) keep the database's message, which names
   * only the caller's own tables and columns, so the caller can fix the statement.
   */
  statement?: 'store' | 'caller';
  /** The HTTP status of a PostgREST (supabase-js) answer: 0 (no answer) and 5xx without an error code mean unreachable. */
  httpStatus?: number;
}

interface ErrorShape {
  code?: unknown;
  sqlState?: unknown;
  message?: unknown;
  details?: unknown;
  name?: unknown;
  cause?: unknown;
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

/** Network and driver codes that mean the database cannot be reached (Node, postgres.js, pg). */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Driver messages without a code that mean the connection is gone (pg, PGlite, fetch under supabase-js). */
const UNREACHABLE_TEXT =
  /\b(?:ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EPIPE)\b|fetch failed|Connection terminated|connection (?:is )?(?:closed|ended)|socket hang up|PGlite is closed|terminating connection/i;

/** SQLSTATEs of a database that is down, restarting, overloaded or out of connections. */
function isUnavailableState(state: string): boolean {
  return (
    state.startsWith('08') || // connection exception
    state.startsWith('53') || // insufficient resources, too many connections
    state === '57P01' || // admin shutdown (also pg_terminate_backend)
    state === '57P02' || // crash shutdown
    state === '57P03' || // cannot connect now (starting up, recovery)
    state === '57P05' // idle session timeout
  );
}

/** PostgREST's own codes for a database it cannot reach (PGRST000-003: connection, pool, schema cache). */
const POSTGREST_UNAVAILABLE = new Set(['PGRST000', 'PGRST001', 'PGRST002', 'PGRST003']);
/** PostgREST: the function or table is not in its schema cache (migrations not applied). */
const POSTGREST_SCHEMA = new Set(['PGRST200', 'PGRST202', 'PGRST204', 'PGRST205']);

/** RelayKit's own SQL raises `PTxxx` (PostgREST's convention: HTTP status xxx), with a message meant for the caller. */
const PT_CODES: Record<string, RequestErrorCode> = {
  PT400: 'invalid_request',
  PT401: 'unauthorized',
  PT403: 'forbidden',
  PT404: 'not_found',
  PT409: 'conflict',
  PT413: 'payload_too_large',
  PT429: 'rate_limited',
};

/** Class 22 (data exception): a value of the request the database cannot take. */
const DATA_MESSAGES: Record<string, string> = {
  '22P05': 'The request contains a NUL character or text that is not valid Unicode.',
  '22021': 'The request contains a NUL character or bytes that are not valid text.',
  '22003': 'A number in the request is out of range.',
  '22001': 'A value in the request is too long.',
  '22P02': 'A value in the request has the wrong format.',
  '22007': 'A date or time in the request has the wrong format.',
  '22008': 'A date or time in the request is out of range.',
  '22012': 'The request divides by zero.',
  '22023': 'A value in the request is invalid.',
};

/** Class 23 (integrity): state-dependent violations are `conflict`, the rest is the input's fault. */
const CONFLICT_STATES = new Set(['23505', '23503', '23P01', '23001']);

/** Statement errors in the store's own SQL that mean the schema is missing or older than the code. */
const SCHEMA_STATES = new Set(['42P01', '42883', '42703', '42704', '3F000']);

function shapeOf(error: unknown): ErrorShape {
  return typeof error === 'object' && error !== null ? (error as ErrorShape) : {};
}

function codeOf(shape: ErrorShape): string {
  if (typeof shape.code === 'string' && shape.code !== '') return shape.code;
  if (typeof shape.sqlState === 'string') return shape.sqlState;
  return '';
}

/** True when the error, or one of its causes, says the database cannot be reached. */
function isUnreachable(error: unknown, depth = 0): boolean {
  if (depth > 4 || typeof error !== 'object' || error === null) return false;
  const shape = error as ErrorShape;
  if (UNREACHABLE_CODES.has(codeOf(shape))) return true;
  const text = `${typeof shape.message === 'string' ? shape.message : ''} ${typeof shape.details === 'string' ? shape.details : ''}`;
  if (UNREACHABLE_TEXT.test(text)) return true;
  if (error instanceof AggregateError && error.errors.some((inner) => isUnreachable(inner, depth + 1)))
    return true;
  return isUnreachable(shape.cause, depth + 1);
}

/**
 * Maps any Postgres, PGlite or PostgREST failure to a RelayKit error with a stable code and a client-safe message.
 *
 * | SQLSTATE / cause                                                           | code                          | retryable |
 * | -------------------------------------------------------------------------- | ----------------------------- | --------- |
 * | `08*`, `53*`, `57P01`-`57P03`, `57P05`, network errors, PostgREST 0/5xx     | `store_unavailable` (1 s)     | yes       |
 * | `40001` serialization failure, `40P01` deadlock, `55P03` lock not available | `conflict`                    | yes       |
 * | `57014` statement timeout / query cancelled                                  | `timeout`                     | no        |
 * | `23505`, `23503`, `23P01`, `23001` (depend on stored rows)                    | `conflict`                    | no        |
 * | other `23*` (not null, check)                                                | `invalid_request`             | no        |
 * | `22*` (NUL byte, out of range, bad text representation)                      | `invalid_request`             | no        |
 * | `42501` insufficient privilege                                               | `forbidden`                   | no        |
 * | `PTxxx` raised by RelayKit's SQL (message kept)                              | the status's code             | no        |
 * | `28*`, `3D000` (credentials, unknown database); unknown table or function    | `configuration`               | no        |
 * | PostgREST `PGRST301`-`PGRST303` (JWT)                                        | `unauthorized`                | no        |
 * | anything else (including `P0002` no data: callers decide)                    | `store_error`                 | no        |
 */
export function postgresError(error: unknown, options: PostgresErrorOptions = {}): RelayKitError {
  if (isRelayKitError(error)) return error;
  const shape = shapeOf(error);
  const code = codeOf(shape);
  const databaseMessage = typeof shape.message === 'string' ? shape.message : '';
  const prefix = options.operation ? `${options.operation}: ` : '';
  const sqlState = SQLSTATE.test(code) || code.startsWith('PGRST') ? code : undefined;
  const base = (extra: RelayKitErrorOptions = {}): RelayKitErrorOptions => ({
    cause: error,
    ...(sqlState ? { details: { sqlState } } : {}),
    ...extra,
  });
  const unavailable = () =>
    new StoreError('store_unavailable', `${prefix}The store is unavailable; try again shortly.`, {
      ...base(),
      retryable: true,
      retryAfterMs: STORE_RETRY_AFTER_MS,
    });
  const failed = () => new StoreError('store_error', `${prefix}The store failed the operation.`, base());
  const caller = options.statement === 'caller';

  if (code.startsWith('PGRST')) {
    if (POSTGREST_UNAVAILABLE.has(code)) return unavailable();
    if (/^PGRST30\d$/.test(code))
      return new RequestError(
        'unauthorized',
        `${prefix}The store refused the credentials of the request.`,
        base(),
      );
    if (POSTGREST_SCHEMA.has(code)) return schemaMissing(prefix, base());
    return failed();
  }

  if (SQLSTATE.test(code)) {
    if (/^PT\d{3}$/.test(code)) {
      const ptCode = PT_CODES[code] ?? (Number(code.slice(2)) < 500 ? 'invalid_request' : undefined);
      if (ptCode === undefined) return failed();
      return new RequestError(ptCode, databaseMessage || `${prefix}The store refused the request.`, base());
    }
    if (isUnavailableState(code)) return unavailable();
    if (code === '40001' || code === '40P01' || code === '55P03')
      return new RequestError(
        'conflict',
        `${prefix}The change collided with a concurrent one; try again.`,
        base({ retryable: true }),
      );
    if (code === '57014')
      return new StoreError(
        'timeout',
        `${prefix}The statement ran past its time limit and was cancelled.`,
        base(),
      );
    if (code === '25006')
      return caller
        ? new RequestError('forbidden', `The statement may not change data here: ${databaseMessage}`, base())
        : unavailable(); // a read-only store: a standby after a failover
    if (code.startsWith('23')) {
      if (CONFLICT_STATES.has(code))
        return new RequestError(
          'conflict',
          caller ? databaseMessage : `${prefix}The change conflicts with the stored data.`,
          base(),
        );
      return new RequestError(
        'invalid_request',
        caller
          ? databaseMessage
          : `${prefix}${code === '23502' ? 'A required value is missing.' : 'A value in the request breaks a rule of the store.'}`,
        base(),
      );
    }
    if (code.startsWith('22'))
      return new RequestError(
        'invalid_request',
        caller
          ? databaseMessage
          : `${prefix}${DATA_MESSAGES[code] ?? 'A value in the request cannot be stored.'}`,
        base(),
      );
    if (code === '42501')
      return new RequestError(
        'forbidden',
        caller ? databaseMessage : `${prefix}The store refused the operation for this user.`,
        base(),
      );
    if (code.startsWith('28') || code === '3D000')
      return new ConfigurationError(
        `${prefix}The store refused the connection settings (credentials or database name).`,
        base(),
      );
    if (caller && /^(?:42|0A|2B|2F|3F)/.test(code)) {
      const callerCode: RequestErrorCode =
        code === '42P01'
          ? 'not_found'
          : code === '42P07' || code === '42710' || code === '2BP01'
            ? 'conflict'
            : 'invalid_request';
      return new RequestError(callerCode, databaseMessage, base());
    }
    if (SCHEMA_STATES.has(code)) return schemaMissing(prefix, base());
    return failed();
  }

  if (isUnreachable(error)) return unavailable();
  const name = typeof shape.name === 'string' ? shape.name : '';
  if (
    name === 'AbortError' ||
    name === 'TimeoutError' ||
    /^(?:AbortError|TimeoutError):/.test(databaseMessage)
  )
    return new StoreError('timeout', `${prefix}The store did not answer in time.`, {
      ...base(),
      retryable: true,
    });
  if (options.httpStatus !== undefined && (options.httpStatus === 0 || options.httpStatus >= 500))
    return unavailable();
  return failed();
}

function schemaMissing(prefix: string, options: RelayKitErrorOptions): ConfigurationError {
  return new ConfigurationError(
    `${prefix}The store's schema is missing or out of date; apply the package's migrations.`,
    options,
  );
}
