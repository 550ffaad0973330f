import type { ThreadStreamEventInput } from '@relaykit/sse-protocol';

/** The `toolProgress` option of the agents responder: `true` for the default titles, or custom titles. */
export type ToolProgressOption =
  | boolean
  | {
      /** The task title while the tool runs. Default `Calling <toolName>`. */
      title?(toolName: string): string;
      /** The task title once the tool has ended. Default `Called <toolName>`. */
      doneTitle?(toolName: string): string;
    };

/** One tool start or end, as the responder sees it. */
export interface ToolProgressEvent {
  phase: 'start' | 'end';
  tool: string;
  callId?: string;
}

type Event = ThreadStreamEventInput;
type Task =
  | { type: 'custom'; title: string; status_indicator: 'loading' | 'complete' }
  | { type: 'image'; title: string; status_indicator: 'loading' | 'complete' };
type OpenWorkflow = { id: string; thread_id: string; created_at: string; tasks: Task[]; startedAt: number };

/**
 * Turns the server tool calls of ONE run into a ChatKit `workflow` item: one custom task per call ("Calling X" →
 * "Called X"), ended (`thread.item.done` with a duration summary, so the store keeps it) before the answer. Create
 * one per run: the state is never shared between runs.
 */
export class ToolProgressWorkflow {
  #item: OpenWorkflow | null = null;
  readonly #taskByCall = new Map<string, number>();
  readonly #title: (tool: string) => string;
  readonly #doneTitle: (tool: string) => string;

  constructor(
    private readonly threadId: string,
    private readonly newId: () => string,
    option: ToolProgressOption = true,
  ) {
    const custom = typeof option === 'object' ? option : {};
    this.#title = custom.title ?? ((tool) => `Calling ${tool}`);
    this.#doneTitle = custom.doneTitle ?? ((tool) => `Called ${tool}`);
  }

  /** The events for one tool start or end. */
  onTool(event: ToolProgressEvent): Event[] {
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
        out.push({ type: 'thread.item.added', item: snapshot(this.#item) });
      }
      const task: Task = { type: 'custom', title: this.#title(event.tool), status_indicator: 'loading' };
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
    const task: Task = { type: 'custom', title: this.#doneTitle(event.tool), status_indicator: 'complete' };
    this.#item.tasks[index] = task;
    out.push({
      type: 'thread.item.updated',
      item_id: this.#item.id,
      update: { type: 'workflow.task.updated', task_index: index, task: { ...task } },
    });
    return out;
  }

  /** True while a workflow is open (a tool of the run started and no other item ended it yet). */
  get open(): boolean {
    return this.#item !== null;
  }

  /**
   * An image generation of the run (its `generated_image` item) while the workflow is open: it joins the workflow as
   * an `image` task ("Generating an image", then "Generated an image" once the item is done), as chatkit-python's
   * agents bridge adds it to the workflow in progress instead of starting a new one.
   */
  onImage(itemId: string, done: boolean): Event[] {
    if (!this.#item) return [];
    const key = `\u0000image:${itemId}`;
    const existing = this.#taskByCall.get(key);
    const task: Task = done
      ? { type: 'image', title: 'Generated an image', status_indicator: 'complete' }
      : { type: 'image', title: 'Generating an image', status_indicator: 'loading' };
    if (existing === undefined) {
      if (done) return [];
      this.#item.tasks.push(task);
      const index = this.#item.tasks.length - 1;
      this.#taskByCall.set(key, index);
      return [
        {
          type: 'thread.item.updated',
          item_id: this.#item.id,
          update: { type: 'workflow.task.added', task_index: index, task: { ...task } },
        },
      ];
    }
    this.#item.tasks[existing] = task;
    return [
      {
        type: 'thread.item.updated',
        item_id: this.#item.id,
        update: { type: 'workflow.task.updated', task_index: existing, task: { ...task } },
      },
    ];
  }

  /** Ends the open workflow (a `done` with a duration summary in seconds), if there is one. */
  end(): Event[] {
    if (!this.#item) return [];
    const item = snapshot(this.#item, Math.max(0, Math.floor((Date.now() - this.#item.startedAt) / 1000)));
    this.#item = null;
    this.#taskByCall.clear();
    return [{ type: 'thread.item.done', item }];
  }
}

/** A deep copy of an open workflow as a ChatKit `workflow` item (with a summary once it ends). */
function snapshot(item: OpenWorkflow, duration?: number) {
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

/**
 * Items that do not end the tool workflow, as in chatkit-python's agents bridge: a pending client tool call and hidden
 * context are not shown in the flow, and a generated image joins the workflow ({@link ToolProgressWorkflow.onImage}).
 */
const KEEPS_WORKFLOW_OPEN = new Set([
  'workflow',
  'client_tool_call',
  'hidden_context_item',
  'sdk_hidden_context',
]);

/**
 * Per-run tool progress: `onTool` is fed from the runner's tool hooks (they fire while the run's event stream waits
 * on the tool) and queues workflow events that the caller drains with `take` (the responder's loop,
 * `agentsRunEvents`, wakes up through `listen`). `before(event)` answers what goes before each of the run's own
 * events: an image generated while the workflow is open joins it as an `image` task, any other item but a workflow,
 * a client tool call or hidden context ends it; `end` closes it at the end of the run.
 */
export function createToolProgress(
  threadId: string,
  newId: () => string,
  option: ToolProgressOption = true,
): {
  onTool(event: ToolProgressEvent): void;
  /** The queued workflow events, the queue emptied. */
  take(): Event[];
  /** The events to send before `event`, one of the run's own events (then send `event`). */
  before(event: Event): Event[];
  /** The events that end the open workflow (none when there is none). */
  end(): Event[];
  /** `wake` is called whenever a tool hook queued events. */
  listen(wake: (() => void) | undefined): void;
} {
  const workflow = new ToolProgressWorkflow(threadId, newId, option);
  const queued: Event[] = [];
  let listener: (() => void) | undefined;
  // The translator adds an image task to its own open workflow right before the image's item: then this one does
  // not add it a second time. `joined`: the images whose task is in this workflow.
  let joinedElsewhere = false;
  const joined = new Set<string>();
  return {
    onTool(event) {
      queued.push(...workflow.onTool(event));
      listener?.();
    },
    take: () => queued.splice(0),
    before(event) {
      let out: Event[] = [];
      if (event.type === 'thread.item.added' || event.type === 'thread.item.done') {
        const type = event.item.type;
        if (type === 'generated_image') {
          // Joins this workflow, unless the translator's own workflow took it (its image task came just before).
          if (event.type === 'thread.item.added' && workflow.open && !joinedElsewhere) {
            joined.add(event.item.id);
            out = workflow.onImage(event.item.id, false);
          } else if (event.type === 'thread.item.done' && joined.delete(event.item.id))
            out = workflow.onImage(event.item.id, true);
        } else if (!KEEPS_WORKFLOW_OPEN.has(type)) out = workflow.end();
      }
      joinedElsewhere =
        event.type === 'thread.item.updated' &&
        event.update.type === 'workflow.task.added' &&
        event.update.task.type === 'image';
      return out;
    },
    end: () => workflow.end(),
    listen(wake) {
      listener = wake;
    },
  };
}
