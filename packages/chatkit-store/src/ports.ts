import type { ThreadSearchPage } from './search';
import type { Attachment, FeedbackKind, Page, PageOrder, ThreadItem, ThreadMetadata } from './types';

/**
 * The request context every built-in driver understands: who is calling. `userId` is a UUID (Supabase's
 * `auth.uid()`); `accessToken` is that user's Supabase JWT, used by the Supabase driver to call as the user.
 */
export interface ChatKitStoreContext {
  userId: string;
  accessToken?: string;
}

/** What a thread item id is generated for; each kind has its prefix (`msg_`, `tc_`, ...). */
export type ItemIdKind =
  | 'thread'
  | 'message'
  | 'tool_call'
  | 'task'
  | 'workflow'
  | 'attachment'
  | 'sdk_hidden_context';

/**
 * Persistence of ChatKit threads, items and attachments, shaped like chatkit-python's `Store`. Every call is scoped to
 * the user in `context`: another user's threads are not found, their items list as empty. Every call is atomic: the
 * steps of a turn that write more than once have one method each (`createThreadWithItems`, `addThreadItems`,
 * `deleteItemsAfter`, `completeClientToolCall`) that writes everything or nothing, and `compareAndSetItem` writes only
 * when the item is still what the caller read.
 *
 * Errors: `RequestError` `not_found` (unknown or invisible id, unknown `after` cursor), `invalid_request` (an item's
 * `thread_id` differs from the thread written to, a bad limit/order, text Postgres cannot store: NUL or a lone surrogate), `payload_too_large` (item over the size cap),
 * `forbidden` (an id owned by another user), `conflict` (an item id used by another thread); `StoreError` otherwise.
 */
