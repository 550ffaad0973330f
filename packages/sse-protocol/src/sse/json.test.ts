import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEventData } from './decode';
import { hasEscapedKey, parseJsonText } from './json';

/**
 * Primes the V8 `JSON.parse` key defect (nodejs/node#63785): an earlier parse of an object whose key at the same
 * position is a lone backslash makes a later escaped key there (`\n`, `\"`, `\t`) come back as `\`.
 */
function poison(): void {
  JSON.parse('{"a":1,"\\\\":2}');
  JSON.parse('{"h":[],"\\\\":0}');
}

describe('parseJsonText (JSON.parse without the escaped-key defect)', () => {
  it('decodes escaped keys correctly after the process parsed a backslash key at the same position', () => {
    poison();
    expect(Object.keys(parseJsonText('{"a":1,"\\n":2}') as object)).toEqual(['a', '\n']);
    expect(Object.keys(parseJsonText('{"h":1,"\\"":2}') as object)).toEqual(['h', '"']);
    expect(Object.keys(parseJsonText('{"a":1,"\\t":2}') as object)).toEqual(['a', '\t']);
    expect(parseJsonText('{"a":1,"\\\\":2}')).toEqual({ a: 1, '\\': 2 });
  });

  it('agrees with JSON.stringify on any JSON value, keys with escapes included (after poisoning)', () => {
    poison();
    const key = fc.string({
      unit: fc.oneof(
        fc.constantFrom('\n', '\r', '"', '\\', '\t', '/', '\u0001'),
        fc.string({ unit: 'grapheme', maxLength: 1 }),
      ),
    });
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { maxDepth: 3 },
        fc.constantFrom(null, true, false, 0, -1.5e300, 42),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        key,
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(key, tie('value'), { maxKeys: 5 }),
      ),
    })).value;
    fc.assert(
      fc.property(json, (value) => {
        const text = JSON.stringify(value);
        // Stringify → parse → stringify is the identity on JSON text; the reader and the native parse must agree.
        expect(JSON.stringify(parseJsonText(text))).toBe(text);
        expect(JSON.stringify(parseJsonText(JSON.stringify(value, null, 2)))).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps __proto__ as an own property and a repeated key at its first position with its last value', () => {
    const value = parseJsonText('{"\\n":0,"__proto__":{"x":1},"b":1,"\\n":2}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['\n', '__proto__', 'b']);
    expect(Object.getOwnPropertyDescriptor(value, '__proto__')?.value).toEqual({ x: 1 });
    expect(value['\n']).toBe(2);
  });

  it('rejects what JSON.parse rejects, with a SyntaxError', () => {
    for (const text of ['{"\\n":}', '{"\\n":1,}', '{"\\q":1}', '{"\\n":1} x', '{"\\u12":1}', '']) {
      expect(() => parseJsonText(text), text).toThrow(SyntaxError);
    }
  });

  it('tells escaped keys from escapes in string values', () => {
    expect(hasEscapedKey('{"a":"x\\ny","b":["\\":"]}')).toBe(false);
    expect(hasEscapedKey('{"a":"\\\\", "b\\n" :1}')).toBe(true);
    expect(hasEscapedKey('[{"k\\"":1}]')).toBe(true);
    expect(hasEscapedKey('{"plain":1}')).toBe(false);
  });

  it('is what parseEventData uses for SSE payloads', () => {
    poison();
    expect(Object.keys(parseEventData({ data: '{"a":1,"\\n":2}' }) as object)).toEqual(['a', '\n']);
  });
});
