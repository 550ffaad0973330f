import {
  type ChatKitClient,
  type ChatKitClientOptions,
  createChatKitClient,
  userInput,
} from '../client/client';
import { ChatKitRequestError, isAbortError } from '../client/errors';
import type {
  Action,
  AnyThreadItem,
  Attachment,
  ChatKitEvent,
  ClientToolCallItem,
  ThreadSearchResult,
  ThreadSummary,
  UserMessageItem,
} from '../client/types';
import { threadToJSON, threadToMarkdown } from '../export/thread-export';
import { applyItemEvent, titleFromMessage, visibleItems } from './thread-state';

/** An error the UI shows inline, with what the user can do about it. */
export interface ChatError {
  /** What went wrong, in words for the user. */
  message: string;
  /** The RelayKit / ChatKit code (`rate_limited`, `not_found`, `stream.error`, …). */
  code: string;
  /** The HTTP status, when the error was an HTTP answer. */
  status?: number;
  /** Epoch ms before which a retry will be refused (a 429's `Retry-After` / `retryAfterMs`). */
  retryAt?: number;
  /** What a "Retry" button does: resend the failed message, re-run the last turn, or nothing. */
  retry: 'send' | 'run' | null;
}

/** A file in the composer: uploading, uploaded (ready to send) or failed. */
export interface DraftAttachment {
  /** A client-side id. */
  localId: string;
  name: string;
  size: number;
  mimeType: string;
  /** An object URL of the local file (images), shown until the server's `preview_url` is known. */
  localPreviewUrl?: string;
  status: 'uploading' | 'ready' | 'failed';
  /** The server's attachment once created (and, when `ready`, uploaded). */
  attachment?: Attachment;
  error?: string;
}

/** A notice of the running thread (`notice` events). */
export interface ChatNotice {
  id: number;
  level: 'info' | 'warning' | 'danger';
  title?: string;
  message: string;
}

/** Everything the UI renders, as one immutable snapshot. */
export interface ChatState {
  /** The thread list (newest first), as far as it has been paged. */
  threads: ThreadSummary[];
  threadsHasMore: boolean;
  threadsLoading: boolean;
  /** The thread search: `results` is `null` when no query is active. */
  search: { query: string; results: ThreadSearchResult[] | null; loading: boolean; error: string | null };
  /** The open thread's id; `null` for a new, unsaved thread. */
  threadId: string | null;
  /** The open thread's summary (title), once known. */
  thread: ThreadSummary | null;
  /** `new`: nothing sent yet; `loading`; `ready`; `not_found`: the server has no such thread (404). */
  status: 'new' | 'loading' | 'ready' | 'not_found';
  /** The open thread's visible items, oldest first. */
  items: AnyThreadItem[];
  hasOlder: boolean;
  loadingOlder: boolean;
  /** The run in flight, if any. */
  running: { kind: 'message' | 'retry' | 'edit' | 'action' | 'tool' | 'input'; allowCancel: boolean } | null;
  /** The run's latest `progress_update` text. */
  progress: string | null;
  error: ChatError | null;
  notices: ChatNotice[];
  /** The composer's content; kept when a send fails. */
  draft: { text: string; attachments: DraftAttachment[] };
  /** Feedback given in this session, by item id. */
  feedback: Record<string, 'positive' | 'negative'>;
}

/** What a client tool handler receives (the pending `client_tool_call` item). */
export interface ClientToolCall {
  name: string;
  params: Record<string, unknown>;
  callId: string;
  item: ClientToolCallItem;
}

