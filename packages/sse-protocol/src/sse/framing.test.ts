import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RelayKitError } from '../errors';
import { createEventStreamDecoder, createEventStreamParser, isDoneMessage, parseEventData } from './decode';
import {
  createEventStreamEncoder,
  encodeComment,
  encodeEvent,
  type SSEComment,
  type SSEMessage,
} from './encode';

const utf8 = new TextEncoder();

function streamOf<T>(chunks: T[]): ReadableStream<T> {
  return new ReadableStream<T>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

/** Reads everything a stream yields, and the error it ended with, if any. */
async function drain<T>(stream: ReadableStream<T>): Promise<{ values: T[]; error?: unknown }> {
  const values: T[] = [];
  try {
    for await (const value of stream) values.push(value);
    return { values };
  } catch (error) {
    return { values, error };
  }
}

function decode(chunks: (Uint8Array | string)[], options?: Parameters<typeof createEventStreamDecoder>[0]) {
  return drain(streamOf(chunks).pipeThrough(createEventStreamDecoder(options)));
}

/** Splits bytes at the given (sorted, deduplicated) cut points. */
function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const parts: Uint8Array[] = [];
  let start = 0;
  for (const point of points) {
    parts.push(bytes.subarray(start, point));
    start = point;
  }
  parts.push(bytes.subarray(start));
  return parts;
}

describe('encodeEvent', () => {
  it('writes event, id, retry and one data line per line of data', () => {
    expect(encodeEvent({ data: 'hello' })).toBe('data: hello\n\n');
    expect(encodeEvent({ data: '{"a":1}', event: 'chunk', id: '7', retry: 3000 })).toBe(
      'event: chunk\nid: 7\nretry: 3000\ndata: {"a":1}\n\n',
    );
    expect(encodeEvent({ data: 'a\nb\r\nc\rd' })).toBe('data: a\ndata: b\ndata: c\ndata: d\n\n');
    expect(encodeEvent({ data: '' })).toBe('data: \n\n');
    expect(encodeEvent({ data: 'trailing\n' })).toBe('data: trailing\ndata: \n\n');
  });

  it('writes comments for heartbeats', () => {
    expect(encodeComment()).toBe(': ping\n\n');
    expect(encodeComment('two\nlines')).toBe(': two\n: lines\n\n');
  });

  it('rejects fields that would break the framing with invalid_request', () => {
    const bad: SSEMessage[] = [
      { data: 'x', event: 'a\nb' },
      { data: 'x', id: 'a\rb' },
      { data: 'x', id: 'a\0b' },
      { data: 'x', retry: -1 },
      { data: 'x', retry: 1.5 },
      { data: 42 as unknown as string },
    ];
    for (const message of bad) {
      expect(() => encodeEvent(message)).toThrow(expect.objectContaining({ code: 'invalid_request' }));
    }
  });

  it('errors the encoder stream on a bad message without writing part of it', async () => {
    const messages: (SSEMessage | SSEComment)[] = [
      { data: 'ok', id: '1' },
      { comment: 'ping' },
      { data: 'x', event: 'a\nb' },
    ];
    const { values, error } = await drain(streamOf(messages).pipeThrough(createEventStreamEncoder()));
    expect(values.map((chunk) => new TextDecoder().decode(chunk))).toEqual([
      'id: 1\ndata: ok\n\n',
      ': ping\n\n',
    ]);
    expect(error).toMatchObject({ code: 'invalid_request' });
  });
});

