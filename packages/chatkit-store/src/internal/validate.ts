import { RequestError } from '@relaykit/sse-protocol';
import type { ThreadItem, ThreadMetadata } from '../types';

/** Default item size cap: 1 MiB of JSON. */
export const DEFAULT_MAX_ITEM_BYTES = 1024 * 1024;

const encoder = new TextEncoder();

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
  const bytes = encoder.encode(JSON.stringify(item)).byteLength;
  if (bytes > maxBytes)
    throw new RequestError(
      'payload_too_large',
      `chatkit: item ${item.id} is ${bytes} bytes of JSON, more than the ${maxBytes} allowed`,
      { details: { bytes, maxBytes } },
    );
}

export function checkThread(thread: ThreadMetadata): void {
  if (typeof thread !== 'object' || thread === null || typeof thread.id !== 'string' || thread.id === '')
    throw new RequestError('invalid_request', 'chatkit: a thread needs a non-empty string id');
  if (thread.created_at !== undefined && Number.isNaN(parseTimestamp(thread.created_at)))
    throw new RequestError('invalid_request', `chatkit: thread ${thread.id} has an invalid created_at`);
}

export function checkPageArguments(limit: number, order: string): void {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RequestError('invalid_request', 'chatkit: limit must be a positive integer');
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