/** Options of {@link createChatController}, in the spirit of `@openai/chatkit-react`'s `ChatKitOptions`. */
export interface ChatControllerOptions {
  /** The backend: `{ url, fetch?, headers?, searchUrl? }`. */
  api: Omit<ChatKitClientOptions, 'metadata'>;
  /** Request `metadata` (RelayKit routes agents by it). A function is read per request. */
  metadata?: ChatKitClientOptions['metadata'];
  /** The thread to open first; `null` or unset starts a new thread. */
  initialThread?: string | null;
  /** Called when the open thread changes (opened, created by the first message, or cleared). */
  onThreadChange?: (event: { threadId: string | null }) => void;
  /** Called with every error the UI shows (and failed background requests). */
  onError?: (event: { error: Error }) => void;
  /** Runs a client tool call (`client_tool_call` item); its result is sent with `threads.add_client_tool_output`. */
  onClientTool?: (call: ClientToolCall) => unknown | Promise<unknown>;
  /** Handles widget actions whose `handler` is `client`. */
  onWidgetAction?: (action: Action, item: AnyThreadItem) => void | Promise<void>;
  /** `client_effect` events (fire-and-forget). */
  onEffect?: (effect: { name: string; data: Record<string, unknown> }) => void;
  /** Called when a run starts and ends. */
  onResponseStart?: () => void;
  onResponseEnd?: () => void;
  /**
   * Title a new thread after its first message (`threads.update` with the message's first words) when the server
   * sent no title by the end of the first answer. Default `false` (ChatKit servers title threads themselves).
   */
  autoTitle?: boolean;
  /** Items and threads per page. Default 20. */
  pageSize?: number;
}

/** The controller the React hooks wrap: state, subscription and every action of the UI. */
export interface ChatController {
  getState(): ChatState;
  subscribe(listener: () => void): () => void;
  /** The protocol client (for requests the UI has no button for). */
  readonly client: ChatKitClient;
  /** Replaces the callbacks and metadata (React re-renders pass fresh closures). */
  setOptions(options: Partial<ChatControllerOptions>): void;
  /** Opens a thread (`null`: a new thread). Aborts a run in flight. */
  setThreadId(threadId: string | null): Promise<void>;
  refreshThreads(): Promise<void>;
  loadMoreThreads(): Promise<void>;
  loadOlder(): Promise<void>;
  setDraftText(text: string): void;
  addFiles(files: readonly File[]): Promise<void>;
  removeAttachment(localId: string): void;
  /** Sends the composer's content (or `text`); keeps it when the send fails. */
  send(text?: string): Promise<void>;
  stop(): void;
  /** Runs the last answer again (`threads.retry_after_item` on the last user message, or the given one). */
  retry(userItemId?: string): Promise<void>;
  /** Resends a sent user message with new text; the answer after it is replaced. */
  editMessage(userItemId: string, text: string): Promise<void>;
  giveFeedback(itemId: string, kind: 'positive' | 'negative'): Promise<void>;
  renameThread(threadId: string, title: string): Promise<void>;
  deleteThread(threadId: string): Promise<void>;
  /** Sends a widget action (`threads.custom_action`, or `threads.sync_custom_action` for `streaming: false`). */
  sendAction(
    action: Action & { handler?: string; streaming?: boolean },
    itemId: string | null,
  ): Promise<void>;
  submitStructuredInput(
    itemId: string,
    input: {
      status?: 'answered' | 'skipped';
      answers?: Record<string, { values?: string[]; skipped?: boolean }>;
    },
  ): Promise<void>;
  search(query: string): Promise<void>;
  /** The open thread, fully paged, as Markdown or JSON. */
  exportThread(format: 'markdown' | 'json'): Promise<{ text: string; thread: ThreadSummary }>;
  dismissError(): void;
  dismissNotice(id: number): void;
  /** Aborts work in flight and drops listeners. */
  dispose(): void;
}

const INITIAL: ChatState = {
  threads: [],
  threadsHasMore: false,
  threadsLoading: false,
  search: { query: '', results: null, loading: false, error: null },
  threadId: null,
  thread: null,
  status: 'new',
  items: [],
  hasOlder: false,
  loadingOlder: false,
  running: null,
  progress: null,
  error: null,
  notices: [],
  draft: { text: '', attachments: [] },
  feedback: {},
};

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/** The words a user sees for an error; internals (`chatkit: thread … not found`) never reach the screen. */
export function describeError(error: unknown): Omit<ChatError, 'retry'> {
  if (error instanceof ChatKitRequestError || ChatKitRequestError.isInstance(error)) {
    const known = error as ChatKitRequestError;
    const retryAt = known.retryAfterMs !== undefined ? Date.now() + known.retryAfterMs : undefined;
    const base = {
      code: known.code,
      ...(known.status ? { status: known.status } : {}),
      ...(retryAt ? { retryAt } : {}),
    };
    switch (known.code) {
      case 'rate_limited':
      case 'quota_exceeded':
        return { ...base, message: known.message || 'Too many requests.' };
      case 'not_found':
        return { ...base, message: 'This thread does not exist (it may have been deleted).' };
      case 'unauthorized':
        return { ...base, message: 'You are signed out. Sign in again to continue.' };
      case 'provider_unavailable':
        return { ...base, message: known.status === 0 ? 'The server could not be reached.' : known.message };
      default:
        return { ...base, message: known.message };
    }
  }
  return { code: 'internal', message: asError(error).message || 'Something went wrong.' };
}

