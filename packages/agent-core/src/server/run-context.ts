import type { RunContext } from '@openai/agents';
import type { ThreadMetadata, ThreadStreamEventInput, WidgetRoot } from '@relaykit/sse-protocol';
import { type StreamWidgetOptions, streamWidget } from '@relaykit/sse-protocol/widgets';

/**
 * The context the agents responder gives every Agents SDK run (`run(agent, input, { context })`): tools, guardrails
 * and lifecycle hooks read it as `runContext.context` (type the tool with `RunContext<RelayKitRunContext>`). Its
 * `userId` and `threadId` also make it a `@relaykit/tool-registry` `ToolContext`.
 *
 * Only `userId`, `threadId` and `agentType` are kept when a paused run is serialized (`toJSON`): claims, the
 * request context and the signal never reach the store, and a resumed run gets a fresh context.
 */
export interface RelayKitRunContext<TContext = unknown> {
  /** The user the run is for. */
  readonly userId: string;
  /** The verified claims of the caller (the request context's `claims`, `{}` when it has none). */
  readonly claims: Readonly<Record<string, unknown>>;
  /** The ChatKit thread the run answers in. */
  readonly threadId: string;
  /** The thread itself (mutations are saved after the run, as in `respond`). */
  readonly thread: ThreadMetadata;
  /** The agent type the run started with. */
  readonly agentType: string;
  /** Aborts when the client disconnects or the run is stopped: pass it to slow calls. */
  readonly signal: AbortSignal;
  /** The server's request context, untouched (the escape hatch). */
  readonly request: TContext;
  /**
   * Streams a ChatKit event into the turn (a `progress_update`, a widget's `thread.item.done`, a workflow's events).
   * Items are persisted by the server like any other; the event is shown at the next point the run yields.
   */
  emit(event: ThreadStreamEventInput): void;
  /** Shows a transient status line (`progress_update`). */
  progress(text: string, icon?: string): void;
  /** Streams a widget (one state, or an async iterable of states: see `streamWidget`); resolves once it is done. */
  streamWidget(
    widget: WidgetRoot | AsyncIterable<WidgetRoot>,
    options?: Omit<StreamWidgetOptions, 'generateId'>,
  ): Promise<void>;
  /** A new item id of the thread's store (for items a tool builds itself). */
  generateItemId(kind: 'message' | 'workflow' | 'task' | 'sdk_hidden_context'): string;
}

/** The SDK's `RunContext` of a RelayKit run: what a tool's `execute(input, runContext)` receives. */
export type RelayKitToolRunContext<TContext = unknown> = RunContext<RelayKitRunContext<TContext>>;

/** What {@link createRunEventChannel} returns: the channel tools write to and the responder drains. */
export interface RunEventChannel {
  emit(event: ThreadStreamEventInput): void;
  /** The events emitted since the last `take()` (in order), and the queue emptied. */
  take(): ThreadStreamEventInput[];
  /** `wake` is called on every `emit` (the responder's loop waits on it beside the run's own events). */
  listen(wake: (() => void) | undefined): void;
}

const NONE: ThreadStreamEventInput[] = [];

/** A queue of events tools emit during a run, merged into the run's ChatKit events as soon as they arrive. */
export function createRunEventChannel(): RunEventChannel {
  let queued: ThreadStreamEventInput[] = [];
  let wake: (() => void) | undefined;
  return {
    emit(event) {
      queued.push(event);
      wake?.();
    },
    take() {
      if (queued.length === 0) return NONE;
      const taken = queued;
      queued = [];
      return taken;
    },
    listen(listener) {
      wake = listener;
    },
  };
}

/** Inputs of {@link createRelayKitRunContext}. */
export interface RelayKitRunContextInput<TContext> {
  userId: string;
  thread: ThreadMetadata;
  agentType: string;
  signal: AbortSignal;
  request: TContext;
  channel: Pick<RunEventChannel, 'emit'>;
  generateItemId: RelayKitRunContext['generateItemId'];
}

/** Builds the run context of one agents run (see {@link RelayKitRunContext}). */
export function createRelayKitRunContext<TContext>(
  input: RelayKitRunContextInput<TContext>,
): RelayKitRunContext<TContext> {
  const rawClaims = (input.request as { claims?: unknown } | null | undefined)?.claims;
  const claims =
    rawClaims !== null && typeof rawClaims === 'object' ? (rawClaims as Record<string, unknown>) : {};
  const context: RelayKitRunContext<TContext> & { toJSON(): Record<string, unknown> } = {
    userId: input.userId,
    claims,
    threadId: input.thread.id,
    thread: input.thread,
    agentType: input.agentType,
    signal: input.signal,
    request: input.request,
    emit: (event) => input.channel.emit(event),
    progress: (text, icon) =>
      input.channel.emit({
        type: 'progress_update',
        text,
        ...(icon ? { icon } : {}),
      } as ThreadStreamEventInput),
    async streamWidget(widget, options = {}) {
      for await (const event of streamWidget(input.thread, widget, {
        ...options,
        generateId: () => input.generateItemId('message'),
      }))
        input.channel.emit(event);
    },
    generateItemId: input.generateItemId,
    // What a serialized RunState keeps of the context: nothing secret, nothing that cannot be rebuilt.
    toJSON: () => ({ userId: input.userId, threadId: input.thread.id, agentType: input.agentType }),
  };
  return context;
}
