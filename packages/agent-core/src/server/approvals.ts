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

/**
 * What a resumed run reports while it runs: `started()` once it did something that cannot be undone (a tool of the
 * run started). A resume that fails before that, and before any event, gives its claim back (see
 * {@link createApprovalActions}).
 */
export interface ResumeProgress {
  started(): void;
}

/** What resumes a paused run: the agents responder's `resume`. */
export type ResumePausedRun<TContext> = (
  thread: ThreadMetadata,
  paused: PausedRun,
  context: TContext,
  info: ChatKitRunInfo,
  progress?: ResumeProgress,
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
 * Approval actions over a store. Each decision is written with the store's compare-and-set
 * (`store.compareAndSetItem`) on the hidden item holding the paused run: the decision is recorded only when the item is
 * still what was read, and the last decision deletes the item the same way (the claim) before the run resumes. Of two
 * answers at once (a double click, or two server instances sharing the store) exactly one claims the run; the other
 * is a `conflict` (HTTP 409), and a tool never runs twice.
 *
 * A resumed run that fails before it did anything (no tool started, no event streamed: e.g. the provider refused the
 * resumed call) gives its claim back: the paused run is stored again without this decision and the approval widget
 * shows its buttons again (a `thread.item.replaced` before the stream's `error`), so the user can answer again. Once
 * an approved tool has run, the claim stays taken: answering again would run the tool twice.
 */
export function createApprovalActions<TContext>(
  store: ChatKitStore<TContext>,
  userIdOf: (context: TContext) => string,
  resume: ResumePausedRun<TContext>,
): ApprovalActions<TContext> {
  return {
    handles: (action) => action.type === APPROVAL_ACTION_TYPE,
    async prepare(thread, action, sender, context) {
      const payload = ApprovalPayload.safeParse(action.payload ?? {});
      if (!payload.success)
        throw new RequestError(
          'invalid_request',
          'An approval needs approvalId, callId and decision ("approve" or "reject").',
        );
      return decide(thread, payload.data, sender, context);
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
    const answeredElsewhere = () =>
      new RequestError('conflict', `Tool call ${callId} was answered by another request.`, {
        details: { approval_id: approvalId, call_id: callId },
      });
    // A lost compare-and-set is read again: another call of the same run may have been decided meanwhile (then this
    // decision is recorded on top), or the run was claimed (then this answer is a conflict).
    for (let attempt = 0; ; attempt++) {
      const item = await store.loadItem(thread.id, approvalId, context).catch((error: unknown) => {
        if ((error as { code?: unknown }).code !== 'not_found') throw error;
        // Gone after a lost claim: another request took it. Gone at the first read: unknown (or long answered).
        throw attempt > 0 ? answeredElsewhere() : notFound();
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
        throw new RequestError(
          'conflict',
          `Tool call ${callId} was already answered (${approval.decision}).`,
          {
            details: { approval_id: approvalId, call_id: callId },
          },
        );
      approval.decision = decision;
      const complete = paused.approvals.every((entry) => entry.decision);
      // Claim first: the last decision removes the paused run before it resumes, so it resumes at most once.
      const next = complete ? null : ({ ...item, content: paused } as ThreadItem);
      if (!(await store.compareAndSetItem(thread.id, item, next, context))) {
        if (attempt >= 4) throw answeredElsewhere();
        continue;
      }
      const widget =
        sender ??
        (await store
          .loadItem(thread.id, approval.widgetId, context)
          .then((found) => (found.type === 'widget' ? found : null))
          .catch(() => null));
      const request = requestOf(approvalId, approval);
      return (info) =>
        (async function* () {
          if (widget)
            yield {
              type: 'thread.item.replaced',
              item: { ...widget, widget: approvalWidget(request, { decision }) },
            } as ThreadStreamEventInput;
          if (!complete) return;
          let started = false;
          try {
            for await (const event of resume(thread, paused, context, info, {
              started: () => {
                started = true;
              },
            })) {
              started = true;
              yield event;
            }
          } catch (error) {
            if (started || info.signal.aborted) throw error;
            // Nothing ran: the claim is given back (the run as it was before this decision) and the buttons return.
            // A store that fails this write too leaves the run claimed: the run's own error is what the user sees.
            const restored = await store.addThreadItem(thread.id, item, context).then(
              () => true,
              () => false,
            );
            if (restored && widget)
              yield {
                type: 'thread.item.replaced',
                item: { ...widget, widget: approvalWidget(request) },
              } as ThreadStreamEventInput;
            throw error;
          }
        })();
    }
  }
}
