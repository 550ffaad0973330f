import { emptyUsage, type UsageRecorder, usageFromTranscription } from '@relaykit/usage-tracker';
import { failedUsageOf } from '../usage/failure-row';

/** What the transcriber needs to record one call's usage. */
export interface TranscriptionUsageOptions<TContext> {
  usage: Pick<UsageRecorder, 'recordUsage'>;
  userIdOf: (context: TContext) => string;
  onUsageError: ((error: unknown, context: TContext) => void) | undefined;
}

/** The outcome of one transcription call: the OpenAI answer, or the (mapped) failure. */
export type TranscriptionOutcome = { ok: true; result: unknown } | { ok: false; error: unknown };

/**
 * Records one `kind: 'transcription'` row for a call that reached OpenAI: the answer's `usage` (tokens or duration)
 * priced by the recorder, `unpriced` when the answer carried none, or an empty usage with `error` and `errorCode`
 * for a failed call (a cancelled one is not recorded). Never throws: a failed record goes to `onUsageError`.
 */
export async function recordTranscription<TContext>(
  options: TranscriptionUsageOptions<TContext>,
  context: TContext,
  model: string,
  outcome: TranscriptionOutcome,
  metadata: Record<string, unknown>,
): Promise<void> {
  try {
    const base = { userId: options.userIdOf(context), kind: 'transcription' as const, model, metadata };
    if (!outcome.ok) {
      const failure = failedUsageOf(outcome.error);
      if (failure) await options.usage.recordUsage({ ...base, ...failure });
      return;
    }
    const reported = (outcome.result as { usage?: unknown } | null)?.usage;
    if (reported === undefined || reported === null) {
      await options.usage.recordUsage({
        ...base,
        usage: { ...emptyUsage(), requests: 1 },
        cost: { status: 'unpriced', model, reason: 'the transcription answer carried no usage' },
      });
      return;
    }
    await options.usage.recordUsage({ ...base, usage: usageFromTranscription(reported) });
  } catch (error) {
    options.onUsageError?.(error, context);
  }
}
