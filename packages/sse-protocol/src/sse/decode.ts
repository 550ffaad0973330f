/**
 * SSE decoding on `eventsource-parser`: UTF-8 bytes (split anywhere) → messages, with a cap on event size.
 */
import { createParser, type ParseError } from 'eventsource-parser';
import { RequestError } from '../errors';
import type { SSEMessage } from './encode';
import { parseJsonText } from './json';

/** The default cap on one event's buffered size: 1 MiB of characters. */
export const DEFAULT_MAX_EVENT_SIZE = 1024 * 1024;

/** Options of {@link createEventStreamDecoder}. */
export interface EventStreamDecoderOptions {
  /**
   * The largest event accepted, in characters (UTF-16 code units) of buffered data; default 1 MiB. A larger event
   * errors the stream with `payload_too_large`; the events before it have already been delivered.
   */
  maxEventSize?: number;
  /**
   * Fail on anything the SSE format says to ignore: unknown fields, an invalid `retry:` value, bytes that are not
   * UTF-8. The stream errors with `invalid_request`. Default `false`: those are reported to `onWarning` and skipped,
   * as browsers do (invalid bytes become U+FFFD).
   */
  strict?: boolean;
  /** Called with each `retry:` value (milliseconds). */
  onRetry?: (milliseconds: number) => void;
  /** Called with each comment (for example `ping` for a heartbeat). */
  onComment?: (comment: string) => void;
  /** Called, when not strict, for each malformed line that was skipped. */
  onWarning?: (warning: RequestError) => void;
}

/** True for the OpenAI end-of-stream sentinel `data: [DONE]`. */
export function isDoneMessage(message: SSEMessage): boolean {
  return message.data === '[DONE]';
}

function tooLarge(maxEventSize: number): RequestError {
  return new RequestError(
    'payload_too_large',
    `An SSE event is larger than the ${maxEventSize}-character cap.`,
    {
      details: { maxEventSize },
    },
  );
}

function malformed(error: ParseError): RequestError {
  return new RequestError('invalid_request', `Malformed SSE: ${error.message}`, {
    cause: error,
    details: { type: error.type, field: error.field, line: error.line },
  });
}

/** A push-style SSE parser: feed it bytes or text, get messages through a callback. */
export interface EventStreamParser {
  /**
   * Parses one more chunk; every complete message in it is passed to `onMessage` before `feed` returns.
   *
   * @throws RelayKitError `payload_too_large` or `invalid_request` (see {@link createEventStreamDecoder}), or what
   *   `onMessage` threw, after delivering every message before the bad one. Once failed, every later call throws
   *   the same error.
   */
  feed(chunk: Uint8Array | string): void;
  /** Ends the input: flushes a split UTF-8 tail and drops an unterminated last event. Throws like `feed`. */
  end(): void;
}

/**
 * The parser behind {@link createEventStreamDecoder}, without streams: for a `fetch` body read in a loop, or for
 * a decoder that maps messages straight to typed events in one stage.
 */
export function createEventStreamParser(
  onMessage: (message: SSEMessage) => void,
  options: EventStreamDecoderOptions = {},
): EventStreamParser {
  const maxEventSize = options.maxEventSize ?? DEFAULT_MAX_EVENT_SIZE;
  const strict = options.strict ?? false;
  // ignoreBOM keeps a BOM in the text so that the parser strips exactly one, as the SSE format says.
  const textDecoder = new TextDecoder('utf-8', { fatal: strict, ignoreBOM: true });
  let failure: unknown;
  let failed = false;

  const fail = (error: unknown) => {
    if (failed) return;
    failed = true;
    failure = error;
  };

  const parser = createParser({
    maxBufferSize: maxEventSize,
    onEvent(event) {
      if (failed) return;
      if (event.data.length > maxEventSize) return fail(tooLarge(maxEventSize));
      const message: SSEMessage = { data: event.data };
      if (event.event !== undefined) message.event = event.event;
      if (event.id !== undefined) message.id = event.id;
      if (event.data === '[DONE]') message.done = true;
      try {
        onMessage(message);
      } catch (error) {
        fail(error);
      }
    },
    onRetry: options.onRetry,
    onComment: options.onComment,
    onError(error) {
      if (error.type === 'max-buffer-size-exceeded') return fail(tooLarge(maxEventSize));
      if (strict) return fail(malformed(error));
      options.onWarning?.(malformed(error));
    },
  });

  const decode = (bytes?: Uint8Array): string => {
    try {
      return bytes === undefined ? textDecoder.decode() : textDecoder.decode(bytes, { stream: true });
    } catch (error) {
      fail(
        new RequestError('invalid_request', 'Malformed SSE: the stream is not valid UTF-8.', {
          cause: error,
          details: { type: 'invalid-utf8' },
        }),
      );
      return '';
    }
  };
  const feedText = (text: string) => {
    if (text !== '' && !failed) parser.feed(text);
    if (failed) throw failure;
  };

  return {
    feed(chunk) {
      if (failed) throw failure;
      feedText(typeof chunk === 'string' ? chunk : decode(chunk));
    },
    end() {
      if (failed) throw failure;
      feedText(decode());
      parser.reset();
    },
  };
}

/**
 * A `TransformStream` from SSE bytes (or text) to messages, built on `eventsource-parser`. Handles CRLF, CR and LF
 * line breaks, UTF-8 sequences split across chunks, one leading BOM, comments and `retry:`. `data: [DONE]` comes
 * out as a message with `done: true`. An event not terminated by a blank line when the input ends is dropped, as
 * the SSE format requires.
 *
 * Errors (the output stream errors with a `RelayKitError`, after every event that came before the bad one):
 * - `payload_too_large`: an event exceeds `maxEventSize`;
 * - `invalid_request`: malformed input in `strict` mode.
 */
export function createEventStreamDecoder(
  options: EventStreamDecoderOptions = {},
): TransformStream<Uint8Array | string, SSEMessage> {
  return createMappedDecoder((message) => message, options);
}

/**
 * An SSE decoder stream that maps each message in the same stage (one stream hop per chunk, not per event).
 * A throwing `map` errors the stream after the messages before it.
 */
export function createMappedDecoder<T>(
  map: (message: SSEMessage) => T,
  options: EventStreamDecoderOptions = {},
): TransformStream<Uint8Array | string, T> {
  let parser!: EventStreamParser;
  return new TransformStream<Uint8Array | string, T>({
    start(controller) {
      parser = createEventStreamParser((message) => controller.enqueue(map(message)), options);
    },
    transform(chunk) {
      parser.feed(chunk);
    },
    flush() {
      parser.end();
    },
  });
}

/**
 * Parses the JSON payload of one message.
 *
 * @throws RequestError `invalid_request` (details: `{type: 'invalid-json', data}` with the first 200 characters)
 *   when `data` is not valid JSON.
 */
export function parseEventData(message: SSEMessage): unknown {
  try {
    return parseJsonText(message.data);
  } catch (error) {
    throw new RequestError('invalid_request', 'An SSE event does not hold valid JSON.', {
      cause: error,
      details: {
        type: 'invalid-json',
        event: message.event,
        id: message.id,
        data: message.data.slice(0, 200),
      },
    });
  }
}
