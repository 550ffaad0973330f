import type { ThreadStreamEvent } from '../chatkit/events';
import type { ChatKitTranslationOptions } from './options';
import { ResponsesToChatKitTranslator } from './responses';

/**
 * The slice of an `@openai/agents` run stream event this translator reads. `StreamedRunResult` is an async iterable
 * of these; only `raw_model_stream_event`s whose `data` is `{ type: 'model', event }` (the raw Responses event) are used.
 */
export interface AgentsRunStreamEvent {
  readonly type: string;
  readonly data?: unknown;
}

/** A `StreamedRunResult` or any iterable of its events. */
export type AgentsRunSource =
  | AsyncIterable<AgentsRunStreamEvent>
  | Iterable<AgentsRunStreamEvent>
  | (AsyncIterable<AgentsRunStreamEvent> & { completed?: Promise<unknown> });

/**
 * Translates an `@openai/agents` streamed run (`run(agent, input, { stream: true })`) into ChatKit stream events,
 * exactly like {@link responsesToChatKit} does for the underlying Responses events.
 *
 * The SDK reports text twice: as raw Responses events (`raw_model_stream_event` with `data.type === 'model'`) and as
 * normalized `output_text_delta` / `response_done` data events. Only the raw events are read, so each delta appears
 * once. Runs on the Chat Completions API produce no raw Responses events and translate to nothing.
 * After the events end, a rejected `result.completed` (the run failed) is rethrown. When the failure is a guardrail
 * tripwire, a `thread.item.removed` for every item the run produced is emitted first (docs/specs/chatkit-protocol.md §8.1).
 */
export async function* agentsRunToChatKit(
  run: AgentsRunSource,
  options: ChatKitTranslationOptions,
): AsyncGenerator<ThreadStreamEvent, void, undefined> {
  const translator = new ResponsesToChatKitTranslator(options);
  try {
    for await (const event of run) {
      if (event?.type !== 'raw_model_stream_event') continue;
      const data = event.data as { type?: unknown; event?: unknown } | undefined;
      if (data?.type !== 'model' || typeof data.event !== 'object' || data.event === null) continue;
      if (typeof (data.event as { type?: unknown }).type !== 'string') continue;
      yield* translator.push(data.event);
      if (translator.failed) return;
    }
    const completed = (run as { completed?: Promise<unknown> }).completed;
    if (completed !== undefined) await completed;
    yield* translator.endWorkflow();
  } catch (error) {
    // A guardrail tripwire retracts everything the run showed (docs/specs/chatkit-protocol.md §8.1), then the error goes to the caller.
    if (isGuardrailTripwire(error)) yield* translator.removeEmittedItems();
    throw error;
  }
}

/** True for the Agents SDK's `InputGuardrailTripwireTriggered` / `OutputGuardrailTripwireTriggered`. */
export function isGuardrailTripwire(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'InputGuardrailTripwireTriggered' || name === 'OutputGuardrailTripwireTriggered';
}
