import {
  isProviderApiError,
  isRelayKitError,
  providerError,
  type RelayKitError,
} from '@relaykit/sse-protocol';

/**
 * Maps an error of an OpenAI call to a RelayKit error with a stable code. It is `providerError` of
 * `@relaykit/sse-protocol`, the one mapping chat, images and transcription share (table in its README): 401/403 →
 * `configuration`, 429 → `rate_limited` (or `quota_exceeded` for `insufficient_quota`) with `retryAfterMs`, policy
 * refusals → `content_policy`, 5xx and connection failures → `provider_unavailable` (retryable), timeouts →
 * `timeout`, aborts → `cancelled`, other 4xx → `provider_error`.
 *
 * @deprecated Use `providerError` of `@relaykit/sse-protocol` (this is the same function).
 */
export const toRelayKitError: typeof providerError = providerError;

/**
 * The RelayKit error a run failure stands for, when it is known: a RelayKit error itself, or an error of an OpenAI
 * API call (recognised by its shape, whichever copy of the SDK threw it) mapped by `providerError`. `undefined` for
 * anything else (a bug, a tool's own exception), whose message must not reach the client.
 */
export function knownRunError(error: unknown): RelayKitError | undefined {
  if (isRelayKitError(error)) return error;
  if (isProviderApiError(error)) return providerError(error);
  return undefined;
}
