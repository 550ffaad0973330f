import { RequestError } from '@relaykit/sse-protocol';
import type { Attachment, ThreadItem, ThreadMetadata } from '../types';

/** Default item size cap: 1 MiB of JSON. */
export const DEFAULT_MAX_ITEM_BYTES = 1024 * 1024;

const encoder = new TextEncoder();

/**
 * A `\u0000` or lone-surrogate escape in compact JSON (JSON.stringify writes both as escapes, and nothing else with
 * these hex digits), not preceded by an escaped backslash. Postgres `jsonb` refuses both.
 */
const UNSTORABLE_ESCAPE = /(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/;

/** Throws `invalid_request` when `json` (compact JSON of a value) holds text Postgres cannot store. */
function checkStorable(json: string, what: string): void {
  if (UNSTORABLE_ESCAPE.test(json))
    throw new RequestError(
      'invalid_request',
      `chatkit: ${what} contains a NUL character or a lone UTF-16 surrogate, which Postgres text and jsonb cannot hold`,
    );
}

/** Checks an item before any driver writes it: shape, thread id, size. */
export function checkItem(threadId: string, item: ThreadItem, maxBytes: number): void {
  if (typeof item !== 'object' || item === null || Array.isArray(item))
    throw new RequestError('invalid_request', 'chatkit: an item must be a JSON object');
  for (const field of ['id', 'type', 'created_at'] as const)
    if (typeof item[field] !== 'string' || item[field] === '')
      throw new RequestError('invalid_request', `chatkit: an item needs a non-empty string ${field}`);
  if (Number.isNaN(parseTimestamp(item.created_at)))
    throw new RequestError('invalid_request', `chatkit: item ${item.id} has an invalid created_at`);
  if (item.thread_id !== threadId)
    throw new RequestError(
      'invalid_request',
      `chatkit: item ${item.id} has thread_id ${String(item.thread_id)} but was written to thread ${threadId}`,
    );
  const json = JSON.stringify(item);
  checkStorable(json, `item ${item.id}`);
  const bytes = encoder.encode(json).byteLength;
  if (bytes > maxBytes)
    throw new RequestError(
      'payload_too_large',
      `chatkit: item ${item.id} is ${bytes} bytes of JSON, more than the ${maxBytes} allowed`,
      { details: { bytes, maxBytes } },
    );
}

/** Checks the arguments of `compareAndSetItem`: an `expected` item with an id, and a `next` item (or null) with the same id. */
export function checkCompareAndSet(
  threadId: string,
  expected: ThreadItem,
  next: ThreadItem | null,
  maxBytes: number,
): void {
  if (
    typeof expected !== 'object' ||
    expected === null ||
    typeof expected.id !== 'string' ||
    expected.id === ''
  )
    throw new RequestError(
      'invalid_request',
      'chatkit: compareAndSetItem needs the expected item with its id',
    );
  if (next === null) return;
  checkItem(threadId, next, maxBytes);
  if (next.id !== expected.id)
    throw new RequestError(
      'invalid_request',
      `chatkit: compareAndSetItem replaces item ${expected.id}, not ${String(next.id)}`,
    );
}

/** The same JSON value (object keys in any order), as Postgres compares `jsonb`. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((entry, index) => sameJson(entry, other[index]));
  }
  // JSON drops undefined fields: compare the keys JSON would keep.
  const keysOf = (value: object) =>
    Object.keys(value).filter((key) => (value as Record<string, unknown>)[key] !== undefined);
  const left = keysOf(a);
  const right = keysOf(b);
  return (
    left.length === right.length &&
    left.every((key) =>
      Object.hasOwn(b, key)
        ? sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])
        : false,
    )
  );
}

/** Checks the item of `completeClientToolCall`: a `client_tool_call`. */
export function checkClientToolCall(item: ThreadItem): void {
  if (item?.type !== 'client_tool_call')
    throw new RequestError(
      'invalid_request',
      `chatkit: completeClientToolCall takes a client_tool_call item, not ${String(item?.type)}`,
    );
}

export function checkThread(thread: ThreadMetadata): void {
  if (typeof thread !== 'object' || thread === null || typeof thread.id !== 'string' || thread.id === '')
    throw new RequestError('invalid_request', 'chatkit: a thread needs a non-empty string id');
  if (thread.created_at !== undefined && Number.isNaN(parseTimestamp(thread.created_at)))
    throw new RequestError('invalid_request', `chatkit: thread ${thread.id} has an invalid created_at`);
  checkStorable(JSON.stringify(thread), `thread ${thread.id}`);
}

/** Checks an attachment before any driver writes it: an object with a non-empty string id and a string type. */
export function checkAttachment(attachment: Attachment): void {
  if (
    typeof attachment !== 'object' ||
    attachment === null ||
    typeof attachment.id !== 'string' ||
    attachment.id === '' ||
    typeof attachment.type !== 'string' ||
    (attachment.type as string) === ''
  )
    throw new RequestError('invalid_request', 'chatkit: an attachment needs an id and a type');
  checkStorable(JSON.stringify(attachment), `attachment ${attachment.id}`);
}

/** Largest page a store call reads (the request schemas allow 100; the SQL adds 1 to it as a 32-bit integer). */
export const MAX_PAGE_LIMIT = 10_000;

export function checkPageArguments(limit: number, order: string): void {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RequestError('invalid_request', 'chatkit: limit must be a positive integer');
  if (limit > MAX_PAGE_LIMIT)
    throw new RequestError('invalid_request', `chatkit: limit must be at most ${MAX_PAGE_LIMIT}`);
  if (order !== 'asc' && order !== 'desc')
    throw new RequestError('invalid_request', 'chatkit: order must be asc or desc');
}

/** Milliseconds since the epoch; a timestamp without an offset (the reference's naive form) is read as UTC. */
export function parseTimestamp(value: string): number {
  const naive = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value);
  return Date.parse(naive ? `${value}Z` : value);
}

/** UTC ISO with milliseconds, the form every driver returns. */
export function isoTimestamp(value: string | undefined): string {
  return (value === undefined ? new Date() : new Date(parseTimestamp(value))).toISOString();
}

/** The persisted form of thread metadata (what `loadThread` returns), without `items`. */
export function normaliseThread(thread: ThreadMetadata): ThreadMetadata {
  return {
    id: thread.id,
    title: thread.title ?? null,
    created_at: isoTimestamp(thread.created_at),
    status: thread.status ?? { type: 'active' },
    allowed_image_domains: thread.allowed_image_domains ?? null,
    metadata: thread.metadata ?? {},
  };
}
