import { type RelayKitError, RequestError } from '../errors';

/** What {@link readCapped} reads: a byte stream, or the body of a `Request` or `Response`. */
export type CappedSource = ReadableStream<Uint8Array> | Request | Response | null | undefined;

/** Options of {@link readCapped} and {@link readCappedText}. */
export interface ReadCappedOptions {
  /** The error thrown past the cap. Default: `payload_too_large` (413) with `details.maxBytes`. */
  tooLarge?: () => RelayKitError;
}

function defaultTooLarge(maxBytes: number): RelayKitError {
  return new RequestError('payload_too_large', `The body exceeds ${maxBytes} bytes.`, {
    details: { maxBytes },
  });
}

/**
 * Reads a body into memory, never more than `maxBytes`. A `Request` or `Response` whose `Content-Length` declares
 * more is refused before a byte is read; otherwise the bytes are counted as they arrive and the stream is cancelled
 * as soon as they pass the cap, so a lying or missing length cannot exhaust memory. A missing body is zero bytes.
 *
 * @throws RelayKitError `payload_too_large` (or the error of `options.tooLarge`) past the cap.
 */
export async function readCapped(
  source: CappedSource,
  maxBytes: number,
  options: ReadCappedOptions = {},
): Promise<Uint8Array<ArrayBuffer>> {
  const tooLarge = options.tooLarge ?? (() => defaultTooLarge(maxBytes));
  let stream: ReadableStream<Uint8Array> | null | undefined;
  if (source === null || source === undefined || 'getReader' in source) {
    stream = source as ReadableStream<Uint8Array> | null | undefined;
  } else {
    const declared = source.headers.get('content-length');
    if (declared !== null && Number(declared) > maxBytes) {
      await source.body?.cancel().catch(() => undefined);
      throw tooLarge();
    }
    stream = source.body;
  }
  if (!stream) return new Uint8Array(0);
  const reader = stream.getReader();
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
  if (chunks.length === 1 && chunks[0]!.buffer instanceof ArrayBuffer && chunks[0]!.byteLength === total)
    return chunks[0] as Uint8Array<ArrayBuffer>;
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** {@link readCapped}, decoded as UTF-8 text (malformed bytes become U+FFFD, as `Response.text()` does). */
export async function readCappedText(
  source: CappedSource,
  maxBytes: number,
  options: ReadCappedOptions = {},
): Promise<string> {
  return new TextDecoder().decode(await readCapped(source, maxBytes, options));
}
