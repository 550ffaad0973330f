import {
  type Attachment,
  type ChatKitRequest,
  ConfigurationError,
  isRelayKitError,
  parseChatKitRequest,
  RequestError,
  type ThreadItem,
  type ThreadMetadata,
  type ThreadStreamEventInput,
  toWireItemPage,
  toWireThread,
  toWireThreadPage,
  type UserMessageInput,
  type UserMessageItem,
  type WidgetItem,
} from '@relaykit/sse-protocol';
import { RateLimitExceededError } from '@relaykit/usage-tracker';
import type { AgentRoute } from '../agents/registry';
import { createAgentsResponder, validateAgentRoute } from './agents-respond';
import { createApprovalActions } from './approvals';
import { blobAttachmentMetadata } from './attachments';
import { runPipeline } from './pipeline';
import { takeRateLimitDecision } from './rate-limit-decision';
import { type RunFailureScope, recordServerRunFailure, runFailureLogger } from './run-failures';
import {
  type ChatKitCore,
  type ChatKitHandlerEvents,
  type ChatKitProcessOptions,
  type ChatKitResult,
  type ChatKitRunInfo,
  type ChatKitServerOptions,
  type ChatKitStreamResult,
  DEFAULT_PAGE_SIZE,
  hasTrustedEvents,
} from './types';

function dropNulls(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value))
    if (entry !== null && entry !== undefined) out[key] = entry;
  return out;
}

/** The client view of an attachment: no server-only `metadata`, no null fields. */
function wireAttachment(attachment: Attachment): Record<string, unknown> {
  const { metadata: _metadata, ...rest } = attachment as Attachment & { metadata?: unknown };
  const out = dropNulls(rest as Record<string, unknown>);
  if (out.upload_descriptor && typeof out.upload_descriptor === 'object')
    out.upload_descriptor = dropNulls(out.upload_descriptor as Record<string, unknown>);
  return out;
}

function isNotFound(error: unknown): boolean {
  return isRelayKitError(error) && error.code === 'not_found';
}

const json = (value: unknown): ChatKitResult => ({ kind: 'json', value });

/**
 * One request type's handler: checks and writes what must happen before the first byte, then answers. A handler that
 * starts a run notes in `scope` what it learns (thread, route), so a failure before the stream names them.
 */
type Handler<TContext, TRequest extends ChatKitRequest> = (
  request: TRequest,
  context: TContext,
  run: ChatKitProcessOptions,
  scope: RunFailureScope,
) => Promise<ChatKitResult>;

/** The request types that start a run of the responder (a custom action only when it resumes an approval). */
const RUN_REQUEST_TYPES: ReadonlySet<string> = new Set([
  'threads.create',
  'threads.add_user_message',
  'threads.add_client_tool_output',
  'threads.add_structured_input',
  'threads.retry_after_item',
]);

/** The failure scope of a route: its agent and model. */
function routeScope(route: AgentRoute | undefined): RunFailureScope {
  return route ? { agent: route.agent.type, model: route.model.model } : {};
}

/** The handler table: one small handler per ChatKit request type. */
type HandlerTable<TContext> = {
  [K in ChatKitRequest['type']]: Handler<TContext, Extract<ChatKitRequest, { type: K }>>;
};

/** How a streaming answer runs: what it sends first, the run after it, and the checks it runs with. */
interface StreamPlan<TContext> {
  context: TContext;
  /** The thread of the run; null answers only `prefix` (an empty or refused stream). */
  thread: ThreadMetadata | null;
  /** Events already persisted, sent before the run (`thread.created`, the user message). */
  prefix?: ThreadStreamEventInput[];
  run?: (info: ChatKitRunInfo) => ChatKitHandlerEvents;
  requestMetadata: Record<string, unknown>;
  options: ChatKitProcessOptions;
  /** The route chosen before the first byte (agents responder): handed to the responder. */
  route?: AgentRoute | undefined;
  /** Check the run's events against the ChatKit schema (user code). */
  validate?: boolean;
}

/**
 * The ChatKit server's core (`docs/specs/chatkit-protocol.md`), free of HTTP: `parse(body)` validates a parsed JSON
 * body once, `run(request, context)` answers it with a JSON value or a stream of typed ChatKit events
 * ({@link ChatKitResult}). Everything that can be checked (ids, item kinds, attachments, routing, rate limit) is
 * checked before the result is returned and thrown as a RelayKit error; the stream carries the run. `createChatKitServer`
 * is this core with the HTTP face (`handle`, `process`) on top.
 */
