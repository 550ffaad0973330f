import { parseJsonText as parseJsonValue, type RelayKitError, RequestError } from '@relaykit/sse-protocol';
import type { z } from 'zod';

/** The default request body cap: 1 MiB. */
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
 * Reads a request body as bytes, refusing more than `maxBytes` with the error of `tooLarge`. A declared
 * `Content-Length` over the cap is refused before reading; otherwise the stream is counted as it arrives and
 * cancelled as soon as it passes the cap, so a lying or missing length cannot exhaust memory. A missing body is
 * zero bytes. Internal: shared by {@link readBodyText} and the attachment upload handler.
 */
export async function readBodyBytes(
  request: Request,
  maxBytes: number,
  tooLarge: () => RelayKitError,
): Promise<Uint8Array<ArrayBuffer>> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) throw tooLarge();
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * Reads a request body as text, refusing more than `maxBytes` with `payload_too_large` (413). A declared
 * `Content-Length` over the cap is refused before reading; otherwise the stream is counted as it arrives and
 * cancelled as soon as it passes the cap, so a lying or missing length cannot exhaust memory.
 */
export async function readBodyText(
  request: Request,
  maxBytes: number = DEFAULT_MAX_BODY_BYTES,
): Promise<string> {
  const bytes = await readBodyBytes(
    request,
    maxBytes,
    () =>
      new RequestError('payload_too_large', `Request body exceeds ${maxBytes} bytes.`, {
        details: { maxBytes },
      }),
  );
  return new TextDecoder().decode(bytes);
}

/**
 * Parses a JSON request body. An empty (or whitespace-only) body is `{}`, so a schema reports the missing fields;
 * a syntax error is `invalid_request` (400) with an `invalid_json` issue. Parsing goes through `parseJsonText` of
 * `@relaykit/sse-protocol`, which avoids the V8 `JSON.parse` escaped-key defect of Node 24/26.
 */
export function parseJsonText(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return parseJsonValue(text);
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
  const value = parseJsonText(await readBodyText(request, options.maxBytes));
  return options.schema ? validateBody(options.schema, value) : (value as z.output<TSchema>);
}
