/** The body PostgREST answers errors with. */
export interface PostgrestErrorBody {
  code: string;
  message: string;
  details: string | null;
  hint: string | null;
}

/** A PostgREST error: HTTP status, body and extra headers. */
export interface PostgrestErrorResponse {
  status: number;
  body: PostgrestErrorBody;
  headers?: Record<string, string>;
}

const EXACT: Record<string, number> = {
  '23503': 409,
  '23505': 409,
  '25006': 405,
  '53400': 500,
  P0001: 400,
  '42883': 404,
  '42P01': 404,
  '42P17': 500,
};

const BY_CLASS: Array<[string, number]> = [
  ['08', 503],
  ['09', 500],
  ['0L', 403],
  ['0P', 403],
  ['25', 500],
  ['28', 403],
  ['2D', 500],
  ['38', 500],
  ['39', 500],
  ['3B', 500],
  ['40', 500],
  ['53', 503],
  ['54', 500],
  ['55', 500],
  ['57', 500],
  ['58', 500],
  ['F0', 500],
  ['HV', 500],
  ['P0', 500],
  ['XX', 500],
];

/**
 * The HTTP status PostgREST answers for a SQLSTATE (its documented table): `42501` is 403 when the request carried
 * a JWT and 401 otherwise, `PTxyz` is status `xyz`, anything unlisted is 400.
 */
export function postgrestStatusForSqlState(sqlState: string, authenticated: boolean): number {
  if (sqlState === '42501') return authenticated ? 403 : 401;
  if (/^PT\d{3}$/.test(sqlState)) return Number(sqlState.slice(2));
  const exact = EXACT[sqlState];
  if (exact !== undefined) return exact;
  for (const [prefix, status] of BY_CLASS) if (sqlState.startsWith(prefix)) return status;
  return 400;
}

interface DatabaseErrorLike {
  code: string;
  message: string;
  detail?: string | undefined;
  hint?: string | undefined;
}

export function isDatabaseError(error: unknown): error is DatabaseErrorLike {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    /^[0-9A-Z]{5}$/.test((error as { code: string }).code) &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

/** Maps a Postgres error raised by the function to PostgREST's answer (including `RAISE sqlstate 'PGRST'`). */
export function postgrestErrorFromDatabase(
  error: DatabaseErrorLike,
  authenticated: boolean,
): PostgrestErrorResponse {
  if (error.code === 'PGRST') {
    try {
      const body = JSON.parse(error.message) as Partial<PostgrestErrorBody>;
      const detail = JSON.parse(error.detail ?? '{}') as {
        status?: number;
        headers?: Record<string, string>;
      };
      return {
        status: detail.status ?? 400,
        body: {
          code: String(body.code ?? ''),
          message: String(body.message ?? ''),
          details: body.details ?? null,
          hint: body.hint ?? null,
        },
        headers: detail.headers ?? {},
      };
    } catch {
      return pgrst(
        500,
        'PGRST121',
        'Could not parse JSON in the "RAISE SQLSTATE \'PGRST\'" error',
        null,
        null,
      );
    }
  }
  return {
    status: postgrestStatusForSqlState(error.code, authenticated),
    body: {
      code: error.code,
      message: error.message,
      details: error.detail ?? null,
      hint: error.hint ?? null,
    },
  };
}

export function pgrst(
  status: number,
  code: string,
  message: string,
  details: string | null = null,
  hint: string | null = null,
  headers?: Record<string, string>,
): PostgrestErrorResponse {
  return headers === undefined
    ? { status, body: { code, message, details, hint } }
    : { status, body: { code, message, details, hint }, headers };
}
