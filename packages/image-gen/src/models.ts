import { RequestError } from '@relaykit/sse-protocol';

/** What an Images API model accepts. */
export interface ImageModelCapabilities {
  /** Sizes the model accepts (`auto` included where the API allows it). */
  sizes: readonly string[];
  /** Qualities the model accepts. */
  qualities: readonly string[];
  /** The size sent when the caller gives none. */
  defaultSize: string;
  /** The quality sent when the caller gives none. */
  defaultQuality: string;
  /** The longest prompt the model accepts, in characters. */
  maxPromptLength: number;
  /** Whether the model answers `b64_json` (GPT image models) or a URL to download (DALL·E). */
  response: 'b64_json' | 'url';
  /** Whether `background` and `output_format` are supported. */
  supportsBackgroundAndFormat: boolean;
}

const GPT_IMAGE: ImageModelCapabilities = {
  sizes: ['1024x1024', '1024x1536', '1536x1024', 'auto'],
  qualities: ['low', 'medium', 'high', 'auto'],
  defaultSize: '1024x1024',
  defaultQuality: 'medium',
  maxPromptLength: 32_000,
  response: 'b64_json',
  supportsBackgroundAndFormat: true,
};

/** The models {@link generateImage} knows, from OpenAI's Images API reference. */
export const IMAGE_MODELS: Readonly<Record<string, ImageModelCapabilities>> = {
  'gpt-image-1': GPT_IMAGE,
  'gpt-image-1-mini': GPT_IMAGE,
  'dall-e-3': {
    sizes: ['1024x1024', '1792x1024', '1024x1792'],
    qualities: ['standard', 'hd'],
    defaultSize: '1024x1024',
    defaultQuality: 'standard',
    maxPromptLength: 4_000,
    response: 'url',
    supportsBackgroundAndFormat: false,
  },
  'dall-e-2': {
    sizes: ['256x256', '512x512', '1024x1024'],
    qualities: ['standard'],
    defaultSize: '1024x1024',
    defaultQuality: 'standard',
    maxPromptLength: 1_000,
    response: 'url',
    supportsBackgroundAndFormat: false,
  },
};

/** The capabilities of `model`; dated GPT image snapshots resolve to their family. Throws `invalid_request` otherwise. */
export function imageModelCapabilities(model: string): ImageModelCapabilities {
  const known = IMAGE_MODELS[model];
  if (known) return known;
  if (/^gpt-image-\d/.test(model)) return GPT_IMAGE;
  throw new RequestError(
    'invalid_request',
    `unsupported image model ${JSON.stringify(model)}; supported: ${Object.keys(IMAGE_MODELS).join(', ')}`,
    { details: { field: 'model' } },
  );
}

/** Throws `invalid_request` when a prompt is empty or longer than `maxLength` characters. */
export function assertPrompt(prompt: unknown, maxLength: number): asserts prompt is string {
  if (typeof prompt !== 'string' || prompt.trim() === '')
    throw new RequestError('invalid_request', 'prompt must be a non-empty string', {
      details: { field: 'prompt' },
    });
  if (prompt.length > maxLength)
    throw new RequestError(
      'invalid_request',
      `prompt is ${prompt.length} characters; the limit is ${maxLength}`,
      { details: { field: 'prompt', length: prompt.length, maxLength } },
    );
}
