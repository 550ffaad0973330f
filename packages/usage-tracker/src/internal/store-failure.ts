import { isRelayKitError, StoreError } from '@relaykit/sse-protocol';

/**
 * What a limiter or a budget reports when its store failed (`result.storeError`, `onError`): a store error as the
 * driver typed it; a refusal by the store (forbidden, configuration, ...) as `store_error`; anything untyped (a
 * driver of your own that throws a plain error) as `store_unavailable`, retryable. `invalid_request` is the caller's
 * and is rethrown.
 */
export function storeFailureOf(error: unknown, what: string): StoreError {
  if (isRelayKitError(error) && error.code === 'invalid_request') throw error;
  if (error instanceof StoreError) return error;
  if (isRelayKitError(error))
    return new StoreError('store_error', `the ${what} store refused the operation`, { cause: error });
  return new StoreError('store_unavailable', `the ${what} store failed`, { cause: error, retryable: true });
}
