import { z } from 'zod';
import { invalidRequest } from './errors';

const count = z.number().int().nonnegative();

/** Images produced by a call, by size and quality (priced per image when the API reports no image tokens). */
export const ImageCount = z.object({
  /** e.g. `1024x1024`, `1024x1536`, `1536x1024`, `auto`. */
  size: z.string().min(1),
  /** e.g. `low`, `medium`, `high`, `standard`, `hd`, `auto`. */
  quality: z.string().min(1),
  /** How many images of this size and quality. */
  count: count,
});
/** Images produced by a call, by size and quality. */
export type ImageCount = z.infer<typeof ImageCount>;

/**
 * Normalized usage of one or more model calls. Token counts are totals with their parts split out:
 * `cachedInputTokens`, `cacheWriteTokens`, `inputImageTokens` and `inputAudioTokens` are parts of `inputTokens`;
 * `reasoningTokens` and `outputImageTokens` are parts of `outputTokens`. `audioSeconds` is audio billed by duration
 * (`whisper-1`), apart from tokens.
 */
export const Usage = z
  .object({
    /** Model requests made (an agent run may make several). */
    requests: count,
    /** All input (prompt) tokens, including cached, cache-write and image input tokens. */
    inputTokens: count,
    /** Input tokens read from the prompt cache (billed at the cached-input price). */
    cachedInputTokens: count,
    /** Input tokens written to the prompt cache (billed at the cache-write price when the model has one). */
    cacheWriteTokens: count,
    /** Input tokens that were images (Images API). */
    inputImageTokens: count,
    /** All output (completion) tokens, including reasoning and image output tokens. */
    outputTokens: count,
    /** Output tokens spent on reasoning. */
    reasoningTokens: count,
    /** Output tokens that were images (Images API). */
    outputImageTokens: count,
    /** Images produced, by size and quality. */
    images: z.array(ImageCount),
    /** Input tokens that were audio (transcription models such as `gpt-4o-transcribe`). Absent means 0. */
    inputAudioTokens: count.optional(),
    /** Seconds of audio billed by duration (`whisper-1`); may be fractional. Absent means 0. */
    audioSeconds: z.number().nonnegative().finite().optional(),
  })
  .superRefine((usage, context) => {
    if (
      usage.cachedInputTokens +
        usage.cacheWriteTokens +
        usage.inputImageTokens +
        (usage.inputAudioTokens ?? 0) >
      usage.inputTokens
    )
      context.addIssue({
        code: 'custom',
        message: 'cached, cache-write, image and audio input tokens cannot exceed inputTokens',
        path: ['inputTokens'],
      });
    if (usage.reasoningTokens + usage.outputImageTokens > usage.outputTokens)
      context.addIssue({
        code: 'custom',
        message: 'reasoning and image output tokens cannot exceed outputTokens',
        path: ['outputTokens'],
      });
  });
/** Normalized usage of one or more model calls. See the {@link Usage} schema. */
export type Usage = z.infer<typeof Usage>;

/** Usage with every count zero. */
export function emptyUsage(): Usage {
  return {
    requests: 0,
    inputTokens: 0,
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    inputImageTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
    outputImageTokens: 0,
    images: [],
  };
}

/** Builds a validated {@link Usage} from a partial one (missing counts are 0). Throws `invalid_request`. */
export function createUsage(partial: Partial<Usage> = {}): Usage {
  return parseUsage({ ...emptyUsage(), ...partial });
}

/** Validates a {@link Usage}: negative, fractional or NaN counts and inconsistent splits throw `invalid_request`. */
export function parseUsage(value: unknown): Usage {
  const parsed = Usage.safeParse(value);
  if (!parsed.success)
    throw invalidRequest(
      `invalid usage: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ')}`,
      {
        issues: parsed.error.issues,
      },
    );
  return parsed.data;
}

