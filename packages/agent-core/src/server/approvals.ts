/**
 * Human-in-the-loop tool approvals of the agents responder. When a run stops at tools marked `needsApproval`
 * (`result.interruptions`), the serialized `RunState` is saved in the thread as a hidden item (never sent to the
 * client, never given to the model) and one approval widget per call is streamed. `threads.custom_action` with
 * {@link APPROVAL_ACTION_TYPE} records the decision; once every call of the paused run is decided, the run is
 * resumed from the stored state (any server instance, after a restart too) and streams the rest of the turn.
 */
import type { ChatKitStore } from '@relaykit/chatkit-store';
import {
  type Action,
  RequestError,
  type ThreadItem,
  type ThreadMetadata,
  type ThreadStreamEventInput,
  type WidgetItem,
} from '@relaykit/sse-protocol';
import {
  APPROVAL_ACTION_TYPE,
  type ApprovalDecision,
  type ApprovalRequest,
  approvalWidget,
} from '@relaykit/sse-protocol/widgets';
import { z } from 'zod';
import type { ChatKitHandlerEvents, ChatKitRunInfo } from './types';

/** `content.type` of the hidden item that holds a paused run. */
export const PAUSED_RUN_CONTENT_TYPE = 'relaykit.paused_run';

/** One tool call of a paused run, and the user's decision once taken. */
export interface PausedRunApproval {
  callId: string;
  tool: string;
  arguments: unknown;
  agent: string;
  /** The approval widget item shown for it. */
  widgetId: string;
  decision?: ApprovalDecision;
}

/** The content of the hidden `hidden_context_item` that holds a paused run. */
export interface PausedRun {
  type: typeof PAUSED_RUN_CONTENT_TYPE;
  version: 1;
  /** The user who started the run: the only one who may answer its approvals. */
  userId: string;
  /** How to rebuild the entry agent: its type, the validated metadata and the model of the run. */
  agent: { type: string; metadata: unknown; model: string };
  /** `result.state.toString()` of the Agents SDK. */
  state: string;
  approvals: PausedRunApproval[];
}

const PausedRunSchema = z.object({
  type: z.literal(PAUSED_RUN_CONTENT_TYPE),
  version: z.literal(1),
  userId: z.string(),
  agent: z.object({ type: z.string(), metadata: z.unknown(), model: z.string() }),
  state: z.string(),
  approvals: z.array(
    z.object({
      callId: z.string(),
      tool: z.string(),
      arguments: z.unknown(),
      agent: z.string(),
      widgetId: z.string(),
      decision: z.enum(['approve', 'reject']).optional(),
    }),
  ),
});

/** The paused run a thread item holds, or null (any other item). */
export function pausedRunOf(item: ThreadItem): PausedRun | null {
  if (item.type !== 'hidden_context_item') return null;
  const content = item.content as { type?: unknown } | null;
  if (content?.type !== PAUSED_RUN_CONTENT_TYPE) return null;
  const parsed = PausedRunSchema.safeParse(content);
  return parsed.success ? (parsed.data as PausedRun) : null;
}

/** One interruption of a run, as the responder hands it over. */
export interface Interruption {
  callId: string;
  tool: string;
  /** The raw JSON argument string of the call. */
  arguments: string | undefined;
  agent: string;
}

