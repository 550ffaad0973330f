import {
  isGuardrailTripwire,
  isProviderApiError,
  isRelayKitError,
  providerError,
  RelayKitError,
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
 * API call (recognised by its shape, whichever copy of the SDK threw it) mapped by `providerError`, or an Agents SDK
 * guardrail tripwire (`content_policy`, not retryable: the same input trips it again). `undefined` for anything else
 * (a bug, a tool's own exception), whose message must not reach the client.
 */
export function knownRunError(error: unknown): RelayKitError | undefined {
  if (isRelayKitError(error)) return error;
  if (isGuardrailTripwire(error)) return guardrailError(error);
  if (isProviderApiError(error)) return providerError(error);
  return undefined;
}

/**
 * A guardrail tripwire as a `content_policy` error whose message the client may see: which side tripped (the user's
 * message or the answer) and the guardrail's name; the guardrail's own output info stays server-side (in `cause`).
 */
function guardrailError(error: unknown): RelayKitError {
  const tripwire = error as { name?: string; result?: { guardrail?: { name?: unknown } } };
  const input = tripwire.name === 'InputGuardrailTripwireTriggered';
  const guardrail =
    typeof tripwire.result?.guardrail?.name === 'string' ? tripwire.result.guardrail.name : undefined;
  const message = input
    ? 'Your message was blocked by a safety check.'
    : 'The answer was withdrawn by a safety check.';
  return new RelayKitError('content_policy', message, {
    cause: error,
    details: { guardrail: guardrail ?? null, side: input ? 'input' : 'output' },
  });
}
