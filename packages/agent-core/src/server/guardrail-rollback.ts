import { isGuardrailTripwire, type ThreadStreamEventInput } from '@relaykit/sse-protocol';

/**
 * Passes a run's events through and, when the run fails on a guardrail tripwire, first retracts every item the run
 * showed that is not retracted yet (`thread.item.removed`): the translator retracts what it emitted itself, this adds
 * what tools streamed into the turn through the run context (progress, widgets, workflows), as chatkit-python's agents
 * bridge does with its `produced_items`. The pipeline deletes removed items from the store. The error is rethrown.
 */
export async function* rollbackOnTripwire(
  events: AsyncIterable<ThreadStreamEventInput>,
): AsyncGenerator<ThreadStreamEventInput> {
  const shown = new Set<string>();
  try {
    for await (const event of events) {
      if (event.type === 'thread.item.added' || event.type === 'thread.item.done') {
        const item = (event as { item?: { id?: unknown; type?: unknown } }).item;
        if (typeof item?.id === 'string' && item.type !== 'user_message') shown.add(item.id);
      } else if (event.type === 'thread.item.removed') {
        shown.delete(String((event as { item_id?: unknown }).item_id));
      }
      yield event;
    }
  } catch (error) {
    if (isGuardrailTripwire(error))
      for (const id of shown) yield { type: 'thread.item.removed', item_id: id };
    throw error;
  }
}