export function createChatKitCore<TContext>(options: ChatKitServerOptions<TContext>): ChatKitCore<TContext> {
  const { store } = options;
  if (!store) throw new ConfigurationError('createChatKitServer needs a store');
  if (!options.respond && !options.agents)
    throw new ConfigurationError('createChatKitServer needs respond (or agents)');
  const { agents } = options;
  const responder = agents ? createAgentsResponder(store, agents) : undefined;
  const respond = options.respond ?? responder!.respond;
  // Tool approvals of the agents responder (`threads.custom_action` with the approval action type).
  const approvals = responder && createApprovalActions(store, responder.userIdOf, responder.resume);
  /**
   * With `agents`, routing (agent type, metadata schema) is checked before the first byte, also when a `respond`
   * answers instead (one that wraps `createAgentsRespond(store, agents)`); the route is handed to the responder
   * (`info.route`), so a request is routed once.
   */
  const validateRoute = (
    thread: ThreadMetadata,
    input: UserMessageItem | null,
    requestMetadata: Record<string, unknown>,
  ): AgentRoute | undefined =>
    agents ? validateAgentRoute(agents, thread, input, requestMetadata) : undefined;
  /** Events of a custom `respond` are checked against the ChatKit schema; the agents responder's are typed already. */
  const validateEvents = options.validateEvents ?? !hasTrustedEvents(respond);
  const now = options.now ?? (() => new Date());
  const rateLimitKey =
    options.rateLimitKey ??
    ((context: TContext) => String((context as { userId?: unknown }).userId ?? 'anonymous'));

  const logRunFailure = runFailureLogger(options.onError);

  async function checkRateLimit(context: TContext): Promise<void> {
    if (!options.rateLimiter) return;
    // The route's guard decided for this request already: one decision per request.
    if (takeRateLimitDecision(context)) return;
    const result = await options.rateLimiter.limit(rateLimitKey(context));
    if (result.success) return;
    const retryAfterMs = result.retryAfterMs ?? 1000;
    const message = 'Too many requests; try again later.';
    // Without limit/remaining there are no RateLimit-* headers to give, only Retry-After.
    if (typeof result.limit !== 'number' || typeof result.remaining !== 'number')
      throw new RequestError('rate_limited', message, { retryable: true, retryAfterMs });
    // The error a usage-tracker denial maps to: errorResponse answers Retry-After and RateLimit-* from it.
    throw new RateLimitExceededError(message, {
      limit: result.limit,
      remaining: result.remaining,
      reset: result.reset ?? Date.now() + retryAfterMs,
      retryAfterMs,
      ...(typeof result.windowMs === 'number' ? { windowMs: result.windowMs } : {}),
    });
  }

  async function buildUserMessage(
    thread: ThreadMetadata,
    input: UserMessageInput,
    context: TContext,
  ): Promise<{ message: UserMessageItem; attachments: Attachment[] }> {
    const attachments: Attachment[] = [];
    for (const id of input.attachments) {
      try {
        const attachment = await store.loadAttachment(id, context);
        if (blobAttachmentMetadata(attachment)?.uploaded === false)
          throw new RequestError('invalid_request', `Attachment ${id} is not uploaded yet.`, {
            details: { attachment_id: id },
          });
        attachments.push({ ...attachment, thread_id: thread.id } as Attachment);
      } catch (error) {
        if (isNotFound(error))
          throw new RequestError('invalid_request', `Attachment ${id} does not exist.`, {
            cause: error,
            details: { attachment_id: id },
          });
        throw error;
      }
    }
    const message = {
      type: 'user_message',
      id: store.generateItemId('message', thread, context),
      thread_id: thread.id,
      created_at: now().toISOString(),
      content: input.content,
      attachments,
      inference_options: input.inference_options ?? {},
      ...(input.quoted_text != null ? { quoted_text: input.quoted_text } : {}),
    } as UserMessageItem;
    return { message, attachments };
  }

  /** The events of a streaming answer: `prefix`, then the pipeline over the run; ends quietly when aborted. */
  function streamEvents(plan: StreamPlan<TContext>): AsyncGenerator<ThreadStreamEventInput> {
    const { context, thread, run, requestMetadata, route } = plan;
    if (!run || !thread)
      return (async function* () {
        if (plan.prefix) yield* plan.prefix;
      })();
    const signal = plan.options.signal ?? new AbortController().signal;
    const info: ChatKitRunInfo = { signal, requestMetadata, ...(route ? { route } : {}) };
    const scope: RunFailureScope = { threadId: thread.id, ...routeScope(route) };
    // Aborted: the pipeline saves the partial answer and the cancellation marker, and the stream just ends.
    return runPipeline(() => run(info), {
      store,
      context,
      thread,
      signal,
      now,
      streamOptions: () => options.getStreamOptions?.(thread, context) ?? { allow_cancel: true },
      prefix: plan.prefix,
      endOnAbort: true,
      validateEvents: plan.validate ?? validateEvents,
      onError: (error, errorContext) => {
        plan.options.onRunError?.(error);
        logRunFailure(error, errorContext);
      },
      // A run that failed in its stream is one usage error row (the responder may have written it already).
      onFailure: (error) => recordServerRunFailure(agents, context, error, scope),
    });
  }

  function stream(plan: StreamPlan<TContext>): ChatKitStreamResult {
    return {
      kind: 'stream',
      events: streamEvents(plan),
      thread: plan.thread,
      ...(plan.route ? { route: plan.route } : {}),
    };
  }

  async function loadSender(
    thread: ThreadMetadata,
    itemId: string | null | undefined,
    context: TContext,
  ): Promise<ThreadItem | null> {
    if (!itemId) return null;
    return store.loadItem(thread.id, itemId, context);
  }

  const metadataOf = (request: ChatKitRequest) => (request.metadata ?? {}) as Record<string, unknown>;

  function requireAttachments() {
    if (!options.attachments)
      throw new RequestError('invalid_request', 'This server accepts no attachments (no attachment store).');
    return options.attachments;
  }

  const handlers: HandlerTable<TContext> = {
    async 'threads.create'(request, context, run, scope) {
      await checkRateLimit(context);
      const thread = {
        id: store.generateThreadId(context),
        created_at: now().toISOString(),
        status: { type: 'active' },
        metadata: {},
      } as ThreadMetadata;
      const requestMetadata = metadataOf(request);
      const { message, attachments } = await buildUserMessage(thread, request.params.input, context);
      const route = validateRoute(thread, message, requestMetadata);
      Object.assign(scope, routeScope(route));
      // One transaction: the thread never exists without its first message and linked attachments.
      await store.createThreadWithItems(thread, [message], attachments, context);
      return stream({
        context,
        thread,
        prefix: [
          { type: 'thread.created', thread: { ...thread, items: { data: [], has_more: false } } as never },
          { type: 'thread.item.done', item: message },
        ],
        run: (info) => respond(thread, message, context, info),
        requestMetadata,
        options: run,
        route,
      });
    },

    async 'threads.add_user_message'(request, context, run, scope) {
      const thread = await store.loadThread(request.params.thread_id, context);
      scope.threadId = thread.id;
      await checkRateLimit(context);
      const requestMetadata = metadataOf(request);
      const { message, attachments } = await buildUserMessage(thread, request.params.input, context);
      const route = validateRoute(thread, message, requestMetadata);
      Object.assign(scope, routeScope(route));
      await store.addThreadItems(thread.id, [message], attachments, context);
      return stream({
        context,
        thread,
        prefix: [{ type: 'thread.item.done', item: message }],
        run: (info) => respond(thread, message, context, info),
        requestMetadata,
        options: run,
        route,
      });
    },

    async 'threads.add_client_tool_output'(request, context, run, scope) {
      const thread = await store.loadThread(request.params.thread_id, context);
      scope.threadId = thread.id;
      const newest = await store.loadThreadItems(thread.id, null, 1, 'desc', context);
      const last = newest.data[0];
      if (last?.type !== 'client_tool_call' || last.status !== 'pending') {
        throw new RequestError(
          'invalid_request',
          `Last thread item in ${thread.id} was not a pending ClientToolCallItem.`,
          { details: { thread_id: thread.id } },
        );
      }
      await checkRateLimit(context);
      // One transaction: the call completed with the client's result, every other pending call dropped.
      await store.completeClientToolCall(
        thread.id,
        {
          ...last,
          status: 'completed',
          output: (request.params as { result?: unknown }).result,
        } as ThreadItem,
        context,
      );
      return stream({
        context,
        thread,
        run: (info) => respond(thread, null, context, info),
        requestMetadata: metadataOf(request),
        options: run,
      });
    },

    async 'threads.add_structured_input'(request, context, run, scope) {
      const thread = await store.loadThread(request.params.thread_id, context);
      scope.threadId = thread.id;
      const item = await store.loadItem(thread.id, request.params.item_id, context);
      if (item.type !== 'structured_input')
        throw new RequestError('invalid_request', `Item ${item.id} is not a StructuredInputItem.`, {
          details: { item_id: item.id },
        });
      if (item.status !== 'pending')
        throw new RequestError('invalid_request', `Item ${item.id} is not pending.`, {
          details: { item_id: item.id },
        });
      await checkRateLimit(context);
      const submission = request.params.input;
      const status = submission.status ?? 'answered';
      const updated = structuredClone(item);
      updated.status = status;
      for (const question of updated.inputs) {
        const answer = submission.answers?.[question.id];
        if (
          status === 'skipped' ||
          !answer ||
          answer.skipped ||
          !answer.values ||
          answer.values.length === 0
        ) {
          question.answer = { values: [], skipped: true };
        } else {
          const single = question.type === 'multiple_choice' && !question.multiple;
          question.answer = {
            values: single ? answer.values.slice(0, 1) : [...answer.values],
            skipped: false,
          };
        }
      }
      return stream({
        context,
        thread,
        run: (info) =>
          (async function* () {
            yield { type: 'thread.item.replaced', item: updated } as ThreadStreamEventInput;
            yield* respond(thread, null, context, info);
          })(),
        requestMetadata: metadataOf(request),
        options: run,
      });
    },

    async 'threads.retry_after_item'(request, context, run, scope) {
      const thread = await store.loadThread(request.params.thread_id, context);
      scope.threadId = thread.id;
      const requestMetadata = metadataOf(request);
      let found: ThreadItem;
      try {
        found = await store.loadItem(thread.id, request.params.item_id, context);
      } catch (error) {
        // An unknown item: nothing to retry, an empty stream (as chatkit-python answers).
        if (isNotFound(error)) return stream({ context, thread: null, requestMetadata, options: run });
        throw error;
      }
      if (found.type !== 'user_message')
        throw new RequestError('invalid_request', `Item ${found.id} is not a user message.`, {
          details: { item_id: found.id },
        });
      await checkRateLimit(context);
      // One transaction: every item after the retried message goes.
      await store.deleteItemsAfter(thread.id, found.id, context);
      const message = found;
      return stream({
        context,
        thread,
        run: (info) => respond(thread, message, context, info),
        requestMetadata,
        options: run,
      });
    },

    async 'threads.custom_action'(request, context, run, scope) {
      const thread = await store.loadThread(request.params.thread_id, context);
      scope.threadId = thread.id;
      const sender = await loadSender(thread, request.params.item_id, context);
      const requestMetadata = metadataOf(request);
      if (sender && sender.type !== 'widget')
        return stream({
          context,
          thread: null,
          prefix: [{ type: 'error', code: 'stream.error', allow_retry: false }],
          requestMetadata,
          options: run,
        });
      let action = options.action;
      let validate = options.validateEvents ?? true;
      if (approvals?.handles(request.params.action)) {
        await checkRateLimit(context);
        const resume = await approvals.prepare(
          thread,
          request.params.action,
          sender as WidgetItem | null,
          context,
        );
        action = (_thread, _action, _sender, _context, info) => resume(info);
        validate = options.validateEvents ?? false; // the agents responder's own events
      }
      if (!action) throw new RequestError('invalid_request', 'This server handles no custom actions.');
      const handler = action;
      return stream({
        context,
        thread,
        run: (info) => handler(thread, request.params.action, sender as WidgetItem | null, context, info),
        requestMetadata,
        options: run,
        validate,
      });
    },

    async 'threads.sync_custom_action'(request, context) {
      const thread = await store.loadThread(request.params.thread_id, context);
      const sender = await loadSender(thread, request.params.item_id, context);
      if (sender && sender.type !== 'widget')
        throw new RequestError('invalid_request', `Item ${sender.id} is not a widget.`, {
          details: { item_id: sender.id },
        });
      if (!options.syncAction)
        throw new RequestError('invalid_request', 'This server handles no sync actions.');
      const updated = await options.syncAction(
        thread,
        request.params.action,
        sender as WidgetItem | null,
        context,
      );
      if (!updated) return json({});
      const page = toWireItemPage({ data: [updated], has_more: false }) as { data: unknown[] };
      return json(page.data[0] === undefined ? {} : { updated_item: page.data[0] });
    },

    async 'threads.get_by_id'(request, context) {
      const thread = await store.loadThread(request.params.thread_id, context);
      const items = await store.loadThreadItems(thread.id, null, DEFAULT_PAGE_SIZE, 'asc', context);
      return json(toWireThread({ ...thread, items }));
    },

    async 'threads.list'(request, context) {
      const params = (request.params ?? {}) as {
        limit?: number | null;
        order?: 'asc' | 'desc';
        after?: string | null;
      };
      const page = await store.loadThreads(
        params.limit || DEFAULT_PAGE_SIZE,
        params.after ?? null,
        params.order ?? 'desc',
        context,
      );
      return json(
        toWireThreadPage({
          ...page,
          data: page.data.map((thread) => ({ ...thread, items: { data: [], has_more: false } })),
        }),
      );
    },

    async 'items.list'(request, context) {
      const params = request.params;
      const page = await store.loadThreadItems(
        params.thread_id,
        params.after ?? null,
        params.limit || DEFAULT_PAGE_SIZE,
        params.order ?? 'desc',
        context,
      );
      return json(toWireItemPage(page));
    },

    async 'items.feedback'(request, context) {
      const { thread_id, item_ids, kind } = request.params;
      await store.addFeedback(thread_id, item_ids, kind, context);
      await options.onFeedback?.(thread_id, item_ids, kind, context);
      return json({});
    },

    async 'threads.update'(request, context) {
      const thread = await store.loadThread(request.params.thread_id, context);
      thread.title = request.params.title;
      await store.saveThread(thread, context);
      return json(toWireThread({ ...thread, items: { data: [], has_more: false } }));
    },

    async 'threads.delete'(request, context) {
      await store.deleteThread(request.params.thread_id, context);
      return json({});
    },

    async 'attachments.create'(request, context) {
      const attachment = await requireAttachments().createAttachment(
        { name: request.params.name, size: request.params.size, mime_type: request.params.mime_type },
        context,
      );
      await store.saveAttachment(attachment, context);
      return json(wireAttachment(attachment));
    },

    async 'attachments.delete'(request, context) {
      const attachments = requireAttachments();
      const attachmentId = request.params.attachment_id;
      // Loaded as the caller first: another user's (or an unknown) attachment is a 404, its bytes untouched.
      await store.loadAttachment(attachmentId, context);
      await attachments.deleteAttachment(attachmentId, context);
      await store.deleteAttachment(attachmentId, context);
      return json({});
    },

    async 'input.transcribe'(request, context, run) {
      if (!options.transcribe) throw new RequestError('invalid_request', 'This server has no transcriber.');
      const { audio_base64, mime_type } = request.params;
      let data: Uint8Array;
      try {
        data = Uint8Array.from(atob(audio_base64), (c) => c.charCodeAt(0));
      } catch (error) {
        throw new RequestError('invalid_request', 'audio_base64 is not valid base64.', { cause: error });
      }
      await checkRateLimit(context);
      const result = await options.transcribe(
        {
          data,
          mime_type,
          media_type: mime_type.split(';')[0]?.trim() ?? mime_type,
          ...(run.signal ? { signal: run.signal } : {}),
        },
        context,
      );
      return json({ text: result.text });
    },
  };

  /** Whether a request starts a run of the responder (its failure is a failed run, recorded in the usage errors). */
  function startsRun(request: ChatKitRequest): boolean {
    if (RUN_REQUEST_TYPES.has(request.type)) return true;
    return request.type === 'threads.custom_action' && approvals?.handles(request.params.action) === true;
  }

  return {
    store,
    parse: (body) => parseChatKitRequest(body),
    async run(request, context, run = {}) {
      const handler = handlers[request.type] as Handler<TContext, ChatKitRequest> | undefined;
      if (!handler) throw new RequestError('invalid_request', 'Unknown ChatKit request type.');
      const scope: RunFailureScope = {};
      if (!agents?.usage || !startsRun(request)) return handler(request, context, run, scope);
      try {
        return await handler(request, context, run, scope);
      } catch (error) {
        // A run that failed before its stream (rate limit, store, routing, attachments): one usage error row.
        if (!run.signal?.aborted) await recordServerRunFailure(agents, context, error, scope);
        throw error;
      }
    },
  };
}
