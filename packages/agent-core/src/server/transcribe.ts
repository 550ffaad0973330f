import { ConfigurationError, ProviderError, providerError, RequestError } from '@relaykit/sse-protocol';
import type { UsageRecorder } from '@relaykit/usage-tracker';
import { toFile, type Uploadable } from 'openai';
import type { ModelAccess } from '../models/model-access';
import { recordTranscription, type TranscriptionUsageOptions } from './transcribe-usage';
import type { TranscriptionInput } from './types';

/** The transcription model used when none is given. */
export const DEFAULT_TRANSCRIPTION_MODEL = 'gpt-4o-mini-transcribe';

/** OpenAI's upload cap for `POST /v1/audio/transcriptions`: 25 MB. */
export const MAX_TRANSCRIPTION_BYTES = 25 * 1024 * 1024;

/**
 * The request body an `input.transcribe` of {@link MAX_TRANSCRIPTION_BYTES} of audio needs: the audio as base64 (4 bytes
 * per 3) plus 64 KiB for the JSON around it. Pass it as `maxBodyBytes` to the ChatKit route and server to accept
 * dictation up to OpenAI's limit; the default `DEFAULT_MAX_BODY_BYTES` (1 MiB) fits about 760 KB of audio.
 */
export const MAX_TRANSCRIPTION_BODY_BYTES = 4 * Math.ceil(MAX_TRANSCRIPTION_BYTES / 3) + 64 * 1024;

/**
 * Audio media types the transcriber accepts, with the file extension OpenAI reads the format from. Covers what the
 * ChatKit composer records (`audio/webm`, `audio/mp4`, `audio/ogg`) and the other formats OpenAI accepts.
 */
export const TRANSCRIPTION_MEDIA_TYPES: Readonly<Record<string, string>> = {
  'audio/webm': 'webm',
  'video/webm': 'webm',
  'audio/mp4': 'mp4',
  'video/mp4': 'mp4',
  'audio/m4a': 'm4a',
  'audio/x-m4a': 'm4a',
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
  'audio/mpga': 'mpga',
  'audio/ogg': 'ogg',
  'audio/oga': 'oga',
  'audio/wav': 'wav',
  'audio/wave': 'wav',
  'audio/x-wav': 'wav',
  'audio/flac': 'flac',
  'audio/x-flac': 'flac',
};

/** The part of the `openai` client the transcriber uses; `new OpenAI({...})` fits. */
export interface TranscriptionClient {
  audio: {
    transcriptions: {
      create(
        body: {
          file: Uploadable;
          model: string;
          language?: string;
          prompt?: string;
          response_format?: 'json';
        },
        options?: { signal?: AbortSignal },
      ): PromiseLike<unknown>;
    };
  };
}

/** Options of {@link createOpenAITranscriber}. Give exactly one of `client` and `modelAccess`. */
export interface OpenAITranscriberOptions<TContext> {
  /** Default {@link DEFAULT_TRANSCRIPTION_MODEL}. */
  model?: string;
  /** Per-request model access (bring-your-own-key): the client comes from `modelAccess.clientFor(context)`. */
  modelAccess?: Pick<ModelAccess<TContext>, 'clientFor'>;
  /** One fixed client for every request. */
  client?: TranscriptionClient;
  /** ISO-639-1 language of the audio (`en`, `de`), or a function of the context (e.g. the user's locale). */
  language?: string | ((context: TContext) => string | undefined);
  /** Text that guides the model (names, spelling, the previous sentence). */
  prompt?: string | ((context: TContext) => string | undefined);
  /** Largest accepted audio in bytes; default and upper bound {@link MAX_TRANSCRIPTION_BYTES}. */
  maxBytes?: number;
  /**
   * Records one `kind: 'transcription'` row per call that reaches OpenAI: its usage (tokens for `gpt-4o*-transcribe`,
   * seconds for `whisper-1`) and cost, or the failure with its code. `createUsageRecorder()` of
   * `@relaykit/usage-tracker` fits (the same recorder as the agents responder's `usage`).
   */
  usage?: Pick<UsageRecorder, 'recordUsage'>;
  /** The user a call is for, in usage rows. Default: the context's `userId`. */
  userId?: (context: TContext) => string;
  /** Called when recording usage fails; the transcription is answered anyway. */
  onUsageError?: (error: unknown, context: TContext) => void;
}

/** The `transcribe` option of `createChatKitServer`: speech to text for `input.transcribe`. */
export type Transcriber<TContext> = (
  input: TranscriptionInput,
  context: TContext,
) => Promise<{ text: string }>;