describe('createEventStreamDecoder', () => {
  it('decodes CRLF, CR and LF line breaks alike', async () => {
    for (const nl of ['\n', '\r\n', '\r']) {
      const text = `event: chunk${nl}id: 1${nl}data: a${nl}data: b${nl}${nl}data: c${nl}${nl}`;
      const { values } = await decode([text]);
      expect(values).toEqual([{ data: 'a\nb', event: 'chunk', id: '1' }, { data: 'c' }]);
    }
  });

  it('reassembles UTF-8 sequences split across chunks, byte by byte', async () => {
    const bytes = utf8.encode('data: héllo 😀 世界\n\n');
    const { values } = await decode([...bytes].map((byte) => new Uint8Array([byte])));
    expect(values).toEqual([{ data: 'héllo 😀 世界' }]);
  });

  it('strips exactly one leading BOM, also when split', async () => {
    const bom = new Uint8Array([0xef, 0xbb, 0xbf]);
    const { values } = await decode([bom.subarray(0, 1), bom.subarray(1), utf8.encode('data: x\n\n')]);
    expect(values).toEqual([{ data: 'x' }]);
    const twice = await decode([utf8.encode('\uFEFF\uFEFFdata: y\n\n')]);
    expect(twice.values).toEqual([]); // the second BOM makes the first line an unknown field name
  });

  it('surfaces [DONE] as a flagged message', async () => {
    const { values } = await decode(['data: {"x":1}\n\ndata: [DONE]\n\n']);
    expect(values).toEqual([{ data: '{"x":1}' }, { data: '[DONE]', done: true }]);
    expect(values.map(isDoneMessage)).toEqual([false, true]);
  });

  it('reports comments and retry, and drops an unterminated last event', async () => {
    const comments: string[] = [];
    const retries: number[] = [];
    const { values } = await decode([': ping\n\nretry: 2500\n\ndata: kept\n\ndata: cut off'], {
      onComment: (comment) => comments.push(comment),
      onRetry: (retry) => retries.push(retry),
    });
    expect(values).toEqual([{ data: 'kept' }]);
    expect(comments).toEqual(['ping']);
    expect(retries).toEqual([2500]);
  });

  it('errors with payload_too_large on an oversized event, after delivering the events before it', async () => {
    const big = 'x'.repeat(200);
    for (const chunks of [
      [`data: one\n\ndata: ${big}\n\ndata: after\n\n`], // the big event is complete inside one chunk
      ['data: one\n\ndata: ', big.slice(0, 100), big.slice(100), '\n\ndata: after\n\n'], // it grows across chunks
    ]) {
      const { values, error } = await decode(chunks, { maxEventSize: 100 });
      expect(values).toEqual([{ data: 'one' }]);
      expect(RelayKitError.isInstance(error) && error.code).toBe('payload_too_large');
    }
    const { values, error } = await decode([`data: ${'y'.repeat(100)}\n\n`], { maxEventSize: 100 });
    expect(error).toBeUndefined();
    expect(values[0]?.data).toHaveLength(100);
  });

  it('skips malformed lines by default and fails on them in strict mode', async () => {
    const warnings: string[] = [];
    const input = 'data: a\n\nbogus: field\nretry: soon\ndata: b\n\n';
    const lenient = await decode([input], { onWarning: (warning) => warnings.push(warning.code) });
    expect(lenient.values).toEqual([{ data: 'a' }, { data: 'b' }]);
    expect(warnings).toEqual(['invalid_request', 'invalid_request']);

    const strict = await decode([input], { strict: true });
    expect(strict.values).toEqual([{ data: 'a' }]);
    expect(strict.error).toMatchObject({ code: 'invalid_request', details: { type: 'unknown-field' } });

    const badUtf8 = await decode([new Uint8Array([0x64, 0x61, 0x74, 0x61, 0x3a, 0xff, 0x0a, 0x0a])], {
      strict: true,
    });
    expect(badUtf8.error).toMatchObject({ code: 'invalid_request', details: { type: 'invalid-utf8' } });
    const replaced = await decode([new Uint8Array([0x64, 0x61, 0x74, 0x61, 0x3a, 0xff, 0x0a, 0x0a])]);
    expect(replaced.values).toEqual([{ data: '\uFFFD' }]);
  });

  it('parses JSON payloads with a typed error for invalid JSON', () => {
    expect(parseEventData({ data: '{"a":[1]}' })).toEqual({ a: [1] });
    expect(() => parseEventData({ data: '{"a":', event: 'chunk' })).toThrow(
      expect.objectContaining({
        code: 'invalid_request',
        details: expect.objectContaining({ type: 'invalid-json' }),
      }),
    );
  });
});

