import { createEventStreamParser, parseJsonText } from '@relaykit/sse-protocol';
import { ChatKitRequestError, errorOfResponse, isAbortError, networkError } from './errors';
import type {
  Action,
  AnyThreadItem,
  Attachment,
  ChatKitEvent,
  Page,
  ThreadSearchPage,
  ThreadSummary,
  ThreadWithItems,
  UserMessageInput,
} from './types';

/** Request metadata: a fixed object, or computed per request (e.g. the agent picked for a new thread). */
export type RequestMetadata =
  | Record<string, unknown>
  | ((request: { type: string; threadId: string | null }) => Record<string, unknown>);

/** Options of {@link createChatKitClient}, in the spirit of ChatKit's `CustomApiConfig`. */
export interface ChatKitClientOptions {
  /** The ChatKit endpoint (one `POST` URL for every request), e.g. `/api/chatkit`. */
  url: string;
  /** The fetch to use: add auth headers here (`(input, init) => fetch(input, { ...init, headers: … })`). */
  fetch?: typeof fetch;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /** `metadata` of every request (RelayKit routes agents by it, e.g. `{ agentType, eventId }`). */
  metadata?: RequestMetadata;
  /** URL of the thread search endpoint (`GET ?q=&limit=` → `{ data: [{ thread, snippet }], has_more }`). */
  searchUrl?: string;
}

/** Options of one request. */
export interface RequestOptions {
  signal?: AbortSignal;
  /** Extra metadata merged over the client's for this request. */
  metadata?: Record<string, unknown>;
}

/** Paging of `threads.list` and `items.list` (§2.B, §5). */
export interface PageOptions {
  limit?: number;
  order?: 'asc' | 'desc';
  after?: string | null;
}

const threadIdOf = (params: unknown): string | null => {
  const id = (params as { thread_id?: unknown } | null)?.thread_id;
  return typeof id === 'string' ? id : null;
};

/**
 * A framework-free client for the ChatKit custom-backend protocol (docs/specs/chatkit-protocol.md §1–§2): one
 * `POST` endpoint, JSON answers for reads and updates, SSE (`data: <event>` frames) for runs. Works against
 * RelayKit's server and chatkit-python's. Errors are {@link ChatKitRequestError}s (a `RelayKitError`) carrying the
 * server's code, the HTTP status and `retryAfterMs`; aborting a run's signal ends its fetch (the server then keeps
 * the partial answer).
 */
