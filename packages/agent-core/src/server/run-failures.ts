import { isRelayKitError } from '@relaykit/sse-protocol';
import { knownRunError } from '../models/provider-errors';
import { failedUsageOf } from '../usage/failure-row';
import type { ChatKitAgentsOptions } from './agents-respond';

/** What a usage error row is written with: the recorder, its error hook, and the row's user. */
type FailureRecorder<TContext> = Pick<ChatKitAgentsOptions<TContext>, 'usage' | 'onUsageError'>;

/** The user a run is for (agents responder, fast path): `options.userId`, else the context's `userId`. */
export function agentsUserId<TContext>(
  options: Pick<ChatKitAgentsOptions<TContext>, 'userId'>,
  context: TContext,
): string {
  return options.userId ? options.userId(context) : String((context as { userId?: unknown }).userId ?? '');
}

/** The model column of a rate-limit denial's usage row: no model was called. */
export const RATE_LIMITED_MODEL = 'none';

/**
 * Records a failed run as a usage error row (`kind: 'chat'`, no tokens, the failure's stable code and client-safe
 * message; an error that is not a known RelayKit or provider error is recorded as `internal`, a cancellation not at
 * all). Never throws: a failed record goes to `onUsageError`.
 */
export async function recordFailedRun<TContext>(
  options: FailureRecorder<TContext>,
  context: TContext,
  userId: string,
  error: unknown,
  row: { model: string; metadata: Record<string, unknown> },
): Promise<void> {
  const failure = failedUsageOf(knownRunError(error));
  if (!options.usage || !failure) return;
  try {
    await options.usage.recordUsage({
      userId,
      kind: 'chat',
      model: row.model,
      metadata: row.metadata,
      ...failure,
    });
  } catch (recordError) {
    options.onUsageError?.(recordError, context);
  }
}

/**
 * Counts a rate-limit denial of a chat request in the usage errors, when `agents` records usage: one `rate_limited`
 * row for the run's user, with model {@link RATE_LIMITED_MODEL}. Anything but a `rate_limited` error (a limiter whose
 * store failed) is not a denial and is not counted. Never throws.
 */
export async function countRateLimitDenial<TContext>(
  agents: ChatKitAgentsOptions<TContext> | undefined,
  context: TContext,
  error: unknown,
): Promise<void> {
  if (!agents?.usage || !isRelayKitError(error) || error.code !== 'rate_limited') return;
  const userId = agentsUserId(agents, context);
  if (userId === '') return;
  await recordFailedRun(agents, context, userId, error, { model: RATE_LIMITED_MODEL, metadata: {} });
}

/**
 * The log of a failed run: the server's `onError` hook, else one `console.error` line naming the failure's code and
 * the request id (from the context), with the error itself for its stack and cause.
 */
export function runFailureLogger<TContext>(
  onError: ((error: unknown, context: TContext) => void) | undefined,
): (error: unknown, context: TContext) => void {
  if (onError) return onError;
  return (error, context) => {
    const known = knownRunError(error);
    const code = known && isRelayKitError(known) ? known.code : 'internal';
    console.error(
      `[relaykit] run failed: ${code} (request ${requestIdOfContext(context) ?? 'without id'})`,
      error,
    );
  };
}

/** The `requestId` a server context carries (the adapters' `AdapterContext` does), when it has one. */
export function requestIdOfContext(context: unknown): string | undefined {
  const value = (context as { requestId?: unknown } | null | undefined)?.requestId;
  return typeof value === 'string' && value !== '' ? value : undefined;
}
