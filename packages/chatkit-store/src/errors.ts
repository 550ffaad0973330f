/**
 * The errors this package throws are the monorepo's: `RequestError` for the caller's input (`not_found`,
 * `invalid_request`, `payload_too_large`, `forbidden`, `conflict`, `unauthorized`) and `StoreError` for the database
 * (`store_error`, `store_unavailable`). Re-exported here for convenience.
 */
export { isRelayKitError, RelayKitError, RequestError, StoreError } from '@relaykit/sse-protocol';
