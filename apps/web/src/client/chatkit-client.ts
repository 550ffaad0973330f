import type { Page, StreamEvent, ThreadItem, ThreadSummary } from './chatkit-types';
import { ApiRequestError, errorOfResponse } from './errors';
import { readSseData } from './sse';

/** An error answered by the ChatKit endpoint (`{ error: { code, message } }`): a `RelayKitError` with `status`. */
export class ChatKitRequestError extends ApiRequestError {
  override name = 'ChatKitRequestError';
}

/** Options of {@link createChatKitClient}. */
export interface ChatKitClientOptions {
  /** The endpoint. Default `/api/chatkit`. */
  url?: string;
  /** A fetch implementation (tests). Default the global `fetch` (same-origin, the session cookie is sent). */
  fetch?: typeof fetch;
  /** Extra headers (e.g. `Authorization: Bearer …` outside a browser). */
  headers?: Record<string, string>;
}

type Metadata = Record<string, unknown>;

const userInput = (text: string) => ({
  content: [{ type: 'input_text', text }],
  attachments: [],
  inference_options: {},
});

/**
 * A small client for the ChatKit custom-backend protocol: one POST endpoint, JSON for reads and updates, SSE
 * (`data: <event>` frames) for runs. Aborting a run's signal stops the fetch; the server then keeps the partial text.
 */
export function createChatKitClient(options: ChatKitClientOptions = {}) {
  const url = options.url ?? '/api/chatkit';
  const fetcher = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));

  async function post(
    type: string,
    params: unknown,
    metadata: Metadata,
    signal?: AbortSignal,
  ): Promise<Response> {
    const response = await fetcher(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...options.headers,
      },
      body: JSON.stringify({ type, params, metadata }),
      credentials: 'same-origin',
      ...(signal ? { signal } : {}),
    });
    if (!response.ok) throw await errorOfResponse(response, ChatKitRequestError);
    return response;
  }

  async function request<T>(type: string, params: unknown, metadata: Metadata = {}): Promise<T> {
    return (await (await post(type, params, metadata)).json()) as T;
  }

  async function* stream(
    type: string,
    params: unknown,
    metadata: Metadata,
    signal?: AbortSignal,
  ): AsyncGenerator<StreamEvent> {
    const response = await post(type, params, metadata, signal);
    if (!response.body) return;
    for await (const frame of readSseData(response.body, signal)) {
      let event: StreamEvent;
      try {
        event = JSON.parse(frame.data) as StreamEvent;
      } catch {
        continue;
      }
      yield event;
    }
  }

  return {
    listThreads: (params: { limit?: number; after?: string; order?: 'asc' | 'desc' } = {}) =>
      request<Page<ThreadSummary>>('threads.list', {
        limit: params.limit ?? 20,
        order: params.order ?? 'desc',
        ...(params.after ? { after: params.after } : {}),
      }),
    getThread: (threadId: string) =>
      request<ThreadSummary & { items: Page<ThreadItem> }>('threads.get_by_id', { thread_id: threadId }),
    /** Newest first (`desc`): pass the previous page's `after` to load older items. */
    listItems: (threadId: string, params: { limit?: number; after?: string; order?: 'asc' | 'desc' } = {}) =>
      request<Page<ThreadItem>>('items.list', {
        thread_id: threadId,
        limit: params.limit ?? 20,
        order: params.order ?? 'desc',
        ...(params.after ? { after: params.after } : {}),
      }),
    updateThread: (threadId: string, title: string) =>
      request<ThreadSummary>('threads.update', { thread_id: threadId, title }),
    deleteThread: (threadId: string) =>
      request<Record<string, never>>('threads.delete', { thread_id: threadId }),
    feedback: (threadId: string, itemIds: string[], kind: 'positive' | 'negative') =>
      request<Record<string, never>>('items.feedback', { thread_id: threadId, item_ids: itemIds, kind }),
    createThread: (text: string, metadata: Metadata, signal?: AbortSignal) =>
      stream('threads.create', { input: userInput(text) }, metadata, signal),
    addUserMessage: (threadId: string, text: string, metadata: Metadata, signal?: AbortSignal) =>
      stream('threads.add_user_message', { thread_id: threadId, input: userInput(text) }, metadata, signal),
    retryAfterItem: (threadId: string, itemId: string, metadata: Metadata, signal?: AbortSignal) =>
      stream('threads.retry_after_item', { thread_id: threadId, item_id: itemId }, metadata, signal),
  };
}

/** The client {@link createChatKitClient} returns. */
export type ChatKitClient = ReturnType<typeof createChatKitClient>;
