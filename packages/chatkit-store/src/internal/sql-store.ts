import { postgresError } from '@relaykit/sse-protocol';
import { generateItemId, generateThreadId } from '../ids';
import type { ChatKitStore, ChatKitStoreOptions, SqlStoreRole } from '../ports';

export type { SqlStoreRole };

import { checkSearchLimit, type ThreadSearchPage } from '../search';
import type { Attachment, FeedbackKind, Page, PageOrder, ThreadItem, ThreadMetadata } from '../types';
import {
  checkAttachment,
  checkClientToolCall,
  checkCompareAndSet,
  checkItem,
  checkPageArguments,
  checkThread,
  DEFAULT_MAX_ITEM_BYTES,
} from './validate';

/** A typed argument of a chatkit_* SQL function. */
export type SqlArgument =
  | { name: string; type: 'text'; value: string | null }
  | { name: string; type: 'integer'; value: number | null }
  | { name: string; type: 'jsonb'; value: unknown }
  | { name: string; type: 'text[]'; value: string[] };

/**
 * Runs one chatkit_* function as the user in `context` and returns its (JSON) result. One call per store operation:
 * the PGlite and Postgres drivers run `select public.<fn>(...)` in one transaction under the user's role and claims;
 * the Supabase driver calls `rpc(fn, args)`.
 */
export type SqlFunctionCaller<TContext> = (
  fn: string,
  args: SqlArgument[],
  context: TContext,
) => Promise<unknown>;

/** `select public.fn($1::text, $2::jsonb, ...) as result` and its parameters, for SQL drivers. */
export function sqlCallText(fn: string, args: SqlArgument[]): { text: string; params: unknown[] } {
  const params: unknown[] = [];
  const casts = args.map((argument, index) => {
    const placeholder = `$${index + 1}`;
    if (argument.type === 'jsonb' || argument.type === 'text[]') {
      params.push(JSON.stringify(argument.value));
      return argument.type === 'jsonb'
        ? `${argument.name} => ${placeholder}::text::jsonb`
        : `${argument.name} => array(select jsonb_array_elements_text(${placeholder}::text::jsonb))`;
    }
    params.push(argument.value);
    return `${argument.name} => ${placeholder}::${argument.type}`;
  });
  if (!/^chatkit_[a-z_]+$/.test(fn)) throw new Error(`not a chatkit function: ${fn}`);
  return { text: `select public.${fn}(${casts.join(', ')}) as result`, params };
}