/** Adds usages together (images of the same size and quality are merged; audio parts are kept when non-zero). */
export function addUsage(...usages: Usage[]): Usage {
  const total = emptyUsage();
  const images = new Map<string, ImageCount>();
  let inputAudioTokens = 0;
  let audioSeconds = 0;
  for (const usage of usages) {
    inputAudioTokens += usage.inputAudioTokens ?? 0;
    audioSeconds += usage.audioSeconds ?? 0;
    total.requests += usage.requests;
    total.inputTokens += usage.inputTokens;
    total.cachedInputTokens += usage.cachedInputTokens;
    total.cacheWriteTokens += usage.cacheWriteTokens;
    total.inputImageTokens += usage.inputImageTokens;
    total.outputTokens += usage.outputTokens;
    total.reasoningTokens += usage.reasoningTokens;
    total.outputImageTokens += usage.outputImageTokens;
    for (const image of usage.images) {
      const key = `${image.size}\u0000${image.quality}`;
      const existing = images.get(key);
      if (existing) existing.count += image.count;
      else images.set(key, { ...image });
    }
  }
  total.images = [...images.values()];
  if (inputAudioTokens > 0) total.inputAudioTokens = inputAudioTokens;
  if (audioSeconds > 0) total.audioSeconds = audioSeconds;
  return parseUsage(total);
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalidRequest(`${what} must be an object`);
  return value as Record<string, unknown>;
}

function tokens(
  source: Record<string, unknown> | undefined,
  field: string,
  what: string,
  required = false,
): number {
  const value = source?.[field];
  if (value === undefined || value === null) {
    if (required) throw invalidRequest(`${what}.${field} is missing`);
    return 0;
  }
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
    throw invalidRequest(`${what}.${field} must be a non-negative integer, got ${String(value)}`, {
      field: `${what}.${field}`,
    });
  return value;
}

function details(value: unknown, what: string): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  return record(value, what);
}

/** Responses API `usage` (`response.usage`, also on `response.completed` stream events). */
export interface ResponsesUsageInput {
  input_tokens: number;
  input_tokens_details?: { cached_tokens?: number; cache_write_tokens?: number } | null;
  output_tokens: number;
  output_tokens_details?: { reasoning_tokens?: number } | null;
  total_tokens?: number;
}

/** Converts Responses API usage. Throws `invalid_request` for negative, NaN or missing counts. */
export function usageFromResponses(usage: ResponsesUsageInput | unknown): Usage {
  const source = record(usage, 'responses usage');
  const input = details(source.input_tokens_details, 'input_tokens_details');
  const output = details(source.output_tokens_details, 'output_tokens_details');
  return parseUsage({
    ...emptyUsage(),
    requests: 1,
    inputTokens: tokens(source, 'input_tokens', 'usage', true),
    cachedInputTokens: tokens(input, 'cached_tokens', 'input_tokens_details'),
    cacheWriteTokens: tokens(input, 'cache_write_tokens', 'input_tokens_details'),
    outputTokens: tokens(source, 'output_tokens', 'usage', true),
    reasoningTokens: tokens(output, 'reasoning_tokens', 'output_tokens_details'),
  });
}

/** Chat Completions `usage` (also the last chunk of a stream with `stream_options.include_usage`). */
export interface ChatCompletionsUsageInput {
  prompt_tokens: number;
  prompt_tokens_details?: { cached_tokens?: number; cache_write_tokens?: number } | null;
  completion_tokens: number;
  completion_tokens_details?: { reasoning_tokens?: number } | null;
  total_tokens?: number;
}

/** Converts Chat Completions usage. Throws `invalid_request` for negative, NaN or missing counts. */
export function usageFromChatCompletions(usage: ChatCompletionsUsageInput | unknown): Usage {
  const source = record(usage, 'chat completions usage');
  const prompt = details(source.prompt_tokens_details, 'prompt_tokens_details');
  const completion = details(source.completion_tokens_details, 'completion_tokens_details');
  return parseUsage({
    ...emptyUsage(),
    requests: 1,
    inputTokens: tokens(source, 'prompt_tokens', 'usage', true),
    cachedInputTokens: tokens(prompt, 'cached_tokens', 'prompt_tokens_details'),
    cacheWriteTokens: tokens(prompt, 'cache_write_tokens', 'prompt_tokens_details'),
    outputTokens: tokens(source, 'completion_tokens', 'usage', true),
    reasoningTokens: tokens(completion, 'reasoning_tokens', 'completion_tokens_details'),
  });
}

/** Images API `usage` (GPT image models; DALL·E responses carry none). */
export interface ImagesUsageInput {
  input_tokens: number;
  input_tokens_details?: { text_tokens?: number; image_tokens?: number } | null;
  output_tokens: number;
  total_tokens?: number;
}

/**
 * Converts an Images API call: its `usage` when present (GPT image models report image tokens) and the images
 * produced (`count` of `size`/`quality`, counted from `data.length`). Without usage (DALL·E), the images alone are
 * priced per image.
 */
