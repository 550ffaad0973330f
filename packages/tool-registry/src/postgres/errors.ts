import { isRelayKitError, RequestError, StoreError } from '@relaykit/sse-protocol';

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
]);

/**
 * Maps a postgres.js error to a RelayKit error whose message the model may read. Messages about the caller's own
 * statement (syntax, unknown column, permission) are passed on; anything else is replaced by a generic message.
 */
export function toPostgresToolError(error: unknown): Error {
  if (isRelayKitError(error)) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code !== 'string')
    return new StoreError('store_error', 'The database failed the operation.', { cause: error });
  if (CONNECTION_CODES.has(code)) {
    return new StoreError('store_unavailable', 'The database is unreachable.', {
      cause: error,
      retryable: true,
    });
  }
  if (code === '25006') {
    return new RequestError(
      'forbidden',
      `The statement tried to change data, which this tool never does: ${message}`,
      {
        cause: error,
      },
    );
  }
  if (code === '57014') {
    return new StoreError('timeout', 'The statement ran past its time limit and was cancelled.', {
      cause: error,
    });
  }
  if (code === '42501') return new RequestError('forbidden', message, { cause: error });
  if (code === '42P07' || code === '2BP01' || code === '23505')
    return new RequestError('conflict', message, { cause: error });
  if (code === '42P01') return new RequestError('not_found', message, { cause: error });
  if (code.startsWith('42') || code.startsWith('22') || code.startsWith('0A') || code.startsWith('2F')) {
    return new RequestError('invalid_request', message, { cause: error });
  }
  return new StoreError('store_error', 'The database failed the operation.', { cause: error });
}