let localIds = 0;

/**
 * Creates the chat controller: the state machine behind `<Chat>` and the hooks, framework-free (it runs in Node
 * tests too). Every action updates one immutable {@link ChatState}; `subscribe` fits `useSyncExternalStore`.
 */
export function createChatController(initial: ChatControllerOptions): ChatController {
  let options = initial;
  const client = createChatKitClient({
    ...initial.api,
    metadata: (request) => {
      const metadata = options.metadata;
      return typeof metadata === 'function' ? metadata(request) : (metadata ?? {});
    },
  });
  const pageSize = initial.pageSize ?? 20;
  let state: ChatState = { ...INITIAL, threadId: initial.initialThread ?? null };
  const listeners = new Set<() => void>();
  let olderAfter: string | null = null;
  let threadsAfter: string | null = null;
  let runAbort: AbortController | null = null;
  let loadTicket = 0;
  let searchTicket = 0;
  let noticeIds = 0;
  let disposed = false;

  const set = (patch: Partial<ChatState> | ((current: ChatState) => Partial<ChatState>)) => {
    if (disposed) return;
    const next = typeof patch === 'function' ? patch(state) : patch;
    state = { ...state, ...next };
    for (const listener of [...listeners]) listener();
  };

  const report = (error: unknown) => options.onError?.({ error: asError(error) });

  const showError = (error: unknown, retry: ChatError['retry']) => {
    report(error);
    set({ error: { ...describeError(error), retry } });
  };

  const changeThread = (threadId: string | null) => {
    if (threadId === state.threadId) return;
    set({ threadId });
    options.onThreadChange?.({ threadId });
  };

  const upsertThread = (thread: ThreadSummary) =>
    set((current) => ({
      threads: [thread, ...current.threads.filter((existing) => existing.id !== thread.id)],
      ...(current.threadId === thread.id ? { thread } : {}),
    }));

  async function refreshThreads() {
    set({ threadsLoading: true });
    try {
      const page = await client.listThreads({ limit: pageSize });
      threadsAfter = page.has_more ? (page.after ?? null) : null;
      set({ threads: page.data, threadsHasMore: threadsAfter !== null, threadsLoading: false });
    } catch (error) {
      set({ threadsLoading: false });
      report(error);
    }
  }

  async function loadMoreThreads() {
    if (!threadsAfter || state.threadsLoading) return;
    set({ threadsLoading: true });
    try {
      const page = await client.listThreads({ limit: pageSize, after: threadsAfter });
      threadsAfter = page.has_more ? (page.after ?? null) : null;
      set((current) => ({
        threads: [
          ...current.threads,
          ...page.data.filter((thread) => !current.threads.some((known) => known.id === thread.id)),
        ],
        threadsHasMore: threadsAfter !== null,
        threadsLoading: false,
      }));
    } catch (error) {
      set({ threadsLoading: false });
      report(error);
    }
  }

  async function setThreadId(threadId: string | null) {
    runAbort?.abort();
    const ticket = ++loadTicket;
    olderAfter = null;
    if (threadId === null) {
      set({
        items: [],
        thread: null,
        status: 'new',
        hasOlder: false,
        error: null,
        progress: null,
        notices: [],
      });
      changeThread(null);
      return;
    }
    set({
      items: [],
      thread: null,
      status: 'loading',
      hasOlder: false,
      error: null,
      progress: null,
      notices: [],
    });
    changeThread(threadId);
    try {
      // The thread (404 when unknown) and its newest page, in parallel: the reader starts at the end.
      const [thread, page] = await Promise.all([
        client.getThread(threadId),
        client.listItems(threadId, { limit: pageSize, order: 'desc' }),
      ]);
      if (ticket !== loadTicket) return;
      olderAfter = page.has_more ? (page.after ?? null) : null;
      const { items: _items, ...summary } = thread;
      set({
        thread: summary,
        status: 'ready',
        items: visibleItems([...page.data].reverse()),
        hasOlder: olderAfter !== null,
      });
    } catch (error) {
      if (ticket !== loadTicket) return;
      if (ChatKitRequestError.isInstance(error) && (error as ChatKitRequestError).code === 'not_found') {
        set({ status: 'not_found' });
        return;
      }
      set({ status: 'ready' });
      showError(error, null);
    }
  }

  async function loadOlder() {
    const threadId = state.threadId;
    if (!threadId || !olderAfter || state.loadingOlder) return;
    const ticket = loadTicket;
    set({ loadingOlder: true });
    try {
      const page = await client.listItems(threadId, { limit: pageSize, order: 'desc', after: olderAfter });
      if (ticket !== loadTicket) return;
      olderAfter = page.has_more ? (page.after ?? null) : null;
      const older = visibleItems([...page.data].reverse());
      set((current) => ({
        items: [
          ...older.filter((item) => !current.items.some((known) => known.id === item.id)),
          ...current.items,
        ],
        hasOlder: olderAfter !== null,
        loadingOlder: false,
      }));
    } catch (error) {
      set({ loadingOlder: false });
      report(error);
    }
  }

  interface RunHooks {
    /** Called with the first event of the stream (the server accepted the request). */
    onAccepted?: () => void;
    /** Called when the run failed before it was accepted (nothing changed on the server). */
    onRejected?: (error: unknown) => void;
  }

  /** Runs one streaming request and applies its events; returns whether it ended without an error. */
  async function run(
    kind: NonNullable<ChatState['running']>['kind'],
    start: (signal: AbortSignal) => AsyncGenerator<ChatKitEvent>,
    hooks: RunHooks = {},
  ): Promise<boolean> {
    runAbort?.abort();
    const controller = new AbortController();
    runAbort = controller;
    const ticket = loadTicket;
    let accepted = false;
    let ok = true;
    let pendingTool: ClientToolCallItem | null = null;
    set({ running: { kind, allowCancel: true }, progress: null, error: null });
    options.onResponseStart?.();
    try {
      for await (const event of start(controller.signal)) {
        if (ticket !== loadTicket && event.type !== 'thread.created') break;
        if (!accepted) {
          accepted = true;
          hooks.onAccepted?.();
        }
        switch (event.type) {
          case 'stream_options':
            set({ running: { kind, allowCancel: event.stream_options?.allow_cancel !== false } });
            break;
          case 'thread.created':
            olderAfter = null;
            set({ thread: event.thread, status: 'ready' });
            changeThread(event.thread.id);
            upsertThread(event.thread);
            break;
          case 'thread.updated':
            upsertThread(event.thread);
            break;
          case 'progress_update':
            set({ progress: event.text });
            break;
          case 'client_effect':
            options.onEffect?.({ name: event.name, data: event.data ?? {} });
            break;
          case 'error':
            ok = false;
            set({
              error: {
                code: event.code,
                message:
                  event.message ??
                  (event.code === 'stream.error'
                    ? 'The assistant’s reply failed on the server.'
                    : 'The reply failed.'),
                retry: event.allow_retry === false ? null : 'run',
              },
              progress: null,
            });
            break;
          case 'notice':
            set((current) => ({
              notices: [
                ...current.notices,
                {
                  id: ++noticeIds,
                  level: event.level,
                  message: event.message,
                  ...(event.title ? { title: event.title } : {}),
                },
              ],
            }));
            break;
          default: {
            if (
              (event.type === 'thread.item.done' || event.type === 'thread.item.added') &&
              event.item.type === 'client_tool_call' &&
              (event.item as ClientToolCallItem).status === 'pending'
            )
              pendingTool = event.item as ClientToolCallItem;
            if (
              event.type === 'thread.item.done' &&
              event.item.type === 'user_message' &&
              state.items.some((item) => item.id.startsWith('pending:'))
            )
              set((current) => ({ items: current.items.filter((item) => !item.id.startsWith('pending:')) }));
            const items = applyItemEvent(state.items, event);
            if (items !== state.items)
              set({
                items,
                ...(event.type === 'thread.item.added' && event.item.type === 'assistant_message'
                  ? { progress: null }
                  : {}),
              });
          }
        }
      }
    } catch (error) {
      ok = false;
      if (!isAbortError(error) && !controller.signal.aborted) {
        if (!accepted) hooks.onRejected?.(error);
        const notFound =
          ChatKitRequestError.isInstance(error) && (error as ChatKitRequestError).code === 'not_found';
        if (notFound && state.threadId) set({ status: 'not_found' });
        showError(error, accepted ? 'run' : kind === 'message' ? 'send' : 'run');
      } else if (!accepted) hooks.onRejected?.(error);
    } finally {
      if (runAbort === controller) runAbort = null;
      set({ running: null, progress: null });
      options.onResponseEnd?.();
    }
    if (ok && pendingTool && ticket === loadTicket) await runClientTool(pendingTool);
    return ok;
  }

  async function runClientTool(call: ClientToolCallItem) {
    const threadId = state.threadId;
    if (!threadId) return;
    if (!options.onClientTool) {
      showError(new Error(`This page cannot run the client tool "${call.name}".`), null);
      return;
    }
    let result: unknown;
    try {
      result = await options.onClientTool({
        name: call.name,
        params: call.arguments ?? {},
        callId: call.call_id,
        item: call,
      });
    } catch (error) {
      result = { error: asError(error).message };
    }
    set((current) => ({
      items: current.items.map((item) =>
        item.id === call.id ? ({ ...item, status: 'completed', output: result } as AnyThreadItem) : item,
      ),
    }));
    await run('tool', (signal) => client.addClientToolOutput(threadId, result ?? null, { signal }));
  }

  function setDraftText(text: string) {
    set((current) => ({ draft: { ...current.draft, text } }));
  }

  const patchAttachment = (localId: string, patch: Partial<DraftAttachment>) =>
    set((current) => ({
      draft: {
        ...current.draft,
        attachments: current.draft.attachments.map((attachment) =>
          attachment.localId === localId ? { ...attachment, ...patch } : attachment,
        ),
      },
    }));

  async function addFiles(files: readonly File[]) {
    await Promise.all(
      files.map(async (file) => {
        const localId = `local-${++localIds}`;
        const localPreviewUrl =
          file.type.startsWith('image/') && typeof URL.createObjectURL === 'function'
            ? URL.createObjectURL(file)
            : undefined;
        set((current) => ({
          draft: {
            ...current.draft,
            attachments: [
              ...current.draft.attachments,
              {
                localId,
                name: file.name,
                size: file.size,
                mimeType: file.type || 'application/octet-stream',
                status: 'uploading',
                ...(localPreviewUrl ? { localPreviewUrl } : {}),
              },
            ],
          },
        }));
        try {
          const created = await client.createAttachment(file);
          patchAttachment(localId, { attachment: created });
          const uploaded = await client.uploadAttachment(created, file);
          patchAttachment(localId, { status: 'ready', attachment: uploaded });
        } catch (error) {
          report(error);
          patchAttachment(localId, { status: 'failed', error: describeError(error).message });
        }
      }),
    );
  }

  function removeAttachment(localId: string) {
    const attachment = state.draft.attachments.find((candidate) => candidate.localId === localId);
    set((current) => ({
      draft: {
        ...current.draft,
        attachments: current.draft.attachments.filter((candidate) => candidate.localId !== localId),
      },
    }));
    if (attachment?.localPreviewUrl && typeof URL.revokeObjectURL === 'function')
      URL.revokeObjectURL(attachment.localPreviewUrl);
    if (attachment?.attachment) void client.deleteAttachment(attachment.attachment.id).catch(report);
  }

  async function send(text?: string) {
    if (state.running) return;
    const draft = state.draft;
    const message = (text ?? draft.text).trim();
    if (draft.attachments.some((attachment) => attachment.status === 'uploading')) return;
    const attachments = text === undefined ? draft.attachments.filter((a) => a.status === 'ready') : [];
    if (message === '' && attachments.length === 0) return;
    // A thread the server does not know (deleted, or a stale link): the message starts a new one.
    const threadId = state.status === 'not_found' ? null : state.threadId;
    if (threadId === null && state.threadId !== null) await setThreadId(null);
    const pending: UserMessageItem = {
      id: `pending:${++localIds}`,
      type: 'user_message',
      thread_id: threadId ?? '',
      created_at: new Date().toISOString(),
      content: [{ type: 'input_text', text: message }],
      attachments: attachments.flatMap((attachment) =>
        attachment.attachment ? [attachment.attachment] : [],
      ),
    };
    set((current) => ({
      items: [...current.items, pending],
      draft: text === undefined ? { text: '', attachments: [] } : current.draft,
    }));
    const input = userInput(
      message,
      attachments.flatMap((attachment) => (attachment.attachment ? [attachment.attachment.id] : [])),
    );
    const ok = await run(
      'message',
      (signal) =>
        threadId
          ? client.addUserMessage(threadId, input, { signal })
          : client.createThread(input, { signal }),
      {
        onRejected: () => {
          // Nothing reached the server: take the optimistic message back and give the user their text again (a
          // starter prompt's too), unless they already typed something new.
          set((current) => ({
            items: current.items.filter((item) => item.id !== pending.id),
            draft:
              current.draft.text === '' && current.draft.attachments.length === 0
                ? text === undefined
                  ? draft
                  : { text: message, attachments: [] }
                : current.draft,
          }));
        },
      },
    );
    if (ok && threadId === null && options.autoTitle && !state.thread?.title && state.threadId) {
      const id = state.threadId;
      try {
        const updated = await client.updateThread(id, titleFromMessage(message));
        upsertThread({ ...(state.thread ?? updated), ...updated, id });
      } catch (error) {
        report(error);
      }
    }
  }

  function stop() {
    runAbort?.abort();
  }

  const lastUserItemId = () =>
    [...state.items].reverse().find((item) => item.type === 'user_message' && !item.id.startsWith('pending:'))
      ?.id;

  /** Drops the items after `itemId` (the server deleted them when it accepted the retry). */
  const dropAfter = (itemId: string) =>
    set((current) => {
      const index = current.items.findIndex((item) => item.id === itemId);
      return index < 0 ? {} : { items: current.items.slice(0, index + 1) };
    });

  async function retry(userItemId?: string) {
    const threadId = state.threadId;
    const target = userItemId ?? lastUserItemId();
    if (!threadId || !target || state.running) return;
    // The previous answer stays on screen until the server accepted the retry (a 429 must not hide it).
    await run('retry', (signal) => client.retryAfterItem(threadId, target, { signal }), {
      onAccepted: () => dropAfter(target),
    });
  }

  async function editMessage(userItemId: string, text: string) {
    const threadId = state.threadId;
    const message = text.trim();
    if (!threadId || message === '' || state.running) return;
    // `threads.retry_after_item` on the edited message removes everything after it (the old answer); the run it
    // starts is stopped as soon as the server accepted it, and the edited text is sent as the new message.
    const cut = new AbortController();
    let accepted = false;
    set({ running: { kind: 'edit', allowCancel: true }, error: null });
    try {
      for await (const event of client.retryAfterItem(threadId, userItemId, { signal: cut.signal })) {
        accepted = true;
        if (event.type === 'stream_options' || event.type === 'thread.item.added' || event.type === 'error') {
          cut.abort();
          break;
        }
      }
      accepted = true;
    } catch (error) {
      if (!isAbortError(error) && !cut.signal.aborted) {
        set({ running: null });
        showError(error, null);
        return;
      }
    }
    set({ running: null });
    if (!accepted) return;
    dropAfter(userItemId);
    set((current) => ({
      items: current.items.map((item) =>
        item.id === userItemId ? ({ ...item, superseded: true } as AnyThreadItem) : item,
      ),
    }));
    await send(message);
  }

  async function giveFeedback(itemId: string, kind: 'positive' | 'negative') {
    const threadId = state.threadId;
    if (!threadId) return;
    try {
      await client.feedback(threadId, [itemId], kind);
      set((current) => ({ feedback: { ...current.feedback, [itemId]: kind } }));
    } catch (error) {
      showError(error, null);
    }
  }

  async function renameThread(threadId: string, title: string) {
    try {
      const updated = await client.updateThread(threadId, title);
      set((current) => ({
        threads: current.threads.map((thread) =>
          thread.id === threadId ? { ...thread, title: updated.title ?? title } : thread,
        ),
        ...(current.thread?.id === threadId
          ? { thread: { ...current.thread, title: updated.title ?? title } }
          : {}),
      }));
    } catch (error) {
      showError(error, null);
    }
  }

  async function deleteThread(threadId: string) {
    try {
      await client.deleteThread(threadId);
      set((current) => ({ threads: current.threads.filter((thread) => thread.id !== threadId) }));
      if (state.threadId === threadId) await setThreadId(null);
    } catch (error) {
      showError(error, null);
    }
  }

  async function sendAction(
    action: Action & { handler?: string; streaming?: boolean },
    itemId: string | null,
  ) {
    const threadId = state.threadId;
    const item = itemId ? state.items.find((candidate) => candidate.id === itemId) : undefined;
    if (action.handler === 'client') {
      try {
        await options.onWidgetAction?.({ type: action.type, payload: action.payload }, item as AnyThreadItem);
      } catch (error) {
        showError(error, null);
      }
      return;
    }
    if (!threadId) return;
    const wire: Action = {
      type: action.type,
      ...(action.payload === undefined ? {} : { payload: action.payload }),
    };
    if (action.streaming === false) {
      try {
        const answer = await client.syncCustomAction(threadId, itemId, wire);
        const updated = answer.updated_item;
        if (updated)
          set((current) => ({
            items: current.items.map((candidate) => (candidate.id === updated.id ? updated : candidate)),
          }));
      } catch (error) {
        showError(error, null);
      }
      return;
    }
    await run('action', (signal) => client.customAction(threadId, itemId, wire, { signal }));
  }

  async function submitStructuredInput(
    itemId: string,
    input: {
      status?: 'answered' | 'skipped';
      answers?: Record<string, { values?: string[]; skipped?: boolean }>;
    },
  ) {
    const threadId = state.threadId;
    if (!threadId) return;
    await run('input', (signal) => client.addStructuredInput(threadId, itemId, input, { signal }));
  }

  async function search(query: string) {
    const ticket = ++searchTicket;
    const trimmed = query.trim();
    if (trimmed === '') {
      set({ search: { query, results: null, loading: false, error: null } });
      return;
    }
    set((current) => ({ search: { ...current.search, query, loading: true, error: null } }));
    try {
      const page = await client.searchThreads(trimmed, { limit: 20 });
      if (ticket !== searchTicket) return;
      const results =
        page?.data ??
        // No search endpoint: match the titles of the threads loaded so far.
        state.threads
          .filter((thread) => (thread.title ?? '').toLowerCase().includes(trimmed.toLowerCase()))
          .map((thread) => ({ thread, snippet: '' }));
      set({ search: { query, results, loading: false, error: null } });
    } catch (error) {
      if (ticket !== searchTicket) return;
      report(error);
      set({ search: { query, results: [], loading: false, error: describeError(error).message } });
    }
  }

  async function exportThread(format: 'markdown' | 'json') {
    const threadId = state.threadId;
    if (!threadId)
      throw new ChatKitRequestError('invalid_request', 'Send a message first: this thread is empty.', 0);
    const thread = state.thread ?? (await client.getThread(threadId));
    const items: AnyThreadItem[] = [];
    let after: string | null = null;
    for (let page = 0; page < 1000; page += 1) {
      const answer = await client.listItems(threadId, { limit: 50, order: 'asc', after });
      items.push(...answer.data);
      if (!answer.has_more || !answer.after) break;
      after = answer.after;
    }
    const summary: ThreadSummary = {
      id: thread.id,
      title: thread.title ?? null,
      created_at: thread.created_at,
    };
    const input = { thread: summary, items };
    return { text: format === 'json' ? threadToJSON(input) : threadToMarkdown(input), thread: summary };
  }

  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    client,
    setOptions(next) {
      options = { ...options, ...next };
    },
    setThreadId,
    refreshThreads,
    loadMoreThreads,
    loadOlder,
    setDraftText,
    addFiles,
    removeAttachment,
    send,
    stop,
    retry,
    editMessage,
    giveFeedback,
    renameThread,
    deleteThread,
    sendAction,
    submitStructuredInput,
    search,
    exportThread,
    dismissError: () => set({ error: null }),
    dismissNotice: (id) =>
      set((current) => ({ notices: current.notices.filter((notice) => notice.id !== id) })),
    dispose() {
      disposed = true;
      runAbort?.abort();
      listeners.clear();
    },
  };
}
