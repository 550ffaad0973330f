import {
  type AgentsRunSource,
  type AgentsRunStreamEvent,
  type AgentsRunTranslationOptions,
  createAgentsRunTranslator,
  isGuardrailTripwire,
  type ThreadStreamEventInput,
  withImageUrl,
} from '@relaykit/sse-protocol';
import { annotateAgent } from './agent-annotation';
import { ShownItems } from './guardrail-rollback';

/** Events queued beside the run (the run context's channel, tool progress), drained by {@link agentsRunEvents}. */
export interface QueuedEvents {
  take(): ThreadStreamEventInput[];
  listen(wake: (() => void) | undefined): void;
}

/** Options of {@link agentsRunEvents}. */
export interface AgentsRunEventsOptions {
  /** The translator's options (`imageUrl` included). */
  translation: AgentsRunTranslationOptions;
  /** What tools emit through the run context: sent as soon as it is emitted, before the run's next event. */
  channel: QueuedEvents;
  /**
   * Tool progress: its workflow events, what goes before each of the run's events (a generated image joins its
   * workflow, another item ends it) and the end of its workflow at the end of the run.
   */
  progress?:
    | (QueuedEvents & {
        before(event: ThreadStreamEventInput): ThreadStreamEventInput[];
        end(): ThreadStreamEventInput[];
      })
    | undefined;
  /** The agent that answers now (names each finished assistant message, see `annotateAgent`). */
  agent: () => string | undefined;
}

const isItemEvent = (
  event: ThreadStreamEventInput,
): event is ThreadStreamEventInput & { item: { id: string; type: string } } =>
  event.type === 'thread.item.added' || event.type === 'thread.item.done';

/**
 * The ChatKit events of one agents run, in one pass per run event: the run translated (`createAgentsRunTranslator`,
 * generated images through `imageUrl`), the events tools emit interleaved as soon as they arrive (first at every
 * step), tool progress, each finished assistant message named after its agent, and, when the run fails on a guardrail
 * tripwire, every item it showed retracted (`thread.item.removed`: the translator's own items first, then what tools
 * streamed into the turn) before the error is rethrown. One loop instead of one generator per concern: a text delta
 * costs one await here.
 */
export async function* agentsRunEvents(
  run: AgentsRunSource,
  options: AgentsRunEventsOptions,
): AsyncGenerator<ThreadStreamEventInput, void, undefined> {
  const translator = createAgentsRunTranslator(options.translation);
  const { imageUrl } = options.translation;
  const { channel, progress, agent } = options;
  /** The translator's items (`added` or `done`), in order: what its retraction removes. */
  const translated = new Set<string>();
  const shown = new ShownItems();
  const send = (event: ThreadStreamEventInput): ThreadStreamEventInput => {
    shown.track(event);
    return annotateAgent(event, agent());
  };
  let wake: ((value: undefined) => void) | undefined;
  const onEmit = () => {
    const resolve = wake;
    wake = undefined;
    resolve?.(undefined);
  };
  channel.listen(onEmit);
  progress?.listen(onEmit);
  const iterator = (run as AsyncIterable<AgentsRunStreamEvent>)[Symbol.asyncIterator]
    ? (run as AsyncIterable<AgentsRunStreamEvent>)[Symbol.asyncIterator]()
    : (async function* () {
        yield* run as Iterable<AgentsRunStreamEvent>;
      })();
  /** The translated events of one step, each after what tools queued meanwhile. */
  async function* step(
    events: ThreadStreamEventInput[],
  ): AsyncGenerator<ThreadStreamEventInput, void, undefined> {
    for (let event of events) {
      for (const queued of channel.take()) yield send(queued);
      if (progress) for (const queued of progress.take()) yield send(queued);
      if (isItemEvent(event)) translated.add(event.item.id);
      if (progress) for (const before of progress.before(event)) yield send(before);
      const image = imageUrl === undefined ? undefined : translator.imageOf(event as never);
      if (image !== undefined && imageUrl !== undefined)
        event = await withImageUrl(event as never, image, imageUrl);
      yield send(event);
    }
  }
  let open = true;
  try {
    for (;;) {
      for (const queued of channel.take()) yield send(queued);
      if (progress) for (const queued of progress.take()) yield send(queued);
      const pull = iterator.next();
      let result: IteratorResult<AgentsRunStreamEvent> | undefined;
      // Wait for the run's next event, or wake up when a tool queues events meanwhile (sent, then wait again).
      for (;;) {
        result = await new Promise<IteratorResult<AgentsRunStreamEvent> | undefined>((resolve, reject) => {
          wake = resolve;
          pull.then(resolve, (error: unknown) => {
            open = false;
            reject(error);
          });
        });
        wake = undefined;
        if (result !== undefined) break;
        for (const queued of channel.take()) yield send(queued);
        if (progress) for (const queued of progress.take()) yield send(queued);
      }
      if (result.done) break;
      const events = translator.push(result.value);
      if (events.length === 0) continue;
      // The common step, one text delta: no nested generator.
      if (events.length === 1 && imageUrl === undefined && !progress) {
        const only = events[0] as ThreadStreamEventInput;
        for (const queued of channel.take()) yield send(queued);
        if (isItemEvent(only)) translated.add(only.item.id);
        yield send(only);
        continue;
      }
      yield* step(events);
    }
    open = false;
    const completed = (run as { completed?: Promise<unknown> }).completed;
    if (completed !== undefined) await completed;
    yield* step(translator.finish());
    if (progress) {
      for (const queued of progress.take()) yield send(queued);
      for (const ended of progress.end()) yield send(ended);
    }
    for (const queued of channel.take()) yield send(queued);
  } catch (error) {
    if (isGuardrailTripwire(error)) {
      // The translator's items first (as `agentsRunToChatKit` retracts them), then the rest the turn showed.
      for (const id of translated) yield send({ type: 'thread.item.removed', item_id: id });
      translated.clear();
      for (const removal of shown.removals()) yield removal;
    }
    throw error;
  } finally {
    wake = undefined;
    channel.listen(undefined);
    progress?.listen(undefined);
    // Stopped early by the consumer: end the run's stream too.
    if (open) await iterator.return?.();
  }
}
