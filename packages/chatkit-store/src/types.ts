/**
 * The ChatKit data model comes from `@relaykit/sse-protocol` (docs/specs/chatkit-protocol.md §4). The store keeps items as JSON and
 * round-trips them exactly; it reads only `id`, `thread_id`, `type` and `created_at`.
 */
import { isHiddenThreadItem, type Page, type ThreadItem } from '@relaykit/sse-protocol';

export type { Attachment, Page, ThreadItem, ThreadMetadata, ThreadStatus } from '@relaykit/sse-protocol';

/** Sort direction of a page: `asc` oldest first, `desc` newest first. */
export type PageOrder = 'asc' | 'desc';

/** Feedback a user gives on items (`items.feedback`). */
export type FeedbackKind = 'positive' | 'negative';

/**
 * The client-visible view of a page: hidden items removed, `has_more`/`after` kept from the raw page (so a page may
 * hold fewer than `limit` items), exactly as the reference server does.
 */
export function withoutHiddenItems<T extends Pick<ThreadItem, 'type'>>(page: Page<T>): Page<T> {
  return { ...page, data: page.data.filter((item) => !isHiddenThreadItem(item)) };
}