function pick<TContext>(
  value: string | ((context: TContext) => string | undefined) | undefined,
  context: TContext,
): string | undefined {
  return typeof value === 'function' ? value(context) : value;
}

/** Checks the audio's media type and size; returns the file extension OpenAI needs. */
function checkAudio(input: TranscriptionInput, maxBytes: number): string {
  const mediaType = (input.media_type || input.mime_type.split(';')[0] || '').trim().toLowerCase();
  const extension = TRANSCRIPTION_MEDIA_TYPES[mediaType];
  if (!extension)
    throw new RequestError('invalid_request', `Unsupported audio type ${JSON.stringify(input.mime_type)}.`, {
      details: { mime_type: input.mime_type, supported: Object.keys(TRANSCRIPTION_MEDIA_TYPES) },
    });
  if (input.data.byteLength === 0) throw new RequestError('invalid_request', 'The audio is empty.');
  if (input.data.byteLength > maxBytes)
    throw new RequestError(
      'payload_too_large',
      `The audio is ${input.data.byteLength} bytes; the limit is ${maxBytes}.`,
      { details: { size: input.data.byteLength, maxBytes } },
    );
  return extension;
}

/**
 * Creates a transcriber for the server's `transcribe` option that calls OpenAI `POST /v1/audio/transcriptions`
 * through the `openai` SDK. The client is resolved per request (`modelAccess.clientFor(context)`, so a user's own
 * key is used) or fixed (`client`). Unsupported media types answer `invalid_request` naming the type, audio over
 * 25 MB `payload_too_large` (413), and provider failures are mapped by `providerError` of `@relaykit/sse-protocol`,
 * as for chat and images (429 → `rate_limited` with `retryAfterMs`, 401 → `configuration`, 5xx →
 * `provider_unavailable`). With `usage`, every call that reaches
 * OpenAI is recorded as one `kind: 'transcription'` row (a failed record goes to `onUsageError`, never to the caller).
 *
 * @example
 * const server = createChatKitServer({
 *   store,
 *   respond,
 *   transcribe: createOpenAITranscriber({ modelAccess: createModelAccess({ apiKey }), usage: recorder }),
 * });
 */
export function createOpenAITranscriber<TContext>(
  options: OpenAITranscriberOptions<TContext>,
): Transcriber<TContext> {
  if ((options.client === undefined) === (options.modelAccess === undefined))
    throw new ConfigurationError('createOpenAITranscriber needs exactly one of client and modelAccess');
  const model = options.model ?? DEFAULT_TRANSCRIPTION_MODEL;
  const maxBytes = Math.min(options.maxBytes ?? MAX_TRANSCRIPTION_BYTES, MAX_TRANSCRIPTION_BYTES);
  const usage: TranscriptionUsageOptions<TContext> | undefined = options.usage
    ? {
        usage: options.usage,
        userIdOf: options.userId ?? ((context) => String((context as { userId?: unknown }).userId ?? '')),
        onUsageError: options.onUsageError,
      }
    : undefined;
  return async (input, context) => {
    const extension = checkAudio(input, maxBytes);
    const mediaType = input.media_type || input.mime_type.split(';')[0]!.trim();
    const language = pick(options.language, context);
    const prompt = pick(options.prompt, context);
    const metadata = { media_type: mediaType, audio_bytes: input.data.byteLength };
    let client: TranscriptionClient;
    try {
      client = options.client ?? (await options.modelAccess!.clientFor(context));
    } catch (error) {
      throw providerError(error);
    }
    let result: unknown;
    try {
      result = await client.audio.transcriptions.create(
        {
          file: await toFile(input.data, `audio.${extension}`, { type: mediaType }),
          model,
          response_format: 'json',
          ...(language ? { language } : {}),
          ...(prompt ? { prompt } : {}),
        },
        input.signal ? { signal: input.signal } : undefined,
      );
    } catch (error) {
      const mapped = providerError(error, { signal: input.signal });
      if (usage) await recordTranscription(usage, context, model, { ok: false, error: mapped }, metadata);
      throw mapped;
    }
    if (usage) await recordTranscription(usage, context, model, { ok: true, result }, metadata);
    const text = (result as { text?: unknown } | null)?.text;
    if (typeof text !== 'string')
      throw new ProviderError('provider_error', 'The transcription answer has no text.', {
        details: { model },
      });
    return { text };
  };
}
