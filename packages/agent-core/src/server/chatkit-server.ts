import {
  type Attachment,
  type ChatKitRequest,
  ConfigurationError,
  encodeChatKitEvent,
  isRelayKitError,
  parseChatKitRequest,
  RequestError,
  sseResponse,
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
import { DEFAULT_MAX_BODY_BYTES, readBodyText } from '../http/body';
import { errorResponse } from '../http/errors';
import { createAgentsRespond, validateAgentRoute } from './agents-respond';
import { blobAttachmentMetadata } from './attachments';
import { PipelineAborted, runPipeline } from './pipeline';
import {
  type ChatKitHandlerEvents,
  type ChatKitProcessOptions,
  type ChatKitRunInfo,
  type ChatKitServer,
  type ChatKitServerOptions,
  DEFAULT_PAGE_SIZE,
} from './types';

const encoder = new TextEncoder();

function json(body: unknown, status = 200, headers?: HeadersInit): Response {
  const h = new Headers(headers);
  h.set('content-type', 'application/json; charset=utf-8');
  return new Response(JSON.stringify(body), { status, headers: h });
}

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

async function* once(events: ThreadStreamEventInput[]): ChatKitHandlerEvents {
  for (const event of events) yield event;
}

/**
 * Creates a ChatKit custom-backend server (`docs/specs/chatkit-protocol.md`). `handle(request, context)` answers one
 * `POST` of the ChatKit client with a Web `Response`: JSON for non-streaming requests, `text/event-stream` for
 * streaming ones. Everything that can be checked (body, ids, item kinds, attachments, rate limit) is checked before
 * the first byte and answered as JSON `{ error: { code, message, details } }` with the code's HTTP status.
 * `context` is passed untouched to the store and every hook.
 */
export function createChatKitServer<TContext>(
  options: ChatKitServerOptions<TContext>,
): ChatKitServer<TContext> {
  const { store } = options;
  if (!store) throw new ConfigurationError('createChatKitServer needs a store');
  if (!options.respond && !options.agents)
    throw new ConfigurationError('createChatKitServer needs respond (or agents)');
  const { agents } = options;
  const respond = options.respond ?? createAgentsRespond(store, options.agents!);
  /**
   * With `agents`, routing (agent type, metadata schema) is checked before the first byte, also when a `respond`
   * answers instead (one that wraps `createAgentsRespond(store, agents)`).
   */
  const validateRoute = (
    thread: ThreadMetadata,
    input: UserMessageItem | null,
    requestMetadata: Record<string, unknown>,
  ) => {
    if (agents) validateAgentRoute(agents, thread, input, requestMetadata);
  };
  const now = options.now ?? (() => new Date());
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const rateLimitKey =
    options.rateLimitKey ??
    ((context: TContext) => String((context as { userId?: unknown }).userId ?? 'anonymous'));

  async function readBody(request: Request): Promise<string> {
    if (request.method !== 'POST')
      throw new RequestError('invalid_request', 'ChatKit requests must be POST.');
    return readBodyText(request, maxBodyBytes);
  }

  async function checkRateLimit(context: TContext): Promise<void> {
    if (!options.rateLimiter) return;
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

  async function saveUserMessage(message: UserMessageItem, attachments: Attachment[], context: TContext) {
    for (const attachment of attachments) await store.saveAttachment(attachment, context);
    await store.addThreadItem(message.thread_id, message, context);
  }

  /** Builds the SSE response: `prefix` events (already persisted), then the pipeline over `run`. */
  function stream(
    context: TContext,
    thread: ThreadMetadata | null,
    prefix: () => AsyncIterable<ThreadStreamEventInput>,
    run: ((info: ChatKitRunInfo) => ChatKitHandlerEvents) | null,
    requestMetadata: Record<string, unknown>,
    runOptions?: ChatKitProcessOptions,
  ): Response {
    const requestSignal = runOptions?.signal;
    const abort = new AbortController();
    const onRequestAbort = () => abort.abort(requestSignal?.reason);
    requestSignal?.addEventListener('abort', onRequestAbort, { once: true });
    let closed = false;
    let finished: Promise<void> = Promise.resolve();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        const write = (event: ThreadStreamEventInput) => {
          const frame = encodeChatKitEvent(event);
          if (frame !== '' && !closed) controller.enqueue(encoder.encode(frame));
        };
        finished = (async () => {
          try {
            for await (const event of prefix()) write(event);
            if (run && thread) {
              const info: ChatKitRunInfo = { signal: abort.signal, requestMetadata };
              const streamOptions = options.getStreamOptions?.(thread, context) ?? { allow_cancel: true };
              const events = runPipeline(run(info), {
                store,
                context,
                thread,
                signal: abort.signal,
                now,
                streamOptions,
                onError: (error, errorContext) => {
                  runOptions?.onRunError?.(error);
                  options.onError?.(error, errorContext);
                },
              });
              for await (const event of events) write(event);
            }
            if (!closed) {
              closed = true;
              controller.close();
            }
          } catch (error) {
            if (error instanceof PipelineAborted) return;
            options.onError?.(error, context);
            if (!closed) {
              closed = true;
              controller.error(error);
            }
          } finally {
            requestSignal?.removeEventListener('abort', onRequestAbort);
          }
        })();
      },
      async cancel(reason) {
        closed = true;
        abort.abort(reason);
        await finished;
      },
    });
    return sseResponse(body, { heartbeatMs: options.heartbeatMs ?? 0 });
  }

  async function loadSender(
    thread: ThreadMetadata,
    itemId: string | null | undefined,
    context: TContext,
  ): Promise<ThreadItem | null> {
    if (!itemId) return null;
    return store.loadItem(thread.id, itemId, context);
  }

  async function dispatch(
    request: ChatKitRequest,
    context: TContext,
    run?: ChatKitProcessOptions,
  ): Promise<Response> {
    const requestMetadata = (request.metadata ?? {}) as Record<string, unknown>;
    switch (request.type) {
      case 'threads.create': {
        await checkRateLimit(context);
        const thread: ThreadMetadata = {
          id: store.generateThreadId(context),
          created_at: now().toISOString(),
          status: { type: 'active' },
          metadata: {},
        } as ThreadMetadata;
        const { message, attachments } = await buildUserMessage(thread, request.params.input, context);
        validateRoute(thread, message, requestMetadata);
        await store.saveThread(thread, context);
        await saveUserMessage(message, attachments, context);
        return stream(
          context,
          thread,
          () =>
            once([
              {
                type: 'thread.created',
                thread: { ...thread, items: { data: [], has_more: false } } as never,
              },
              { type: 'thread.item.done', item: message },
            ]),
          (info) => respond(thread, message, context, info),
          requestMetadata,
          run,
        );
      }
      case 'threads.add_user_message': {
        const thread = await store.loadThread(request.params.thread_id, context);
        await checkRateLimit(context);
        const { message, attachments } = await buildUserMessage(thread, request.params.input, context);
        validateRoute(thread, message, requestMetadata);
        await saveUserMessage(message, attachments, context);
        return stream(
          context,
          thread,
          () => once([{ type: 'thread.item.done', item: message }]),
          (info) => respond(thread, message, context, info),
          requestMetadata,
          run,
        );
      }
      case 'threads.add_client_tool_output': {
        const thread = await store.loadThread(request.params.thread_id, context);
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
        await store.saveItem(
          thread.id,
          {
            ...last,
            status: 'completed',
            output: (request.params as { result?: unknown }).result,
          } as ThreadItem,
          context,
        );
        const recent = await store.loadThreadItems(thread.id, null, DEFAULT_PAGE_SIZE, 'desc', context);
        for (const item of recent.data) {
          if (item.id !== last.id && item.type === 'client_tool_call' && item.status === 'pending')
            await store.deleteThreadItem(thread.id, item.id, context);
        }
        return stream(
          context,
          thread,
          () => once([]),
          (info) => respond(thread, null, context, info),
          requestMetadata,
          run,
        );
      }
      case 'threads.add_structured_input': {
        const thread = await store.loadThread(request.params.thread_id, context);
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
        return stream(
          context,
          thread,
          () => once([]),
          (info) =>
            (async function* () {
              yield { type: 'thread.item.replaced', item: updated } as ThreadStreamEventInput;
              yield* respond(thread, null, context, info);
            })(),
          requestMetadata,
          run,
        );
      }
      case 'threads.retry_after_item': {
        const thread = await store.loadThread(request.params.thread_id, context);
        const target = request.params.item_id;
        const newer: ThreadItem[] = [];
        let found: ThreadItem | null = null;
        let after: string | null = null;
        for (;;) {
          const page = await store.loadThreadItems(thread.id, after, DEFAULT_PAGE_SIZE, 'desc', context);
          for (const item of page.data) {
            if (item.id === target) {
              found = item;
              break;
            }
            newer.push(item);
          }
          if (found || !page.has_more || !page.after) break;
          after = page.after;
        }
        if (!found) return stream(context, null, () => once([]), null, requestMetadata, run);
        if (found.type !== 'user_message')
          throw new RequestError('invalid_request', `Item ${found.id} is not a user message.`, {
            details: { item_id: found.id },
          });
        await checkRateLimit(context);
        for (const item of newer) await store.deleteThreadItem(thread.id, item.id, context);
        const message = found;
        return stream(
          context,
          thread,
          () => once([]),
          (info) => respond(thread, message, context, info),
          requestMetadata,
          run,
        );
      }
      case 'threads.custom_action': {
        const thread = await store.loadThread(request.params.thread_id, context);
        const sender = await loadSender(thread, request.params.item_id, context);
        if (sender && sender.type !== 'widget') {
          return stream(
            context,
            null,
            () => once([{ type: 'error', code: 'stream.error', allow_retry: false }]),
            null,
            requestMetadata,
            run,
          );
        }
        const action = options.action;
        if (!action) throw new RequestError('invalid_request', 'This server handles no custom actions.');
        return stream(
          context,
          thread,
          () => once([]),
          (info) => action(thread, request.params.action, sender as WidgetItem | null, context, info),
          requestMetadata,
          run,
        );
      }
      case 'threads.sync_custom_action': {
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
      }
      case 'threads.get_by_id': {
        const thread = await store.loadThread(request.params.thread_id, context);
        const items = await store.loadThreadItems(thread.id, null, DEFAULT_PAGE_SIZE, 'asc', context);
        return json(toWireThread({ ...thread, items }));
      }
      case 'threads.list': {
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
      }
      case 'items.list': {
        const params = request.params;
        const page = await store.loadThreadItems(
          params.thread_id,
          params.after ?? null,
          params.limit || DEFAULT_PAGE_SIZE,
          params.order ?? 'desc',
          context,
        );
        return json(toWireItemPage(page));
      }
      case 'items.feedback': {
        const { thread_id, item_ids, kind } = request.params;
        await store.addFeedback(thread_id, item_ids, kind, context);
        await options.onFeedback?.(thread_id, item_ids, kind, context);
        return json({});
      }
      case 'threads.update': {
        const thread = await store.loadThread(request.params.thread_id, context);
        thread.title = request.params.title;
        await store.saveThread(thread, context);
        return json(toWireThread({ ...thread, items: { data: [], has_more: false } }));
      }
      case 'threads.delete': {
        await store.deleteThread(request.params.thread_id, context);
        return json({});
      }
      case 'attachments.create': {
        if (!options.attachments)
          throw new RequestError(
            'invalid_request',
            'This server accepts no attachments (no attachment store).',
          );
        const attachment = await options.attachments.createAttachment(
          {
            name: request.params.name,
            size: request.params.size,
            mime_type: request.params.mime_type,
          },
          context,
        );
        await store.saveAttachment(attachment, context);
        return json(wireAttachment(attachment));
      }
      case 'attachments.delete': {
        if (!options.attachments)
          throw new RequestError(
            'invalid_request',
            'This server accepts no attachments (no attachment store).',
          );
        const attachmentId = request.params.attachment_id;
        // Loaded as the caller first: another user's (or an unknown) attachment is a 404, its bytes untouched.
        await store.loadAttachment(attachmentId, context);
        await options.attachments.deleteAttachment(attachmentId, context);
        await store.deleteAttachment(attachmentId, context);
        return json({});
      }
      case 'input.transcribe': {
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
            ...(run?.signal ? { signal: run.signal } : {}),
          },
          context,
        );
        return json({ text: result.text });
      }
      default:
        throw new RequestError('invalid_request', `Unknown ChatKit request type.`);
    }
  }

  async function process(body: unknown, context: TContext, extra?: ChatKitProcessOptions): Promise<Response> {
    try {
      const request = parseChatKitRequest(body);
      return await dispatch(request, context, extra);
    } catch (error) {
      if (!isRelayKitError(error)) options.onError?.(error, context);
      return errorResponse(error);
    }
  }

  return {
    async handle(request, context) {
      let text: string;
      try {
        text = await readBody(request);
      } catch (error) {
        return errorResponse(error);
      }
      return process(text, context, { signal: request.signal });
    },
    process,
    store,
  };
}
