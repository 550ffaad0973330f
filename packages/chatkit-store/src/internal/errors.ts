import { RelayKitError, RequestError, StoreError } from '@relaykit/sse-protocol';

/** SQLSTATEs raised by the chatkit_* SQL functions (PostgREST's `PTxxx` convention) and Postgres itself. */
const REQUEST_CODES: Record<string, ConstructorParameters<typeof RequestError>[0]> = {
  PT400: 'invalid_request',
  PT401: 'unauthorized',
  PT404: 'not_found',
  PT409: 'conflict',
  PT413: 'payload_too_large',
  '42501': 'forbidden',
  '23505': 'conflict',
  '22P02': 'invalid_request',
  '22007': 'invalid_request',
  '22008': 'invalid_request',
};

const UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
]);

/** Maps a database (postgres.js, PGlite, PostgREST) error to a RelayKit error with a stable code. */
export function toChatKitStoreError(error: unknown): RelayKitError {
  if (error instanceof RelayKitError) return error;
  const record = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    message?: unknown;
  };
  const code = typeof record.code === 'string' ? record.code : '';
  const message = typeof record.message === 'string' ? record.message : String(error);
  const requestCode = REQUEST_CODES[code];
  if (requestCode !== undefined) return new RequestError(requestCode, message, { cause: error });
  if (UNAVAILABLE.has(code) || /^08/.test(code) || code === '57P01')
    return new StoreError('store_unavailable', `chatkit store unavailable: ${message}`, {
      cause: error,
      retryable: true,
    });
  return new StoreError('store_error', `chatkit store failed: ${message}`, {
    cause: error,
    retryable: false,
  });
}