function parseArguments(raw: string | undefined): unknown {
  if (raw === undefined || raw === '') return {};
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/**
 * The events that pause a run: the hidden item with the state (persisted first, so no button can answer before
 * it exists), then one approval widget per interruption.
 */
export function pauseRunEvents(input: {
  thread: ThreadMetadata;
  userId: string;
  agent: PausedRun['agent'];
  state: string;
  interruptions: Interruption[];
  generateId: (kind: 'message' | 'sdk_hidden_context') => string;
  now: () => Date;
}): ThreadStreamEventInput[] {
  const approvalId = input.generateId('sdk_hidden_context');
  const createdAt = input.now().toISOString();
  const approvals: PausedRunApproval[] = input.interruptions.map((interruption) => ({
    callId: interruption.callId,
    tool: interruption.tool,
    arguments: parseArguments(interruption.arguments),
    agent: interruption.agent,
    widgetId: input.generateId('message'),
  }));
  const paused: PausedRun = {
    type: PAUSED_RUN_CONTENT_TYPE,
    version: 1,
    userId: input.userId,
    agent: input.agent,
    state: input.state,
    approvals,
  };
  const events: ThreadStreamEventInput[] = [
    {
      type: 'thread.item.done',
      item: {
        type: 'hidden_context_item',
        id: approvalId,
        thread_id: input.thread.id,
        created_at: createdAt,
        content: paused,
      },
    },
  ];
  for (const approval of approvals) {
    events.push({
      type: 'thread.item.done',
      item: {
        type: 'widget',
        id: approval.widgetId,
        thread_id: input.thread.id,
        created_at: createdAt,
        widget: approvalWidget(requestOf(approvalId, approval)),
        copy_text: `Approval needed: ${approval.tool}`,
      },
    });
  }
  return events;
}

function requestOf(approvalId: string, approval: PausedRunApproval): ApprovalRequest {
  return {
    approvalId,
    callId: approval.callId,
    tool: approval.tool,
    arguments: approval.arguments,
    agent: approval.agent,
  };
}

const ApprovalPayload = z.object({
  approvalId: z.string().min(1),
  callId: z.string().min(1),
  decision: z.enum(['approve', 'reject']),
});

/** What resumes a paused run: the agents responder's `resume`. */
export type ResumePausedRun<TContext> = (
  thread: ThreadMetadata,
  paused: PausedRun,
  context: TContext,
  info: ChatKitRunInfo,
) => ChatKitHandlerEvents;

/** The server's hook for approval actions (see {@link createApprovalActions}). */
export interface ApprovalActions<TContext> {
  /** True for an {@link APPROVAL_ACTION_TYPE} action. */
  handles(action: Action): boolean;
  /**
   * Checks and records one decision before the stream starts (unknown run or call → `not_found`, another user →
   * `forbidden`, already answered → `conflict`) and returns the stream: the widget replaced by its decided state,
   * then, once every call of the run is decided, the resumed run.
   */
  prepare(
    thread: ThreadMetadata,
    action: Action,
    sender: WidgetItem | null,
    context: TContext,
  ): Promise<(info: ChatKitRunInfo) => ChatKitHandlerEvents>;
}

/**
 * Approval actions over a store. The decision is recorded (or the hidden item deleted, when it was the last one)
 * before anything runs, so a second click on the same call is a `conflict` and a tool never runs twice.
 */
export function createApprovalActions<TContext>(
  store: ChatKitStore<TContext>,
  userIdOf: (context: TContext) => string,
  resume: ResumePausedRun<TContext>,
): ApprovalActions<TContext> {
  // Paused runs being answered in this process: a concurrent answer (a double click) is a conflict, not a second run.
  // Across instances the store has no compare-and-set, so two instances answering the same call at the same
  // moment are not excluded.
  const answering = new Set<string>();
  return {
    handles: (action) => action.type === APPROVAL_ACTION_TYPE,
    async prepare(thread, action, sender, context) {
      const payload = ApprovalPayload.safeParse(action.payload ?? {});
      if (!payload.success)
        throw new RequestError(
          'invalid_request',
          'An approval needs approvalId, callId and decision ("approve" or "reject").',
        );
      const key = `${thread.id}\u0000${payload.data.approvalId}`;
      if (answering.has(key))
        throw new RequestError('conflict', 'This run is being answered by another request; try again.', {
          retryable: true,
        });
      answering.add(key);
      try {
        return await decide(thread, payload.data, sender, context);
      } finally {
        answering.delete(key);
      }
    },
  };

  async function decide(
    thread: ThreadMetadata,
    { approvalId, callId, decision }: z.infer<typeof ApprovalPayload>,
    sender: WidgetItem | null,
    context: TContext,
  ): Promise<(info: ChatKitRunInfo) => ChatKitHandlerEvents> {
    const notFound = () =>
      new RequestError('not_found', `No tool call ${callId} waits for approval in ${approvalId}.`, {
        details: { approval_id: approvalId, call_id: callId },
      });
    const item = await store.loadItem(thread.id, approvalId, context).catch((error: unknown) => {
      if ((error as { code?: unknown }).code === 'not_found') throw notFound();
      throw error;
    });
    const paused = pausedRunOf(item);
    if (!paused) throw notFound();
    if (paused.userId !== userIdOf(context))
      throw new RequestError('forbidden', 'Only the user who started the run can answer its approvals.');
    const approval = paused.approvals.find((entry) => entry.callId === callId);
    if (!approval) throw notFound();
    if (sender && sender.id !== approval.widgetId)
      throw new RequestError('invalid_request', `Item ${sender.id} is not the approval of call ${callId}.`);
    if (approval.decision)
      throw new RequestError('conflict', `Tool call ${callId} was already answered (${approval.decision}).`);
    approval.decision = decision;
    const complete = paused.approvals.every((entry) => entry.decision);
    // Claim first: the last decision removes the paused run before it resumes, so it resumes at most once.
    if (complete) await store.deleteThreadItem(thread.id, item.id, context);
    else await store.saveItem(thread.id, { ...item, content: paused } as ThreadItem, context);
    const widget =
      sender ??
      (await store
        .loadItem(thread.id, approval.widgetId, context)
        .then((found) => (found.type === 'widget' ? found : null))
        .catch(() => null));
    return (info) =>
      (async function* () {
        if (widget)
          yield {
            type: 'thread.item.replaced',
            item: { ...widget, widget: approvalWidget(requestOf(approvalId, approval), { decision }) },
          } as ThreadStreamEventInput;
        if (complete) yield* resume(thread, paused, context, info);
      })();
  }
}