export function createChatKitClient(options: ChatKitClientOptions) {
  const fetcher: typeof fetch =
    options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));

  const metadataFor = (type: string, params: unknown, extra?: Record<string, unknown>) => {
    const base =
      typeof options.metadata === 'function'
        ? options.metadata({ type, threadId: threadIdOf(params) })
        : (options.metadata ?? {});
    return { ...base, ...extra };
  };

  async function send(type: string, params: unknown, request: RequestOptions = {}): Promise<Response> {
    let response: Response;
    try {
      response = await fetcher(options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...options.headers,
        },
        body: JSON.stringify({ type, params, metadata: metadataFor(type, params, request.metadata) }),
        ...(request.signal ? { signal: request.signal } : {}),
      });
    } catch (error) {
      if (isAbortError(error)) throw error;
      throw networkError(error);
    }
    if (!response.ok) throw await errorOfResponse(response);
    return response;
  }

  async function request<T>(type: string, params: unknown, options?: RequestOptions): Promise<T> {
    const response = await send(type, params, options);
    const text = await response.text();
    return (text === '' ? {} : parseJsonText(text)) as T;
  }

  /** Runs a streaming request and yields its events in order (unknown event types included, as they came). */
  async function* stream(
    type: string,
    params: unknown,
    options?: RequestOptions,
  ): AsyncGenerator<ChatKitEvent> {
    const response = await send(type, params, options);
    const contentType = response.headers.get('content-type') ?? '';
    if (!contentType.includes('text/event-stream') || !response.body) {
      // A server that answers a streaming request with JSON (an error object) or nothing at all.
      const text = await response.text().catch(() => '');
      if (text.trim() !== '') {
        const body = parseJsonText(text) as { error?: { message?: string } };
        if (body?.error)
          throw new ChatKitRequestError('invalid_request', body.error.message ?? 'The request failed.', 200);
      }
      return;
    }
    const reader = response.body.getReader();
    const queue: ChatKitEvent[] = [];
    const parser = createEventStreamParser((message) => {
      try {
        const event = parseJsonText(message.data) as ChatKitEvent;
        if (event && typeof event === 'object' && typeof event.type === 'string') queue.push(event);
      } catch {
        // A frame that is not JSON is skipped (a newer server's comment or keep-alive).
      }
    });
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          parser.end();
          yield* queue.splice(0);
          return;
        }
        parser.feed(value);
        yield* queue.splice(0);
      }
    } catch (error) {
      if (isAbortError(error) || options?.signal?.aborted) throw error;
      if (error instanceof ChatKitRequestError) throw error;
      throw networkError(error);
    } finally {
      reader.releaseLock();
    }
  }

  const paging = (page: PageOptions) => ({
    limit: page.limit ?? 20,
    order: page.order ?? 'desc',
    ...(page.after ? { after: page.after } : {}),
  });

  return {
    /** The options the client was made with. */
    options,
    /** Any non-streaming request by type (for requests this client has no method for). */
    request,
    /** Any streaming request by type. */
    stream,
    listThreads: (page: PageOptions = {}, request?: RequestOptions) =>
      request_<Page<ThreadSummary>>('threads.list', paging(page), request),
    getThread: (threadId: string, request?: RequestOptions) =>
      request_<ThreadWithItems>('threads.get_by_id', { thread_id: threadId }, request),
    /** A page of items; `desc` (newest first) with the previous page's `after` loads older items. */
    listItems: (threadId: string, page: PageOptions = {}, request?: RequestOptions) =>
      request_<Page<AnyThreadItem>>('items.list', { thread_id: threadId, ...paging(page) }, request),
    updateThread: (threadId: string, title: string, request?: RequestOptions) =>
      request_<ThreadSummary>('threads.update', { thread_id: threadId, title }, request),
    deleteThread: (threadId: string, request?: RequestOptions) =>
      request_<Record<string, never>>('threads.delete', { thread_id: threadId }, request),
    feedback: (
      threadId: string,
      itemIds: string[],
      kind: 'positive' | 'negative',
      request?: RequestOptions,
    ) =>
      request_<Record<string, never>>(
        'items.feedback',
        { thread_id: threadId, item_ids: itemIds, kind },
        request,
      ),
    createThread: (input: UserMessageInput, request?: RequestOptions) =>
      stream('threads.create', { input }, request),
    addUserMessage: (threadId: string, input: UserMessageInput, request?: RequestOptions) =>
      stream('threads.add_user_message', { thread_id: threadId, input }, request),
    retryAfterItem: (threadId: string, itemId: string, request?: RequestOptions) =>
      stream('threads.retry_after_item', { thread_id: threadId, item_id: itemId }, request),
    addClientToolOutput: (threadId: string, result: unknown, request?: RequestOptions) =>
      stream('threads.add_client_tool_output', { thread_id: threadId, result }, request),
    addStructuredInput: (
      threadId: string,
      itemId: string,
      input: {
        status?: 'answered' | 'skipped';
        answers?: Record<string, { values?: string[]; skipped?: boolean }>;
      },
      request?: RequestOptions,
    ) => stream('threads.add_structured_input', { thread_id: threadId, item_id: itemId, input }, request),
    customAction: (threadId: string, itemId: string | null, action: Action, request?: RequestOptions) =>
      stream('threads.custom_action', { thread_id: threadId, item_id: itemId, action }, request),
    syncCustomAction: (threadId: string, itemId: string | null, action: Action, request?: RequestOptions) =>
      request_<{ updated_item?: AnyThreadItem }>(
        'threads.sync_custom_action',
        { thread_id: threadId, item_id: itemId, action },
        request,
      ),
    createAttachment: (file: { name: string; size: number; type: string }, request?: RequestOptions) =>
      request_<Attachment>(
        'attachments.create',
        { name: file.name, size: file.size, mime_type: file.type || 'application/octet-stream' },
        request,
      ),
    deleteAttachment: (attachmentId: string, request?: RequestOptions) =>
      request_<Record<string, never>>('attachments.delete', { attachment_id: attachmentId }, request),
    /**
     * Phase two of a two-phase upload (§7): sends the bytes to the attachment's `upload_descriptor` (multipart
     * `file` for POST, the raw body for PUT) through the client's `fetch`, and returns the server's attachment
     * (with its `preview_url`) or the one created when the server answers nothing useful.
     */
    async uploadAttachment(
      attachment: Attachment,
      file: Blob,
      request: RequestOptions = {},
    ): Promise<Attachment> {
      const descriptor = attachment.upload_descriptor;
      if (!descriptor) return attachment;
      let body: BodyInit;
      const headers: Record<string, string> = { ...descriptor.headers };
      if (descriptor.method === 'PUT') {
        body = file;
        if (file.type) headers['content-type'] = file.type;
      } else {
        const form = new FormData();
        form.append('file', file, attachment.name);
        body = form;
      }
      let response: Response;
      try {
        response = await fetcher(descriptor.url, {
          method: descriptor.method,
          headers,
          body,
          ...(request.signal ? { signal: request.signal } : {}),
        });
      } catch (error) {
        if (isAbortError(error)) throw error;
        throw networkError(error);
      }
      if (!response.ok) throw await errorOfResponse(response);
      const answer = (await response.json().catch(() => null)) as Partial<Attachment> | null;
      return answer && answer.id === attachment.id
        ? ({ ...attachment, ...answer, upload_descriptor: null } as Attachment)
        : { ...attachment, upload_descriptor: null };
    },
    /** Full-text search over the caller's threads at `searchUrl`; `undefined` when the client has none. */
    async searchThreads(query: string, page: { limit?: number } = {}, request: RequestOptions = {}) {
      if (!options.searchUrl) return undefined;
      const base = typeof location === 'undefined' ? 'http://localhost' : (location as { href: string }).href;
      const url = new URL(options.searchUrl, base);
      url.searchParams.set('q', query);
      if (page.limit) url.searchParams.set('limit', String(page.limit));
      const target = /^https?:/.test(options.searchUrl) ? url.toString() : `${url.pathname}${url.search}`;
      let response: Response;
      try {
        response = await fetcher(target, {
          headers: { accept: 'application/json', ...options.headers },
          ...(request.signal ? { signal: request.signal } : {}),
        });
      } catch (error) {
        if (isAbortError(error)) throw error;
        throw networkError(error);
      }
      if (!response.ok) throw await errorOfResponse(response);
      return (await response.json()) as ThreadSearchPage;
    },
  };

  function request_<T>(type: string, params: unknown, options?: RequestOptions): Promise<T> {
    return request<T>(type, params, options);
  }
}

/** The client {@link createChatKitClient} returns. */
export type ChatKitClient = ReturnType<typeof createChatKitClient>;

/** The `UserMessageInput` of plain text plus uploaded attachment ids. */
export function userInput(text: string, attachmentIds: string[] = []): UserMessageInput {
  return {
    content: [{ type: 'input_text', text }],
    attachments: attachmentIds,
    quoted_text: null,
    inference_options: {},
  };
}
