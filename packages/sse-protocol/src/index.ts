/**
 * `@relaykit/sse-protocol`: SSE framing, typed stream events, translators and resumable streams.
 * It sits at the root of RelayKit's dependency graph, so it also owns the shared error base.
 */
export {
  ConfigurationError,
  httpStatusForCode,
  isRelayKitError,
  ProviderError,
  type ProviderErrorCode,
  RELAYKIT_ERROR_CODES,
  RelayKitError,
  type RelayKitErrorCode,
  type RelayKitErrorJSON,
  type RelayKitErrorOptions,
  RequestError,
  type RequestErrorCode,
  StoreError,
  type StoreErrorCode,
} from './errors';
