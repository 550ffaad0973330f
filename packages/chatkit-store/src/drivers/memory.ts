import { RequestError } from '@relaykit/sse-protocol';
import { generateItemId, generateThreadId } from '../ids';
import {
  checkAttachment,
  checkClientToolCall,
  checkCompareAndSet,
  checkItem,
  checkPageArguments,
  checkThread,
  DEFAULT_MAX_ITEM_BYTES,
  normaliseThread,
  parseTimestamp,
  sameJson,
} from '../internal/validate';
import type { ChatKitStore, ChatKitStoreContext, ChatKitStoreOptions } from '../ports';
import { checkSearchLimit, itemSearchText, matchScore, searchSnippet, searchWords } from '../search';
import type { Attachment, FeedbackKind, Page, PageOrder, ThreadItem, ThreadMetadata } from '../types';

interface Row<T> {
  userId: string;
  seq: number;
  at: number;
  value: T;
}

interface ThreadRow extends Row<ThreadMetadata> {
  deleted: boolean;
}

const clone = <T>(value: T): T => structuredClone(value);

function keysetPage<T>(
  rows: Row<T>[],
  after: string | null,
  limit: number,
  order: PageOrder,
  idOf: (row: Row<T>) => string,
  what: string,
): Page<T> {
  const sorted = [...rows].sort((a, b) => a.at - b.at || a.seq - b.seq);
  if (order === 'desc') sorted.reverse();
  let start = 0;
  if (after !== null) {
    const index = sorted.findIndex((row) => idOf(row) === after);
    if (index === -1) throw new RequestError('not_found', `chatkit: after cursor ${after} is not ${what}`);
    start = index + 1;
  }
  const slice = sorted.slice(start, start + limit + 1);
  const data = slice.slice(0, limit).map((row) => clone(row.value));
  return slice.length > limit
    ? { data, has_more: true, after: idOf(slice[limit - 1] as Row<T>) }
    : { data, has_more: false };
}

/**
 * An in-memory ChatKitStore with the same semantics as the SQL drivers (user scoping, keyset pages, soft delete,
 * idempotent adds). For tests and prototypes: data is lost when the process exits.
 */
