/**
 * Bounds on what a client may send: every string, number, array and JSON value of a request has a limit in its
 * schema, so a hostile body is a 400 naming the field, never a 5xx from a database or a tokenizer further in.
 */
import { z } from 'zod';
import { JsonRecord } from './json-record';

/**
 * The limits the ChatKit request schemas enforce (documented in the package README, "Request bounds").
 * Lengths are in UTF-16 code units (JavaScript string length); `*Bytes` are characters of compact JSON.
 */
export const CHATKIT_REQUEST_LIMITS = {
  /** Thread, item and attachment ids (and `after` cursors): 1-128 of `A-Z a-z 0-9 _ -`. */
  idLength: 128,
  /** Largest `limit` of `threads.list` / `items.list` (0 or unset still means 20), as OpenAI's hosted ChatKit API. */
  pageLimit: 100,
  /** One text part of a user message (`input_text`, `input_tag` text), and `quoted_text`. */
  textLength: 100_000,
  /** Parts of one user message. */
  contentParts: 64,
  /** Attachments of one user message. */
  attachments: 32,
  /** A thread title (`threads.update`). */
  titleLength: 512,
  /** An attachment's file name. */
  nameLength: 255,
  /** A MIME type (`attachments.create`, `input.transcribe`): printable ASCII. */
  mimeTypeLength: 255,
  /** Short names the application defines: model, tool choice, tag and action ids, action types, question ids. */
  shortTextLength: 256,
  /** Item ids of one `items.feedback`, answers of one structured input, values of one answer. */
  listLength: 100,
  /** Request `metadata` and input-tag `data`, as compact JSON. */
  metadataBytes: 64 * 1024,
  /** A client tool's `result` and an action's `payload`, as compact JSON. */
  payloadBytes: 512 * 1024,
  /** Nesting depth of any JSON value a client sends. */
  jsonDepth: 64,
  /** `input.transcribe` audio, base64 (25 MB of audio, OpenAI's transcription limit). */
  audioBase64Length: 34_952_536,
} as const;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const NUL_MESSAGE = 'must not contain the NUL character (U+0000)';
const SURROGATE_MESSAGE = 'must be well-formed Unicode (no lone UTF-16 surrogate)';

/** Why `text` cannot be stored as Postgres `text`/`jsonb` (NUL, lone surrogate), or null when it can. */
export function unsafeTextReason(text: string): string | null {
  if (text.includes('\u0000')) return NUL_MESSAGE;
  if (LONE_SURROGATE.test(text)) return SURROGATE_MESSAGE;
  return null;
}

/**
 * A string of at most `maxLength` UTF-16 code units (at least `minLength`) with neither NUL nor lone surrogates:
 * text Postgres can store in `text` and `jsonb`, and every runtime can encode as UTF-8.
 */
export function boundedText(maxLength: number, minLength = 0) {
  return z
    .string()
    .min(minLength)
    .max(maxLength)
    .check((ctx) => {
      // A string over the cap already failed `max`: skip scanning it.
      if (ctx.value.length > maxLength) return;
      const reason = unsafeTextReason(ctx.value);
      if (reason) ctx.issues.push({ code: 'custom', message: `Text ${reason}.`, input: ctx.value });
    });
}

/** A thread, item or attachment id (or cursor): 1-128 letters, digits, `_` or `-`. */
export const ChatKitId = z
  .string()
  .min(1)
  .max(CHATKIT_REQUEST_LIMITS.idLength)
  .regex(/^[A-Za-z0-9_-]+$/, 'An id is 1-128 letters, digits, "_" or "-".');
/** A thread, item or attachment id (or cursor): 1-128 letters, digits, `_` or `-`. */
export type ChatKitId = z.infer<typeof ChatKitId>;

/** A MIME type: printable ASCII, `type/subtype` with optional parameters, at most 255 characters. */
export const MimeType = z
  .string()
  .min(3)
  .max(CHATKIT_REQUEST_LIMITS.mimeTypeLength)
  .regex(/^[!-~]+\/[!-~]+( ?;[ -~]*)?$/, 'A MIME type is printable ASCII "type/subtype[;parameters]".');
/** A MIME type: printable ASCII, `type/subtype` with optional parameters, at most 255 characters. */
export type MimeType = z.infer<typeof MimeType>;

interface JsonProblem {
  path: PropertyKey[];
  message: string;
}

/**
 * The first problem of a JSON value a client sent: nesting deeper than `maxDepth`, a key or string that Postgres
 * cannot store (NUL, lone surrogate), or a value JSON cannot carry. Iterative, so any depth is safe to check.
 */
function jsonProblem(value: unknown, maxDepth: number): JsonProblem | null {
  const stack: { value: unknown; path: PropertyKey[] }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop() as { value: unknown; path: PropertyKey[] };
    if (typeof current === 'string') {
      const reason = unsafeTextReason(current);
      if (reason) return { path, message: `Text ${reason}.` };
      continue;
    }
    if (typeof current === 'number') {
      if (!Number.isFinite(current)) return { path, message: 'Numbers must be finite.' };
      continue;
    }
    if (current === null || current === undefined || typeof current === 'boolean') continue;
    if (typeof current !== 'object') return { path, message: `A ${typeof current} is not JSON.` };
    if (path.length >= maxDepth) return { path, message: `JSON nests deeper than ${maxDepth} levels.` };
    if (Array.isArray(current)) {
      current.forEach((child, index) => {
        stack.push({ value: child, path: [...path, index] });
      });
      continue;
    }
    for (const [key, child] of Object.entries(current)) {
      const reason = unsafeTextReason(key);
      if (reason) return { path: [...path, key], message: `Keys ${reason}.` };
      stack.push({ value: child, path: [...path, key] });
    }
  }
  return null;
}

function checkJson(ctx: z.core.ParsePayload<unknown>, maxBytes: number): void {
  if (ctx.value === undefined) return;
  const problem = jsonProblem(ctx.value, CHATKIT_REQUEST_LIMITS.jsonDepth);
  if (problem) {
    ctx.issues.push({ code: 'custom', message: problem.message, path: problem.path, input: ctx.value });
    return;
  }
  const size = JSON.stringify(ctx.value)?.length ?? 0;
  if (size > maxBytes)
    ctx.issues.push({
      code: 'too_big',
      origin: 'string',
      maximum: maxBytes,
      inclusive: true,
      message: `JSON is ${size} characters; at most ${maxBytes} are allowed.`,
      input: ctx.value,
    });
}

/**
 * Any JSON value of at most `maxBytes` characters of compact JSON, nested at most 64 deep, whose strings and keys
 * Postgres can store (no NUL, no lone surrogate). The issue path points at the offending key or string.
 */
export function boundedJson(maxBytes: number) {
  return z.unknown().check((ctx) => checkJson(ctx, maxBytes));
}

/** A JSON object bounded like {@link boundedJson}; every own key is kept, as {@link JsonRecord} does. */
export function boundedJsonRecord(maxBytes: number) {
  return boundedJson(maxBytes).pipe(JsonRecord);
}