/** What UTF-8 encoding does to a string: each lone surrogate becomes U+FFFD. */
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

describe('createEventStreamParser', () => {
  it('delivers messages synchronously, then throws the same typed error on every call once failed', () => {
    const seen: string[] = [];
    const parser = createEventStreamParser((message) => seen.push(message.data), { maxEventSize: 10 });
    parser.feed(utf8.encode('data: a\n\ndata: b'));
    expect(seen).toEqual(['a']);
    parser.feed('\n\n');
    expect(seen).toEqual(['a', 'b']);
    let first: unknown;
    try {
      parser.feed(`data: ${'z'.repeat(20)}\n\ndata: c\n\n`);
    } catch (error) {
      first = error;
    }
    expect(first).toMatchObject({ code: 'payload_too_large' });
    expect(seen).toEqual(['a', 'b']);
    expect(() => parser.feed('data: d\n\n')).toThrow(first as Error);
    expect(() => parser.end()).toThrow(first as Error);
  });

  it('stops at a message the callback rejects, without delivering later ones', () => {
    const seen: unknown[] = [];
    const parser = createEventStreamParser((message) => seen.push(parseEventData(message)));
    expect(() => parser.feed('data: 1\n\ndata: nope\n\ndata: 3\n\n')).toThrow(
      expect.objectContaining({ code: 'invalid_request' }),
    );
    expect(seen).toEqual([1]);
  });
});

describe('encode → decode round trips (property tests)', () => {
  const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));
  const fieldText = fc
    .string({ unit: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 1 }), loneSurrogate), maxLength: 20 })
    .map((s) => s.replace(/[\r\n\0]/g, ''));
  const message = fc.record(
    {
      data: fc.string({
        unit: fc.oneof(
          fc.constantFrom('\n', '\r', '\r\n', ' ', ':', '[DONE]'),
          loneSurrogate,
          fc.string({ unit: 'binary' }),
        ),
      }),
      event: fieldText.filter((s) => s.length > 0),
      id: fieldText,
    },
    { requiredKeys: ['data'] },
  );

  it('gives back every message (line breaks as \\n, lone surrogates as U+FFFD) over arbitrary chunk splits', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(message, { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        async (messages, cuts) => {
          const bytes = utf8.encode(messages.map(encodeEvent).join(''));
          const { values, error } = await decode(split(bytes, cuts));
          expect(error).toBeUndefined();
          const expected = messages.map((m) => {
            const data = wellFormed(m.data).replace(/\r\n|\r/g, '\n');
            const out: SSEMessage = { data };
            // A leading space after the field colon is part of the framing, so event/id are compared as decoded.
            if (m.event !== undefined) out.event = wellFormed(m.event);
            if (m.id !== undefined) out.id = wellFormed(m.id);
            if (data === '[DONE]') out.done = true;
            return out;
          });
          expect(values).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('round-trips JSON payloads of arbitrary unicode through the byte encoder stream', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.jsonValue(), { maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        async (values, cuts) => {
          const frames = await drain(
            streamOf(
              values.map((value, index) => ({ data: JSON.stringify(value), id: String(index) })),
            ).pipeThrough(createEventStreamEncoder()),
          );
          const joined = new Uint8Array(frames.values.reduce((n, chunk) => n + chunk.length, 0));
          let offset = 0;
          for (const chunk of frames.values) {
            joined.set(chunk, offset);
            offset += chunk.length;
          }
          const decoded = await decode(split(joined, cuts));
          expect(decoded.values.map((m) => JSON.parse(m.data))).toEqual(
            values.map((v) => JSON.parse(JSON.stringify(v))),
          );
          expect(decoded.values.map((m) => m.id)).toEqual(values.map((_, index) => String(index)));
        },
      ),
      { numRuns: 200 },
    );
  });
});
