/**
 * `@relaykit/image-gen`. See README.md for what this package owns; its features land with the issue that owns it.
 */
export {
  isRelayKitError,
  RelayKitError,
  type RelayKitErrorCode,
  type RelayKitErrorJSON,
} from '@relaykit/sse-protocol';
