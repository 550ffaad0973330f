import {
  type AdapterContext,
  type ChatKitAgentsOptions,
  type ChatKitRespond,
  createAgentsRespond,
  type ToolCallTelemetry,
} from '@relaykit/agent-core';
import type { ChatKitStore } from '@relaykit/chatkit-store';
import type { ThreadStreamEventInput } from '@relaykit/sse-protocol';

type Event = ThreadStreamEventInput;
type Task = { type: 'custom'; title: string; status_indicator: 'loading' | 'complete' };

/** Turns tool telemetry into a ChatKit `workflow` item: one custom task per tool call, ended before the answer. */
class ToolWorkflow {
  #item: { id: string; thread_id: string; created_at: string; tasks: Task[]; startedAt: number } | null =
    null;
  readonly #taskByCall = new Map<string, number>();
  constructor(
    private readonly threadId: string,
    private readonly newId: () => string,
  ) {}

  /** Events for one telemetry event. */
  onTool(event: ToolCallTelemetry): Event[] {
    const out: Event[] = [];
    const key = event.callId ?? event.tool;
    if (event.phase === 'start') {
      if (!this.#item) {
        this.#item = {
          id: this.newId(),
          thread_id: this.threadId,
          created_at: new Date().toISOString(),
          tasks: [],
          startedAt: Date.now(),
        };
        out.push({ type: 'thread.item.added', item: this.#snapshot() });
      }
      const task: Task = { type: 'custom', title: `Calling ${event.tool}`, status_indicator: 'loading' };
      this.#item.tasks.push(task);
      const index = this.#item.tasks.length - 1;
      this.#taskByCall.set(key, index);
      out.push({
        type: 'thread.item.updated',
        item_id: this.#item.id,
        update: { type: 'workflow.task.added', task_index: index, task: { ...task } },
      });
      return out;
    }
    const index = this.#taskByCall.get(key);
    if (!this.#item || index === undefined) return out;
    const task: Task = { type: 'custom', title: `Called ${event.tool}`, status_indicator: 'complete' };
    this.#item.tasks[index] = task;
    out.push({
      type: 'thread.item.updated',
      item_id: this.#item.id,
      update: { type: 'workflow.task.updated', task_index: index, task: { ...task } },
    });
    return out;
  }

  /** Ends the open workflow (a `done` with a duration summary), if there is one. */
  end(): Event[] {
    if (!this.#item) return [];
    const item = this.#snapshot(Math.max(0, Math.floor((Date.now() - this.#item.startedAt) / 1000)));
    this.#item = null;
    this.#taskByCall.clear();
    return [{ type: 'thread.item.done', item }];
  }

  #snapshot(duration?: number) {
    const item = this.#item!;
    return {
      id: item.id,
      thread_id: item.thread_id,
      created_at: item.created_at,
      type: 'workflow' as const,
      workflow: {
        type: 'custom' as const,
        tasks: item.tasks.map((task) => ({ ...task })),
        expanded: false,
        ...(duration === undefined ? {} : { summary: { duration } }),
      },
    };
  }
}

/** A queue the responder waits on beside the run's own events. */
class Signal {
  #resolve: (() => void) | undefined;
  #promise = this.#reset();
  #reset() {
    return new Promise<void>((resolve) => {
      this.#resolve = resolve;
    });
  }
  wait(): Promise<void> {
    return this.#promise;
  }
  fire(): void {
    this.#resolve?.();
    this.#promise = this.#reset();
  }
}

/**
 * The agents responder of `@relaykit/agent-core`, plus tool progress: the Agents SDK bridge does not show calls of
 * the app's own (function) tools, so each call becomes a task of a `workflow` item ("Calling addGuest" → "Called
 * addGuest") that the UI renders as a status line and the store keeps with the thread.
 */
export function createRespondWithToolProgress(
  store: ChatKitStore<AdapterContext>,
  options: ChatKitAgentsOptions<AdapterContext>,
  createRespond: typeof createAgentsRespond<AdapterContext> = createAgentsRespond,
): ChatKitRespond<AdapterContext> {
  // Keyed by the run's own context object (a copy per run), so concurrent runs on one thread never share a listener.
  const listeners = new Map<AdapterContext, (event: ToolCallTelemetry) => void>();
  const respond = createRespond(store, {
    ...options,
    onToolCall: (event, context) => {
      listeners.get(context)?.(event);
      options.onToolCall?.(event, context);
    },
  });
  return async function* respondWithProgress(thread, input, context, info) {
    const runContext: AdapterContext = { ...context };
    const workflow = new ToolWorkflow(thread.id, () => store.generateItemId('workflow', thread, context));
    const queued: Event[] = [];
    const signal = new Signal();
    const listener = (event: ToolCallTelemetry) => {
      queued.push(...workflow.onTool(event));
      signal.fire();
    };
    listeners.set(runContext, listener);
    const iterator = respond(thread, input, runContext, info)[Symbol.asyncIterator]();
    // One `.then` per pending promise: a new one only after it settled (not one per loop iteration).
    const nextResult = () => iterator.next().then((result) => ({ result }));
    const wakeUp = () => signal.wait().then(() => ({ result: undefined }));
    try {
      let next = nextResult();
      let wake = wakeUp();
      while (true) {
        const winner = await Promise.race([next, wake]);
        yield* queued.splice(0);
        if (!winner.result) {
          wake = wakeUp();
          continue;
        }
        if (winner.result.done) break;
        const event = winner.result.value;
        if (
          (event.type === 'thread.item.added' || event.type === 'thread.item.done') &&
          event.item.type !== 'workflow'
        )
          yield* workflow.end();
        yield event;
        next = nextResult();
      }
      yield* queued.splice(0);
      yield* workflow.end();
    } finally {
      if (listeners.get(runContext) === listener) listeners.delete(runContext);
      await iterator.return?.();
    }
  };
}
