import type { ImageBatchEvents, ImageBatchItemJSON, ImageJSON } from '@relaykit/agent-core';
import { ApiRequestError, errorOfResponse } from './errors';
import { readSseData } from './sse';

// The wire types come from the server package as types only, so no server code reaches the browser bundle.
export type { ImageJSON };

/** One batch item's state in `progress` and `done` events. */
export type BatchItemJSON = ImageBatchItemJSON;

/** The batch stream's events, by SSE event name. */
export type BatchEvent = {
  [TName in keyof ImageBatchEvents]: { event: TName; data: ImageBatchEvents[TName] };
}[keyof ImageBatchEvents];

/** An error answered by the image routes: a `RelayKitError` with the server's `code`, plus `status`. */
export class ImageRequestError extends ApiRequestError {
  override name = 'ImageRequestError';
}

const failure = (response: Response) => errorOfResponse(response, ImageRequestError);

/** `POST /api/images { prompt }` → the stored image. */
export async function generateImage(prompt: string, signal?: AbortSignal): Promise<ImageJSON> {
  const response = await fetch('/api/images', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ prompt, quality: 'low' }),
    ...(signal ? { signal } : {}),
  });
  if (!response.ok) throw await failure(response);
  return ((await response.json()) as { image: ImageJSON }).image;
}

/** `POST /api/images/batch { items }` → the batch's SSE events. */
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
  if (!response.ok || !response.body) throw await failure(response);
  for await (const frame of readSseData(response.body, signal)) {
    try {
      yield { event: frame.event, data: JSON.parse(frame.data) } as BatchEvent;
    } catch {
      // an unreadable frame is skipped
    }
  }
}
