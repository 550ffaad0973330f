import type { FakeExchange } from './exchange';
import { errorBody, sendJson, sleep } from './http';
import { countTokens } from './tokens';

/** A file part of a multipart body, as the fake records it (the bytes are kept out of `calls`). */
export interface FakeUploadedFile {
  filename: string;
  type: string;
  size: number;
}

/** File extensions `POST /v1/audio/transcriptions` accepts (OpenAI's list). */
export const TRANSCRIPTION_FILE_EXTENSIONS: readonly string[] = [
  'flac',
  'm4a',
  'mp3',
  'mp4',
  'mpeg',
  'mpga',
  'oga',
  'ogg',
  'wav',
  'webm',
];

/** OpenAI's upload cap for audio files: 25 MB. */
const MAX_AUDIO_BYTES = 25 * 1024 * 1024;

/** True for a `multipart/form-data` content type. */
export function isMultipart(contentType: string | undefined): boolean {
  return /^multipart\/form-data\b/i.test(contentType ?? '');
}

/**
 * Parses a `multipart/form-data` body with the platform's own parser: string fields stay strings, file fields become
 * {@link FakeUploadedFile} summaries. Throws on a malformed body.
 */
export async function parseMultipart(raw: Buffer, contentType: string): Promise<Record<string, unknown>> {
  const form = await new Response(new Uint8Array(raw), {
    headers: { 'content-type': contentType },
  }).formData();
  const fields: Record<string, unknown> = {};
  for (const [name, value] of form.entries()) {
    fields[name] =
      typeof value === 'string'
        ? value
        : ({ filename: value.name, type: value.type, size: value.size } satisfies FakeUploadedFile);
  }
  return fields;
}

/** The offline transcript of an upload: clearly labelled, deterministic, naming the byte count. */
export function offlineTranscript(size: number): string {
  return `[offline demo model] transcript of ${size} bytes`;
}

function isFile(value: unknown): value is FakeUploadedFile {
  return typeof value === 'object' && value !== null && 'size' in value && 'filename' in value;
}

/**
 * `POST /v1/audio/transcriptions` (multipart): `file` and `model` required, `response_format` `json` (default,
 * `{ text, usage }`: token usage for `gpt-4o*-transcribe`, duration usage for `whisper-1`) or `text` (plain text). The text is the scripted reply's `text` or {@link offlineTranscript}.
 */
export async function handleAudioTranscription(exchange: FakeExchange, scripted: boolean): Promise<void> {
  const { body, faults, response, headers, reply } = exchange;
  await sleep(faults.latencyMs);
  const invalid = (message: string, param: string | null, code: string | null = null) =>
    sendJson(response, 400, errorBody({ message, type: 'invalid_request_error', param, code }), headers);

  const file = body.file;
  if (!isFile(file))
    return invalid("Missing required parameter: 'file'.", 'file', 'missing_required_parameter');
  if (typeof body.model !== 'string' || body.model === '')
    return invalid('you must provide a model parameter', 'model', 'missing_required_parameter');
  const extension = /\.([A-Za-z0-9]+)$/.exec(file.filename)?.[1]?.toLowerCase() ?? '';
  if (!TRANSCRIPTION_FILE_EXTENSIONS.includes(extension))
    return invalid(
      `Invalid file format. Supported formats: ${JSON.stringify(TRANSCRIPTION_FILE_EXTENSIONS)}`,
      'file',
      'invalid_value',
    );
  if (file.size > MAX_AUDIO_BYTES)
    return sendJson(
      response,
      413,
      errorBody({
        message: `Maximum content size limit (${MAX_AUDIO_BYTES}) exceeded (${file.size} bytes read)`,
        type: 'server_error',
      }),
      headers,
    );
  const format = typeof body.response_format === 'string' ? body.response_format : 'json';
  if (format !== 'json' && format !== 'text')
    return invalid(
      `response_format '${format}' is not compatible with model '${body.model}'. Use 'json' or 'text' instead.`,
      'response_format',
      'unsupported_value',
    );

  const text = scripted && reply.text !== undefined ? reply.text : offlineTranscript(file.size);
  if (format === 'text') {
    response.writeHead(200, { ...headers, 'content-type': 'text/plain; charset=utf-8' });
    response.end(`${text}\n`);
    return;
  }
  sendJson(
    response,
    200,
    { text, usage: transcriptionUsage(body.model, file.size, body.prompt, text) },
    headers,
  );
}

/** Bytes per second of audio the fake assumes (Opus in WebM at 32 kbit/s, what the ChatKit composer records). */
const AUDIO_BYTES_PER_SECOND = 4000;

/**
 * The `usage` of a `json` transcription, shaped like OpenAI's: whisper models are billed by duration
 * (`{ type: 'duration', seconds }`, whole seconds of the upload at {@link AUDIO_BYTES_PER_SECOND}, at least 1), the
 * `gpt-4o*-transcribe` models by tokens (audio tokens from the upload size, text tokens from the prompt).
 */
function transcriptionUsage(model: string, size: number, prompt: unknown, text: string) {
  if (/^whisper/.test(model))
    return { type: 'duration' as const, seconds: Math.max(1, Math.ceil(size / AUDIO_BYTES_PER_SECOND)) };
  const audioTokens = Math.max(1, Math.ceil(size / 1024));
  const textTokens = typeof prompt === 'string' ? countTokens(prompt) : 0;
  const outputTokens = countTokens(text);
  return {
    type: 'tokens' as const,
    input_tokens: audioTokens + textTokens,
    input_token_details: { text_tokens: textTokens, audio_tokens: audioTokens },
    output_tokens: outputTokens,
    total_tokens: audioTokens + textTokens + outputTokens,
  };
}
