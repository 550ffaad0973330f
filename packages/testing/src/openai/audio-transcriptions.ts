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
 * `{ text, usage }`) or `text` (plain text). The text is the scripted reply's `text` or {@link offlineTranscript}.
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
  const audioTokens = Math.max(1, Math.ceil(file.size / 1024));
  const promptTokens = typeof body.prompt === 'string' ? countTokens(body.prompt) : 0;
  const outputTokens = countTokens(text);
  sendJson(
    response,
    200,
    {
      text,
      usage: {
        type: 'tokens',
        input_tokens: audioTokens + promptTokens,
        input_token_details: { text_tokens: promptTokens, audio_tokens: audioTokens },
        output_tokens: outputTokens,
        total_tokens: audioTokens + promptTokens + outputTokens,
      },
    },
    headers,
  );
}
