/**
 * The ChatKit data model as this store persists it (spec section 4). Items are stored as JSON and round-tripped
 * exactly; only `id`, `thread_id`, `type` and `created_at` are read by the store.
 */

/** A thread's status. Defaults to `{ type: 'active' }`. */
export type ThreadStatus =
  | { type: 'active' }
  | { type: 'locked'; reason?: string | null }
  | { type: 'closed'; reason?: string | null };

/** Thread metadata: what the store persists for a thread (never its items). */
export interface ThreadMetadata {
  id: string;
  title?: string | null;
  /** ISO 8601. Stores return it normalised to UTC with milliseconds (`2026-01-02T03:04:05.678Z`). */
  created_at: string;
  status: ThreadStatus;
  allowed_image_domains?: string[] | null;
  /** Server-only free-form state (e.g. `last_response_id`). */
  metadata: Record<string, unknown>;
}

/** Any ChatKit thread item: the fields the store reads, plus whatever else the item carries (kept verbatim). */
export interface ThreadItem {
  id: string;
  thread_id: string;
  type: string;
  /** ISO 8601; the sort key of item pages. */
  created_at: string;
  [field: string]: unknown;
}

/** An attachment's metadata (`type` is `file` or `image`); extra fields are kept verbatim. */
export interface Attachment {
  id: string;
  type: 'file' | 'image';
  name: string;
  mime_type: string;
  thread_id?: string | null;
  [field: string]: unknown;
}

/** One page of a list (spec section 5). `after` is present only when `has_more` is true. */
export interface Page<T> {
  data: T[];
  has_more: boolean;
  after?: string;
}

/** Sort direction of a page: `asc` oldest first, `desc` newest first. */
export type PageOrder = 'asc' | 'desc';

/** Feedback a user gives on items (`items.feedback`). */
export type FeedbackKind = 'positive' | 'negative';

/** Item types never sent to the client (stored, fed to the model, filtered by the server layer). */
export const HIDDEN_ITEM_TYPES: readonly string[] = ['hidden_context_item', 'sdk_hidden_context'];

/** Whether an item is hidden from the client (`hidden_context_item`, `sdk_hidden_context`). */
export function isHiddenItem(item: Pick<ThreadItem, 'type'>): boolean {
  return HIDDEN_ITEM_TYPES.includes(item.type);
}

/**
 * The client-visible view of a page: hidden items removed, `has_more`/`after` kept from the raw page (so a page may
 * hold fewer than `limit` items), exactly as the reference server does.
 */
export function withoutHiddenItems<T extends Pick<ThreadItem, 'type'>>(page: Page<T>): Page<T> {
  return { ...page, data: page.data.filter((item) => !isHiddenItem(item)) };
}