export function usageFromImages(
  usage: ImagesUsageInput | null | undefined | unknown,
  images: { size: string; quality: string; count: number },
): Usage {
  const base = { ...emptyUsage(), requests: 1, images: [images] };
  if (usage === undefined || usage === null) return parseUsage(base);
  const source = record(usage, 'images usage');
  const input = details(source.input_tokens_details, 'input_tokens_details');
  const output = tokens(source, 'output_tokens', 'usage', true);
  return parseUsage({
    ...base,
    inputTokens: tokens(source, 'input_tokens', 'usage', true),
    inputImageTokens: tokens(input, 'image_tokens', 'input_tokens_details'),
    outputTokens: output,
    outputImageTokens: output,
  });
}

/**
 * The Agents SDK `Usage` (`result.state.usage`, `runContext.usage`) or its JSON form, or the usage of one model
 * response (`response_done.response.usage`).
 */
export interface AgentsUsageInput {
  requests?: number;
  inputTokens: number;
  outputTokens: number;
  totalTokens?: number;
  inputTokensDetails?: Record<string, number> | Array<Record<string, number>>;
  outputTokensDetails?: Record<string, number> | Array<Record<string, number>>;
}

function sumDetail(value: unknown, field: string, what: string): number {
  if (value === undefined || value === null) return 0;
  const entries = Array.isArray(value) ? value : [value];
  let total = 0;
  for (const entry of entries) total += tokens(details(entry, what), field, what);
  return total;
}

/**
 * Converts the Agents SDK's provider-neutral usage, the same for every model the SDK runs (Responses API, Chat
 * Completions, AI-SDK models): a whole run's (`result.state.usage`, summed over its requests) or one model
 * response's (`response_done.response.usage`, which has no `requests`: it counts as 1, as the SDK's `Usage` does).
 * `inputTokensDetails` (`cached_tokens`, `cache_write_tokens`) and `outputTokensDetails` (`reasoning_tokens`) may be
 * arrays (one entry per request) or objects; cached, cache-write and reasoning tokens are kept apart.
 */
export function usageFromAgents(usage: AgentsUsageInput | unknown): Usage {
  const source = record(usage, 'agents usage');
  return parseUsage({
    ...emptyUsage(),
    requests: source.requests === undefined ? 1 : tokens(source, 'requests', 'usage'),
    inputTokens: tokens(source, 'inputTokens', 'usage', true),
    cachedInputTokens: sumDetail(source.inputTokensDetails, 'cached_tokens', 'inputTokensDetails'),
    cacheWriteTokens: sumDetail(source.inputTokensDetails, 'cache_write_tokens', 'inputTokensDetails'),
    outputTokens: tokens(source, 'outputTokens', 'usage', true),
    reasoningTokens: sumDetail(source.outputTokensDetails, 'reasoning_tokens', 'outputTokensDetails'),
  });
}

/**
 * Audio transcription `usage` (`POST /v1/audio/transcriptions` with `response_format: 'json'`): tokens for the
 * `gpt-4o*-transcribe` models, the audio's duration for `whisper-1`.
 */
export type TranscriptionUsageInput =
  | {
      type: 'tokens';
      input_tokens: number;
      input_token_details?: { text_tokens?: number; audio_tokens?: number } | null;
      output_tokens: number;
      total_tokens?: number;
    }
  | { type: 'duration'; seconds: number };

/**
 * Converts a transcription's `usage`: token usage splits out the audio input tokens (`inputAudioTokens`, priced at
 * the model's audio-input price), duration usage becomes `audioSeconds` (priced per minute). Throws
 * `invalid_request` for an unknown `type`, negative, NaN or missing counts.
 */
export function usageFromTranscription(usage: TranscriptionUsageInput | unknown): Usage {
  const source = record(usage, 'transcription usage');
  if (source.type === 'duration') {
    const seconds = source.seconds;
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0)
      throw invalidRequest(`usage.seconds must be a non-negative number, got ${String(seconds)}`, {
        field: 'usage.seconds',
      });
    return parseUsage({ ...emptyUsage(), requests: 1, audioSeconds: seconds });
  }
  if (source.type !== 'tokens')
    throw invalidRequest(
      `transcription usage type must be "tokens" or "duration", got ${JSON.stringify(source.type)}`,
      { field: 'usage.type' },
    );
  const input = details(source.input_token_details, 'input_token_details');
  return parseUsage({
    ...emptyUsage(),
    requests: 1,
    inputTokens: tokens(source, 'input_tokens', 'usage', true),
    inputAudioTokens: tokens(input, 'audio_tokens', 'input_token_details'),
    outputTokens: tokens(source, 'output_tokens', 'usage', true),
  });
}
