import { imageModelCapabilities } from '@relaykit/image-gen';
import { boundedText, RequestError } from '@relaykit/sse-protocol';
import { z } from 'zod';

/** Sizes the image routes accept. */
export const ImageSize = z.enum(['1024x1024', '1024x1536', '1536x1024', 'auto']);
export type ImageSize = z.infer<typeof ImageSize>;

/** Qualities the image routes accept. */
export const ImageQuality = z.enum(['low', 'medium', 'high', 'auto']);
export type ImageQuality = z.infer<typeof ImageQuality>;

// Trimmed, then held to text Postgres can store (no NUL, no lone surrogate): a prompt is saved with its image.
const prompt = z.string().trim().min(1).max(4000).pipe(boundedText(4000));
const model = boundedText(128, 1);

/** The JSON body of the single image route: `{ prompt, size?, quality?, model? }`. */
export const GenerateImageBody = z.object({
  prompt,
  size: ImageSize.optional(),
  quality: ImageQuality.optional(),
  model: model.optional(),
});
export type GenerateImageBody = z.infer<typeof GenerateImageBody>;

/** A batch item id: a safe storage path segment (letters, digits, `.`, `_`, `-`; no `..`), at most 128 characters. */
export const ImageBatchItemId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'Use letters, digits, ".", "_" or "-" (at most 128).')
  .refine((id) => !id.includes('..'), 'Must not contain "..".');

/**
 * One item of a batch: the prompt and an optional id the client uses to match results (default `item-<index>`).
 * The prompt is checked per item ({@link batchPromptProblem}): a bad one fails its own item, the others run.
 */
export const ImageBatchItem = z.object({ id: ImageBatchItemId.optional(), prompt: z.string() });
export type ImageBatchItem = z.infer<typeof ImageBatchItem>;

/** Why a batch item's prompt cannot be sent (the single-image rules: 1..4000 characters after trimming), or `undefined`. */
export function batchPromptProblem(value: string): string | undefined {
  const result = prompt.safeParse(value);
  if (result.success) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return 'The prompt is empty.';
  return trimmed.length > 4000
    ? `The prompt is ${trimmed.length} characters long; the limit is 4000.`
    : (result.error.issues[0]?.message ?? 'The prompt is invalid.');
}

/** The JSON body of the batch route: `{ items (1..100), size?, quality?, model?, concurrency? (1..8) }`. */
export const ImageBatchBody = z.object({
  items: z.array(ImageBatchItem).min(1).max(100),
  size: ImageSize.optional(),
  quality: ImageQuality.optional(),
  model: model.optional(),
  concurrency: z.number().int().min(1).max(8).optional(),
});
export type ImageBatchBody = z.infer<typeof ImageBatchBody>;

/**
 * Checks `model`, `size` and `quality` against the model's capabilities before any provider call, so a bad
 * combination is one 400 (with a zod-shaped issue) rather than a failed call per item.
 */
export function checkImageOptions(options: { model: string; size?: string; quality?: string }): void {
  const fail = (field: string, message: string): never => {
    throw new RequestError('invalid_request', 'The request body is invalid.', {
      details: { issues: [{ code: 'invalid_value', path: [field], message }] },
    });
  };
  let capabilities: ReturnType<typeof imageModelCapabilities> | undefined;
  try {
    capabilities = imageModelCapabilities(options.model);
  } catch (error) {
    fail('model', (error as Error).message);
  }
  if (!capabilities) return;
  if (options.size !== undefined && !capabilities.sizes.includes(options.size))
    fail('size', `${options.model} supports the sizes ${capabilities.sizes.join(', ')}.`);
  if (options.quality !== undefined && !capabilities.qualities.includes(options.quality))
    fail('quality', `${options.model} supports the qualities ${capabilities.qualities.join(', ')}.`);
}

/** The batch's items with their ids filled in (`item-<index>`); duplicate ids are a 400 naming both indexes. */
export function batchItemIds(items: readonly ImageBatchItem[]): string[] {
  const seen = new Map<string, number>();
  return items.map((item, index) => {
    const id = item.id ?? `item-${index}`;
    const earlier = seen.get(id);
    if (earlier !== undefined)
      throw new RequestError('invalid_request', 'The request body is invalid.', {
        details: {
          issues: [
            {
              code: 'duplicate_id',
              path: ['items', index, 'id'],
              message: `Item ${index} repeats the id "${id}" of item ${earlier}.`,
            },
          ],
        },
      });
    seen.set(id, index);
    return id;
  });
}
