import type { ThreadStreamEventInput } from '@relaykit/sse-protocol';

/**
 * What a run showed, for its retraction when it fails on a guardrail tripwire: every item shown
 * (`thread.item.added` / `done`, user messages aside) and not retracted yet (`thread.item.removed`). The translator
 * retracts what it emitted itself; `removals()` adds what tools streamed into the turn through the run context
 * (progress, widgets, workflows), as chatkit-python's agents bridge does with its `produced_items`. The pipeline
 * deletes removed items from the store.
 */
export class ShownItems {
  readonly #shown = new Set<string>();

  /** Notes one event sent to the client. */
  track(event: ThreadStreamEventInput): void {
    if (event.type === 'thread.item.added' || event.type === 'thread.item.done') {
      const item = (event as { item?: { id?: unknown; type?: unknown } }).item;
      if (typeof item?.id === 'string' && item.type !== 'user_message') this.#shown.add(item.id);
    } else if (event.type === 'thread.item.removed') {
      this.#shown.delete(String((event as { item_id?: unknown }).item_id));
    }
  }

  /** A `thread.item.removed` per item still shown, in the order they were shown; the set is emptied. */
  removals(): ThreadStreamEventInput[] {
    const removed = [...this.#shown].map(
      (id): ThreadStreamEventInput => ({ type: 'thread.item.removed', item_id: id }),
    );
    this.#shown.clear();
    return removed;
  }
}