export interface ChatKitStore<TContext = ChatKitStoreContext> {
  /** `thr_` + 8 hex digits. */
  generateThreadId(context: TContext): string;
  /** The kind's prefix (`msg`, `tc`, `tsk`, `wf`, `atc`, `shcx`, `thr`) + `_` + 8 hex digits. */
  generateItemId(kind: ItemIdKind, thread: ThreadMetadata | null, context: TContext): string;
  /** Throws `not_found` when the thread is missing, deleted or not the caller's. */
  loadThread(threadId: string, context: TContext): Promise<ThreadMetadata>;
  /** Upserts the thread's metadata (an `items` field, if present, is ignored). */
  saveThread(thread: ThreadMetadata, context: TContext): Promise<void>;
  /** Keyset page of the caller's threads by `created_at` (ties by insertion order). */
  loadThreads(
    limit: number,
    after: string | null,
    order: PageOrder,
    context: TContext,
  ): Promise<Page<ThreadMetadata>>;
  /** Soft delete: the thread and its items vanish from every read; a missing thread is a no-op. */
  deleteThread(threadId: string, context: TContext): Promise<void>;
  /** Keyset page of a thread's items, hidden items included. Another user's (or a missing) thread gives an empty page. */
  loadThreadItems(
    threadId: string,
    after: string | null,
    limit: number,
    order: PageOrder,
    context: TContext,
  ): Promise<Page<ThreadItem>>;
  /** Inserts an item; idempotent for the same id (the stored item is replaced). */
  addThreadItem(threadId: string, item: ThreadItem, context: TContext): Promise<void>;
  /** Upserts an item by id. */
  saveItem(threadId: string, item: ThreadItem, context: TContext): Promise<void>;
  /**
   * Saves a thread (an upsert, as {@link saveThread}) with its first items (added in order, as {@link addThreadItem})
   * and links `attachments` to it (each saved with `thread_id` set to the thread), all in one transaction: when any
   * write fails nothing is written, so a thread never exists without its first user message. `threads.create` uses it.
   */
  createThreadWithItems(
    thread: ThreadMetadata,
    items: readonly ThreadItem[],
    attachments: readonly Attachment[],
    context: TContext,
  ): Promise<void>;
  /**
   * Adds items (in order, as {@link addThreadItem}) to one of the caller's live threads and links `attachments` to it,
   * in one transaction (all or nothing). `threads.add_user_message` uses it for the message and its attachments.
   * Throws `not_found` when the thread is missing, deleted or not the caller's.
   */
  addThreadItems(
    threadId: string,
    items: readonly ThreadItem[],
    attachments: readonly Attachment[],
    context: TContext,
  ): Promise<void>;
  /**
   * Deletes every item after `itemId` in the thread's page order (`created_at`, then insertion order), in one
   * transaction: what `threads.retry_after_item` removes before answering `itemId` again. Throws `not_found` when the
   * thread or the item is missing or not the caller's.
   */
  deleteItemsAfter(threadId: string, itemId: string, context: TContext): Promise<void>;
  /**
   * Saves a `client_tool_call` item (normally completed, with its `output`) and deletes every other pending client tool
   * call of the thread, in one transaction: what `threads.add_client_tool_output` writes. Throws `invalid_request` for
   * another item type, and `not_found` as {@link addThreadItem} does.
   */
  completeClientToolCall(threadId: string, item: ThreadItem, context: TContext): Promise<void>;
  /** Throws `not_found` when the item is missing or not the caller's. */
  loadItem(threadId: string, itemId: string, context: TContext): Promise<ThreadItem>;
  /** Deletes an item; a missing item is a no-op. */
  deleteThreadItem(threadId: string, itemId: string, context: TContext): Promise<void>;
  /**
   * Compare-and-set on one item, as one atomic step (one SQL statement on the SQL drivers): when the stored item
   * `expected.id` still equals `expected` (the same JSON value, as {@link loadItem} gave it), replaces it with `next`,
   * or deletes it when `next` is null. Answers true when it wrote; false when the item changed, is gone or is not the
   * caller's (another writer won, nothing was written). Of concurrent calls with the same `expected`, at most one
   * answers true, across processes too: what the server uses to claim a paused run (tool approvals) exactly once.
   * Throws `invalid_request` when `next` has another id, and as {@link saveItem} does for a bad `next`.
   */
  compareAndSetItem(
    threadId: string,
    expected: ThreadItem,
    next: ThreadItem | null,
    context: TContext,
  ): Promise<boolean>;
  /** Upserts an attachment's metadata (also used to stamp its `thread_id`). */
  saveAttachment(attachment: Attachment, context: TContext): Promise<void>;
  /** Throws `not_found` when the attachment is missing or not the caller's. */
  loadAttachment(attachmentId: string, context: TContext): Promise<Attachment>;
  /** Deletes an attachment's metadata; a missing one is a no-op. */
  deleteAttachment(attachmentId: string, context: TContext): Promise<void>;
  /** Records (or replaces) the caller's feedback on items of one of their threads. */
  addFeedback(threadId: string, itemIds: string[], kind: FeedbackKind, context: TContext): Promise<void>;
  /** The caller's feedback on a thread, in the order it was first given. */
  loadFeedback(threadId: string, context: TContext): Promise<{ item_id: string; kind: FeedbackKind }[]>;
  /**
   * Full-text search over the caller's own live threads (titles and user/assistant message text), best match first.
   * Every built-in driver implements it (SQL drivers: `chatkit_search_threads`, migration 0004); optional for
   * custom stores. An empty query finds nothing; `limit` is 1..100 (`invalid_request` otherwise).
   */
  searchThreads?(query: string, options: { limit: number }, context: TContext): Promise<ThreadSearchPage>;
  /** Releases what the driver opened itself (a PGlite instance, a connection pool). */
  close(): Promise<void>;
}

/** Options every built-in driver accepts. */
export interface ChatKitStoreOptions {
  /** Largest accepted item, in bytes of its JSON. Default 1 MiB (1,048,576). */
  maxItemBytes?: number;
}

/** How the PGlite and Postgres drivers act for the user: `authenticated` (RLS enforced) or `service` (`service_role`, RLS bypassed; the SQL functions still scope every query to the context's user). */
export type SqlStoreRole = 'authenticated' | 'service';