export function createMemoryStore(
  options: ChatKitStoreOptions = {},
): ChatKitStore<ChatKitStoreContext> & { purgeDeletedThreads(): number } {
  const maxBytes = options.maxItemBytes ?? DEFAULT_MAX_ITEM_BYTES;
  const threads = new Map<string, ThreadRow>();
  const items = new Map<string, Row<ThreadItem> & { threadId: string }>();
  const attachments = new Map<string, Row<Attachment>>();
  const feedback = new Map<
    string,
    { userId: string; threadId: string; item_id: string; kind: FeedbackKind }
  >();
  let seq = 0;

  const liveThread = (threadId: string, context: ChatKitStoreContext): ThreadRow | undefined => {
    const row = threads.get(threadId);
    return row && !row.deleted && row.userId === context.userId ? row : undefined;
  };
  const requireThread = (threadId: string, context: ChatKitStoreContext): ThreadRow => {
    const row = liveThread(threadId, context);
    if (!row) throw new RequestError('not_found', `chatkit: thread ${threadId} not found`);
    return row;
  };
  const requireUser = (context: ChatKitStoreContext) => {
    if (typeof context?.userId !== 'string' || context.userId === '')
      throw new RequestError('unauthorized', 'chatkit: no authenticated user (context.userId is empty)');
  };
  // Every write is validated whole first (`check*`), then applied by code that cannot fail (`put*`), with no `await`
  // in between: a call that throws has written nothing, and no other call runs in the middle of one.
  const checkItemWrite = (threadId: string, item: ThreadItem, context: ChatKitStoreContext) => {
    checkItem(threadId, item, maxBytes);
    const existing = items.get(item.id);
    if (existing && (existing.threadId !== threadId || existing.userId !== context.userId))
      throw new RequestError('conflict', `chatkit: item id ${item.id} is already used by another thread`);
  };
  const putItem = (threadId: string, item: ThreadItem, context: ChatKitStoreContext) => {
    items.set(item.id, {
      userId: context.userId,
      threadId,
      seq: items.get(item.id)?.seq ?? ++seq,
      at: parseTimestamp(item.created_at),
      value: clone(item),
    });
  };
  const checkThreadWrite = (thread: ThreadMetadata, context: ChatKitStoreContext) => {
    checkThread(thread);
    const existing = threads.get(thread.id);
    if (existing && existing.userId !== context.userId)
      throw new RequestError('forbidden', `chatkit: thread ${thread.id} belongs to another user`);
  };
  const putThread = (thread: ThreadMetadata, context: ChatKitStoreContext) => {
    const value = normaliseThread(thread);
    threads.set(thread.id, {
      userId: context.userId,
      seq: threads.get(thread.id)?.seq ?? ++seq,
      at: parseTimestamp(value.created_at),
      value,
      deleted: false,
    });
  };
  const checkAttachmentWrite = (attachment: Attachment, context: ChatKitStoreContext) => {
    checkAttachment(attachment);
    const existing = attachments.get(attachment.id);
    if (existing && existing.userId !== context.userId)
      throw new RequestError('forbidden', `chatkit: attachment ${attachment.id} belongs to another user`);
  };
  const putAttachment = (attachment: Attachment, context: ChatKitStoreContext) => {
    attachments.set(attachment.id, {
      userId: context.userId,
      seq: attachments.get(attachment.id)?.seq ?? ++seq,
      at: Date.now(),
      value: clone(attachment),
    });
  };
  const writeItem = async (threadId: string, item: ThreadItem, context: ChatKitStoreContext) => {
    requireUser(context);
    checkItem(threadId, item, maxBytes);
    requireThread(threadId, context);
    checkItemWrite(threadId, item, context);
    putItem(threadId, item, context);
  };
  /** Items and linked attachments into a thread that exists (or is written in the same call), all or nothing. */
  const writeTurn = (
    threadId: string,
    newItems: readonly ThreadItem[],
    linked: readonly Attachment[],
    context: ChatKitStoreContext,
    before: () => void = () => {},
  ) => {
    const stamped = linked.map((attachment) => {
      checkAttachmentWrite(attachment, context);
      return { ...attachment, thread_id: threadId } as Attachment;
    });
    for (const item of newItems) checkItemWrite(threadId, item, context);
    before();
    for (const attachment of stamped) putAttachment(attachment, context);
    for (const item of newItems) putItem(threadId, item, context);
  };
  /** The thread's items in page order (created_at, then insertion). */
  const threadItems = (threadId: string) =>
    [...items.values()]
      .filter((row) => row.threadId === threadId)
      .sort((a, b) => a.at - b.at || a.seq - b.seq);
  return {
    generateThreadId: () => generateThreadId(),
    generateItemId: (kind) => generateItemId(kind),
    async loadThread(threadId, context) {
      requireUser(context);
      return clone(requireThread(threadId, context).value);
    },
    async saveThread(thread, context) {
      requireUser(context);
      checkThreadWrite(thread, context);
      putThread(thread, context);
    },
    async loadThreads(limit, after, order, context) {
      requireUser(context);
      checkPageArguments(limit, order);
      const rows = [...threads.values()].filter((row) => !row.deleted && row.userId === context.userId);
      return keysetPage(rows, after, limit, order, (row) => row.value.id, 'a thread of this user');
    },
    async deleteThread(threadId, context) {
      requireUser(context);
      const row = liveThread(threadId, context);
      if (row) row.deleted = true;
    },
    async loadThreadItems(threadId, after, limit, order, context) {
      requireUser(context);
      checkPageArguments(limit, order);
      if (!liveThread(threadId, context)) return { data: [], has_more: false };
      return keysetPage(
        threadItems(threadId),
        after,
        limit,
        order,
        (row) => row.value.id,
        `an item of thread ${threadId}`,
      );
    },
    addThreadItem: writeItem,
    saveItem: writeItem,
    async createThreadWithItems(thread, newItems, linked, context) {
      requireUser(context);
      checkThreadWrite(thread, context);
      writeTurn(thread.id, newItems, linked, context, () => putThread(thread, context));
    },
    async addThreadItems(threadId, newItems, linked, context) {
      requireUser(context);
      requireThread(threadId, context);
      writeTurn(threadId, newItems, linked, context);
    },
    async deleteItemsAfter(threadId, itemId, context) {
      requireUser(context);
      requireThread(threadId, context);
      const ordered = threadItems(threadId);
      const index = ordered.findIndex((row) => row.value.id === itemId);
      if (index === -1)
        throw new RequestError('not_found', `chatkit: item ${itemId} not found in thread ${threadId}`);
      for (const row of ordered.slice(index + 1)) items.delete(row.value.id);
    },
    async completeClientToolCall(threadId, item, context) {
      requireUser(context);
      checkClientToolCall(item);
      checkItem(threadId, item, maxBytes);
      requireThread(threadId, context);
      checkItemWrite(threadId, item, context);
      putItem(threadId, item, context);
      for (const row of threadItems(threadId)) {
        const other = row.value;
        if (
          other.id !== item.id &&
          other.type === 'client_tool_call' &&
          (other.status ?? 'pending') === 'pending'
        )
          items.delete(other.id);
      }
    },
    async loadItem(threadId, itemId, context) {
      requireUser(context);
      const row = items.get(itemId);
      if (!row || row.threadId !== threadId || !liveThread(threadId, context))
        throw new RequestError('not_found', `chatkit: item ${itemId} not found in thread ${threadId}`);
      return clone(row.value);
    },
    async deleteThreadItem(threadId, itemId, context) {
      requireUser(context);
      const row = items.get(itemId);
      if (row && row.threadId === threadId && row.userId === context.userId) items.delete(itemId);
    },
    async compareAndSetItem(threadId, expected, next, context) {
      requireUser(context);
      checkCompareAndSet(threadId, expected, next, maxBytes);
      // No await between the read and the write: no other call runs in the middle.
      const row = items.get(expected.id);
      if (
        !row ||
        row.threadId !== threadId ||
        row.userId !== context.userId ||
        !liveThread(threadId, context)
      )
        return false;
      if (!sameJson(row.value, expected)) return false;
      if (next === null) items.delete(expected.id);
      else putItem(threadId, next, context);
      return true;
    },
    async saveAttachment(attachment, context) {
      requireUser(context);
      checkAttachmentWrite(attachment, context);
      if (attachment.thread_id != null) {
        const thread = threads.get(attachment.thread_id);
        if (!thread || thread.userId !== context.userId)
          throw new RequestError('not_found', `chatkit: thread ${attachment.thread_id} not found`);
      }
      putAttachment(attachment, context);
    },
    async loadAttachment(attachmentId, context) {
      requireUser(context);
      const row = attachments.get(attachmentId);
      if (!row || row.userId !== context.userId)
        throw new RequestError('not_found', `chatkit: attachment ${attachmentId} not found`);
      return clone(row.value);
    },
    async deleteAttachment(attachmentId, context) {
      requireUser(context);
      if (attachments.get(attachmentId)?.userId === context.userId) attachments.delete(attachmentId);
    },
    async addFeedback(threadId, itemIds, kind, context) {
      requireUser(context);
      if (kind !== 'positive' && kind !== 'negative')
        throw new RequestError('invalid_request', 'chatkit: feedback kind must be positive or negative');
      requireThread(threadId, context);
      for (const itemId of itemIds) {
        const key = JSON.stringify([threadId, itemId, context.userId]);
        const existing = feedback.get(key);
        if (existing) existing.kind = kind;
        else feedback.set(key, { userId: context.userId, threadId, item_id: itemId, kind });
      }
    },
    async loadFeedback(threadId, context) {
      requireUser(context);
      return [...feedback.values()]
        .filter((entry) => entry.threadId === threadId && entry.userId === context.userId)
        .map(({ item_id, kind }) => ({ item_id, kind }));
    },
    async searchThreads(query, { limit }, context) {
      requireUser(context);
      checkSearchLimit(limit);
      const words = searchWords(query);
      if (words.length === 0) return { data: [], has_more: false };
      const hits = [...threads.values()]
        .filter((row) => !row.deleted && row.userId === context.userId)
        .flatMap((row) => {
          const texts = [...items.values()]
            .filter((item) => item.threadId === row.value.id)
            .sort((a, b) => b.at - a.at || b.seq - a.seq)
            .map((item) => itemSearchText(item.value))
            .filter((text) => matchScore(text, words) > 0);
          const best = texts.sort((a, b) => matchScore(b, words) - matchScore(a, words))[0];
          const titleMatch = matchScore(row.value.title ?? '', words) > 0;
          if (!best && !titleMatch) return [];
          const rank = (best ? matchScore(best, words) / 10 : 0) + (titleMatch ? 1 : 0);
          return [{ row, rank, snippet: searchSnippet(best ?? row.value.title ?? '', words) }];
        })
        .sort((a, b) => b.rank - a.rank || b.row.at - a.row.at || b.row.seq - a.row.seq);
      return {
        data: hits
          .slice(0, limit)
          .map(({ row, rank, snippet }) => ({ thread: clone(row.value), snippet, rank })),
        has_more: hits.length > limit,
      };
    },
    purgeDeletedThreads() {
      let count = 0;
      for (const [id, row] of threads) {
        if (!row.deleted) continue;
        threads.delete(id);
        count++;
        for (const [itemId, item] of items) if (item.threadId === id) items.delete(itemId);
        for (const [key, entry] of feedback) if (entry.threadId === id) feedback.delete(key);
      }
      return count;
    },
    async close() {},
  };
}
