import type { ImageBatchEvents, ImageBatchItemJSON, ImageJSON } from '@relaykit/agent-core';
import { errorOfResponse } from '@relaykit/chat-ui/client';
import { createEventStreamDecoder, type SSEMessage } from '@relaykit/sse-protocol';
import type { ImageListResponse, StoredImageJSON } from '../server/image-list';

// The wire types come from the server packages as types only, so no server code reaches the browser bundle.
export type { ImageJSON, StoredImageJSON };

/** One batch item's state in `progress` and `done` events. */
export type BatchItemJSON = ImageBatchItemJSON;

/** The batch stream's events, by SSE event name. */
export type BatchEvent = {
  [TName in keyof ImageBatchEvents]: { event: TName; data: ImageBatchEvents[TName] };
}[keyof ImageBatchEvents];

/** `POST /api/images { prompt }` → the stored image. Errors are `ChatKitRequestError`s (code, status, reasons). */
export async function generateImage(prompt: string, signal?: AbortSignal): Promise<ImageJSON> {
  const response = await fetch('/api/images', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ prompt, quality: 'low' }),
    ...(signal ? { signal } : {}),
  });
  if (!response.ok) throw await errorOfResponse(response);
  return ((await response.json()) as { image: ImageJSON }).image;
}

/** `GET /api/images?after=` → a page of the user's stored images, newest first. */
export async function listImages(after?: string, signal?: AbortSignal): Promise<ImageListResponse> {
  const query = after ? `?after=${encodeURIComponent(after)}` : '';
  const response = await fetch(`/api/images${query}`, { cache: 'no-store', ...(signal ? { signal } : {}) });
  if (!response.ok) throw await errorOfResponse(response);
  return (await response.json()) as ImageListResponse;
}

/** `POST /api/images/batch { items }` → the batch's SSE events (decoded by `@relaykit/sse-protocol`). */
export async function* generateBatch(
  items: { id: string; prompt: string }[],
  signal?: AbortSignal,
): AsyncGenerator<BatchEvent> {
  const response = await fetch('/api/images/batch', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ items, quality: 'low' }),
    ...(signal ? { signal } : {}),
  });
  if (!response.ok || !response.body) throw await errorOfResponse(response);
  const messages = response.body.pipeThrough(
    createEventStreamDecoder(),
  ) as unknown as AsyncIterable<SSEMessage>;
  for await (const message of messages) {
    try {
      yield { event: message.event, data: JSON.parse(message.data) } as BatchEvent;
    } catch {
      // an unreadable frame is skipped
    }
  }
}
