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

/**
 * The model column of a failed run's usage row when no model was called (a rate-limit denial, a store or
 * configuration failure before the model stream) and none had been chosen yet.
 */
export const NO_MODEL = 'none';

/** The model column of a rate-limit denial's usage row: no model was called ({@link NO_MODEL}). */
export const RATE_LIMITED_MODEL = NO_MODEL;

/** Failures already recorded: a failure seen by the responder and again by the server is one row. */
const recorded = new WeakSet<object>();

/**
 * Records a failed run as a usage error row (`kind: 'chat'`, no tokens, the failure's stable code and client-safe
 * message; an error that is not a known RelayKit or provider error is recorded as `internal`, a cancellation not at
 * all), with the request id of the context (`metadata.request_id`) when it has one. One failure is recorded once:
 * a second call with the same error does nothing. Never throws: a failed record goes to `onUsageError`.
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
  if (typeof error === 'object' && error !== null) {
    if (recorded.has(error)) return;
    recorded.add(error);
  }
  const requestId = requestIdOfContext(context);
  try {
    await options.usage.recordUsage({
      userId,
      kind: 'chat',
      model: row.model,
      metadata: { ...row.metadata, ...(requestId ? { request_id: requestId } : {}) },
      ...failure,
    });
  } catch (recordError) {
    options.onUsageError?.(recordError, context);
  }
}

/** What the server knew of a run when it failed: each part when it was known. */
export interface RunFailureScope {
  /** The run's thread id. */
  threadId?: string | undefined;
  /** The routed agent type. */
  agent?: string | undefined;
  /** The routed model. */
  model?: string | undefined;
}

/**
 * Records a run that failed in the server (before the responder's stream started: a rate-limit denial, a store that
 * failed, a routing error, a missing API key; or in the stream itself), when `agents` records usage: one row for the
 * run's user with the failure's code, the agent and model when known (else model {@link NO_MODEL}), the thread and
 * the request id. A run without a user is not recorded; a failure the responder recorded already is not recorded
 * again. Never throws.
 */
export async function recordServerRunFailure<TContext>(
  agents: ChatKitAgentsOptions<TContext> | undefined,
  context: TContext,
  error: unknown,
  scope: RunFailureScope = {},
): Promise<void> {
  if (!agents?.usage) return;
  const userId = agentsUserId(agents, context);
  if (userId === '') return;
  await recordFailedRun(agents, context, userId, error, {
    model: scope.model ?? NO_MODEL,
    metadata: {
      ...(scope.threadId ? { thread_id: scope.threadId } : {}),
      ...(scope.agent ? { agent: scope.agent } : {}),
    },
  });
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