/** Builds a ChatKitStore on top of the chatkit_* SQL functions. Shared by the PGlite, Postgres and Supabase drivers. */
export function createSqlFunctionStore<TContext>(
  call: SqlFunctionCaller<TContext>,
  options: ChatKitStoreOptions & { close?: () => Promise<void> } = {},
): ChatKitStore<TContext> {
  const maxBytes = options.maxItemBytes ?? DEFAULT_MAX_ITEM_BYTES;
  const run = async (fn: string, args: SqlArgument[], context: TContext): Promise<unknown> => {
    try {
      return await call(fn, args, context);
    } catch (error) {
      throw postgresError(error, { operation: fn });
    }
  };
  const text = (name: string, value: string | null): SqlArgument => ({ name, type: 'text', value });
  const integer = (name: string, value: number | null): SqlArgument => ({ name, type: 'integer', value });
  const json = (name: string, value: unknown): SqlArgument => ({ name, type: 'jsonb', value });
  const writeItem = async (fn: string, threadId: string, item: ThreadItem, context: TContext) => {
    checkItem(threadId, item, maxBytes);
    await run(
      fn,
      [text('p_thread_id', threadId), json('p_item', item), integer('p_max_bytes', maxBytes)],
      context,
    );
  };
  const page = <T>(result: unknown): Page<T> => {
    const raw = result as { data: T[]; has_more: boolean; after?: string | null };
    return raw.has_more && raw.after
      ? { data: raw.data, has_more: true, after: raw.after }
      : { data: raw.data, has_more: false };
  };

  return {
    generateThreadId: () => generateThreadId(),
    generateItemId: (kind) => generateItemId(kind),
    async loadThread(threadId, context) {
      return (await run('chatkit_load_thread', [text('p_thread_id', threadId)], context)) as ThreadMetadata;
    },
    async saveThread(thread, context) {
      checkThread(thread);
      const { items: _items, ...metadata } = thread as ThreadMetadata & { items?: unknown };
      await run('chatkit_save_thread', [json('p_thread', metadata)], context);
    },
    async loadThreads(limit, after, order: PageOrder, context) {
      checkPageArguments(limit, order);
      return page<ThreadMetadata>(
        await run(
          'chatkit_load_threads',
          [integer('p_limit', limit), text('p_after', after), text('p_order', order)],
          context,
        ),
      );
    },
    async deleteThread(threadId, context) {
      await run('chatkit_delete_thread', [text('p_thread_id', threadId)], context);
    },
    async loadThreadItems(threadId, after, limit, order, context) {
      checkPageArguments(limit, order);
      return page<ThreadItem>(
        await run(
          'chatkit_load_thread_items',
          [
            text('p_thread_id', threadId),
            text('p_after', after),
            integer('p_limit', limit),
            text('p_order', order),
          ],
          context,
        ),
      );
    },
    addThreadItem: (threadId, item, context) => writeItem('chatkit_add_thread_item', threadId, item, context),
    saveItem: (threadId, item, context) => writeItem('chatkit_save_item', threadId, item, context),
    async createThreadWithItems(thread, items, attachments, context) {
      checkThread(thread);
      for (const item of items) checkItem(thread.id, item, maxBytes);
      for (const attachment of attachments) checkAttachment(attachment);
      const { items: _items, ...metadata } = thread as ThreadMetadata & { items?: unknown };
      await run(
        'chatkit_create_thread_with_items',
        [
          json('p_thread', metadata),
          json('p_items', items),
          json('p_attachments', attachments),
          integer('p_max_bytes', maxBytes),
        ],
        context,
      );
    },
    async addThreadItems(threadId, items, attachments, context) {
      for (const item of items) checkItem(threadId, item, maxBytes);
      for (const attachment of attachments) checkAttachment(attachment);
      await run(
        'chatkit_add_thread_items',
        [
          text('p_thread_id', threadId),
          json('p_items', items),
          json('p_attachments', attachments),
          integer('p_max_bytes', maxBytes),
        ],
        context,
      );
    },
    async deleteItemsAfter(threadId, itemId, context) {
      await run(
        'chatkit_delete_items_after',
        [text('p_thread_id', threadId), text('p_item_id', itemId)],
        context,
      );
    },
    async completeClientToolCall(threadId, item, context) {
      checkClientToolCall(item);
      await writeItem('chatkit_complete_client_tool_call', threadId, item, context);
    },
    async loadItem(threadId, itemId, context) {
      return (await run(
        'chatkit_load_item',
        [text('p_thread_id', threadId), text('p_item_id', itemId)],
        context,
      )) as ThreadItem;
    },
    async deleteThreadItem(threadId, itemId, context) {
      await run(
        'chatkit_delete_thread_item',
        [text('p_thread_id', threadId), text('p_item_id', itemId)],
        context,
      );
    },
    async compareAndSetItem(threadId, expected, next, context) {
      checkCompareAndSet(threadId, expected, next, maxBytes);
      const result = await run(
        'chatkit_compare_and_set_item',
        [
          text('p_thread_id', threadId),
          json('p_expected', expected),
          json('p_next', next),
          integer('p_max_bytes', maxBytes),
        ],
        context,
      );
      return result === true;
    },
    async saveAttachment(attachment, context) {
      checkAttachment(attachment);
      await run('chatkit_save_attachment', [json('p_attachment', attachment)], context);
    },
    async loadAttachment(attachmentId, context) {
      return (await run(
        'chatkit_load_attachment',
        [text('p_attachment_id', attachmentId)],
        context,
      )) as Attachment;
    },
    async deleteAttachment(attachmentId, context) {
      await run('chatkit_delete_attachment', [text('p_attachment_id', attachmentId)], context);
    },
    async addFeedback(threadId, itemIds, kind: FeedbackKind, context) {
      await run(
        'chatkit_add_feedback',
        [
          text('p_thread_id', threadId),
          { name: 'p_item_ids', type: 'text[]', value: itemIds },
          text('p_kind', kind),
        ],
        context,
      );
    },
    async loadFeedback(threadId, context) {
      return (await run('chatkit_load_feedback', [text('p_thread_id', threadId)], context)) as {
        item_id: string;
        kind: FeedbackKind;
      }[];
    },
    async searchThreads(query, { limit }, context) {
      checkSearchLimit(limit);
      return (await run(
        'chatkit_search_threads',
        [text('p_query', query), integer('p_limit', limit)],
        context,
      )) as ThreadSearchPage;
    },
    close: options.close ?? (async () => {}),
  };
}

/** The statement that switches the transaction to the user's role and Supabase-style JWT claims. */
export const SET_ROLE_TEXT =
  "select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)";

export function roleParameters(role: SqlStoreRole, userId: string): [string, string] {
  const dbRole = role === 'service' ? 'service_role' : 'authenticated';
  return [dbRole, JSON.stringify({ sub: userId, role: dbRole })];
}
