import { requestIdOfContext } from '../server/run-failures';
import type { ErrorResponseOptions } from './errors';

/** The header a request id travels in, both ways: a proxy's id is reused, and every answer carries one. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** What an incoming request id may look like to be reused (anything else is replaced by a fresh one). */
const REUSABLE_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** Whether `value` looks like a request id the adapters use (8–128 of `A–Z a–z 0–9 . _ : -`; `req_…` ones do). */
export function isRequestId(value: string): boolean {
  return REUSABLE_ID.test(value);
}

/** A fresh request id: `req_` and 32 hex digits. */
export function newRequestId(): string {
  return `req_${crypto.randomUUID().replaceAll('-', '')}`;
}

/**
 * The request id of a request: its `x-request-id` header when a proxy or the client set a plausible one (8–128 of
 * `A–Z a–z 0–9 . _ : -`), else a fresh id. Responses carry it back (header and JSON error body) and server logs name
 * it, so a user can quote it.
 */
export function requestIdOf(request: Request): string {
  const given = request.headers.get(REQUEST_ID_HEADER);
  return given !== null && isRequestId(given) ? given : newRequestId();
}

export { requestIdOfContext } from '../server/run-failures';

/**
 * The `errorResponse` options of a ChatKit server's JSON error answer: the context's request id, and the server's
 * `onError` hook as the one log of an answer ≥ 500 (the default server-error log without a hook).
 */
export function serverErrorOptions<TContext>(
  onError: ((error: unknown, context: TContext) => void) | undefined,
  context: TContext,
): ErrorResponseOptions {
  const requestId = requestIdOfContext(context);
  return {
    ...(requestId ? { requestId } : {}),
    ...(onError ? { onServerError: (error: unknown) => onError(error, context) } : {}),
  };
}
