import { isRelayKitError } from '@relaykit/sse-protocol';
import { emptyUsage, type RecordUsageInput } from '@relaykit/usage-tracker';

/** The fields of a usage record for a failed provider call. */
export type FailedUsageFields = Required<Pick<RecordUsageInput, 'usage' | 'error' | 'errorCode'>>;

/**
 * The usage fields recorded for a failed call: no tokens, the failure's message and code (a failure that is not
 * a known RelayKit error is recorded as `internal`, without its message). `undefined` for a cancellation, which is
 * not a failure and is not recorded. Pass the failure as its `{ code, message }` (a `RelayKitError` or its JSON).
 */
export function failedUsageFields(
  failure: { code: string; message: string } | undefined,
): FailedUsageFields | undefined {
  if (failure?.code === 'cancelled') return undefined;
  return {
    usage: emptyUsage(),
    error: failure?.message ?? 'Internal server error.',
    errorCode: failure?.code ?? 'internal',
  };
}

/** {@link failedUsageFields} of a caught error: only a `RelayKitError` keeps its message and code. */
export function failedUsageOf(error: unknown): FailedUsageFields | undefined {
  return failedUsageFields(isRelayKitError(error) ? error : undefined);
}
