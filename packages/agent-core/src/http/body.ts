import { parseJsonText, RequestError, readCappedText } from '@relaykit/sse-protocol';
import type { z } from 'zod';

/**
 * The one default cap of a JSON request body, 1 MiB, used by the guard, the chat stream handler and the ChatKit server.
 * A ChatKit `input.transcribe` carries its audio as base64 inside the JSON body, so the default fits about 760 KB of
 * audio; to accept audio up to OpenAI's 25 MB limit, set `maxBodyBytes: MAX_TRANSCRIPTION_BODY_BYTES` on the route and
 * the server.
 */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** Options of {@link readJsonBody}. */
export interface ReadJsonBodyOptions<TSchema extends z.ZodType = z.ZodType> {
  /** The largest accepted body in bytes; defaults to {@link DEFAULT_MAX_BODY_BYTES}. */
  maxBytes?: number;
  /** Validates the parsed value; its issues become the `details` of a 400. */
  schema?: TSchema;
}

/** One problem with a request body, in the shape of a zod issue (`path`, `message`, `code`). */
export interface BodyIssue {
  code: string;
  path: PropertyKey[];
  message: string;
}

/**
 * Reads a request body as text, refusing more than `maxBytes` with `payload_too_large` (413). A declared
 * `Content-Length` over the cap is refused before reading; otherwise the stream is counted as it arrives and
 * cancelled as soon as it passes the cap, so a lying or missing length cannot exhaust memory. It is `readCappedText`
 * of `@relaykit/sse-protocol` (the one capped reader) with the HTTP layer's default cap and message.
 */
export function readBodyText(request: Request, maxBytes: number = DEFAULT_MAX_BODY_BYTES): Promise<string> {
  return readCappedText(request, maxBytes, {
    tooLarge: () =>
      new RequestError('payload_too_large', `Request body exceeds ${maxBytes} bytes.`, {
        details: { maxBytes },
      }),
  });
}

/**
 * Parses a JSON request body: `parseJsonText` of `@relaykit/sse-protocol` (which avoids the V8 `JSON.parse`
 * escaped-key defect of Node 24/26) with the HTTP contract on top. An empty (or whitespace-only) body is `{}`, so a
 * schema reports the missing fields; a syntax error is `invalid_request` (400) with an `invalid_json` issue.
 */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return parseJsonText(text);
  } catch (error) {
    const issues: BodyIssue[] = [{ code: 'invalid_json', path: [], message: (error as Error).message }];
    throw new RequestError('invalid_request', 'The request body is not valid JSON.', {
      details: { issues },
    });
  }
}

/** Checks a value against a zod schema; failures are `invalid_request` (400) with the zod issues as details. */
export function validateBody<TSchema extends z.ZodType>(schema: TSchema, value: unknown): z.output<TSchema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues: BodyIssue[] = result.error.issues.map((issue) => ({
    code: issue.code,
    path: issue.path,
    message: issue.message,
  }));
  throw new RequestError('invalid_request', 'The request body is invalid.', { details: { issues } });
}

/**
 * Reads, size-checks, parses and (with `schema`) validates a JSON request body; an empty body is `{}`.
 * Throws `payload_too_large` (413) over the cap and `invalid_request` (400, `details.issues`) for bad JSON or
 * a schema mismatch.
 */
export async function readJsonBody<TSchema extends z.ZodType = z.ZodType<unknown>>(
  request: Request,
  options: ReadJsonBodyOptions<TSchema> = {},
): Promise<z.output<TSchema>> {
  const value = parseJsonBody(await readBodyText(request, options.maxBytes));
  return options.schema ? validateBody(options.schema, value) : (value as z.output<TSchema>);
}
