/**
 * JSON text → value, guarded against a V8 defect in `JSON.parse` (nodejs/node#63785, crbug 521080746; seen on
 * Node 24.x and 26.x): an object key written with an escape can decode to the wrong string when an earlier parse,
 * anywhere in the process, created an object with a key at the same position whose text is the same prefix ending
 * in a backslash. After `JSON.parse('{"a":1,"\\\\":2}')`, `JSON.parse('{"a":1,"\\n":2}')` yields the key `"\\"`
 * instead of `"\n"` (the same for `\"`, `\t`, ...). The engine follows the hidden-class transition it remembers for
 * that key while reading the raw source, so the outcome depends on what the process parsed before.
 *
 * Texts whose keys hold no escape (nearly all of them: escapes in string values are fine) still go through the
 * native `JSON.parse`; a text with an escaped key is read by the small strict reader below, which gives the same
 * value `JSON.parse` specifies (own data properties, `__proto__` included; a repeated key keeps its first position
 * and its last value).
 */

/** A JSON string token, aligned from the start of a valid JSON text (outside strings JSON has no `"`). */
const STRING_TOKEN = /"(?:[^"\\]|\\.)*"/g;
const WHITESPACE = /[ \t\n\r]*/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/** True when some object key of the JSON text is written with an escape (`\`). */
export function hasEscapedKey(text: string): boolean {
  if (!text.includes('\\')) return false;
  STRING_TOKEN.lastIndex = 0;
  for (let match = STRING_TOKEN.exec(text); match !== null; match = STRING_TOKEN.exec(text)) {
    if (!match[0].includes('\\')) continue;
    let next = STRING_TOKEN.lastIndex;
    while (
      next < text.length &&
      (text[next] === ' ' || text[next] === '\t' || text[next] === '\n' || text[next] === '\r')
    ) {
      next++;
    }
    if (text[next] === ':') return true;
  }
  return false;
}

class Reader {
  position = 0;

  constructor(private readonly text: string) {}

  fail(expected: string): never {
    throw new SyntaxError(`Expected ${expected} at position ${this.position} in JSON text.`);
  }

  skipWhitespace(): void {
    WHITESPACE.lastIndex = this.position;
    WHITESPACE.exec(this.text);
    this.position = WHITESPACE.lastIndex;
  }

  value(): unknown {
    this.skipWhitespace();
    const char = this.text[this.position];
    if (char === '{') return this.object();
    if (char === '[') return this.array();
    if (char === '"') return this.string();
    if (this.text.startsWith('true', this.position)) return this.literal(4, true);
    if (this.text.startsWith('false', this.position)) return this.literal(5, false);
    if (this.text.startsWith('null', this.position)) return this.literal(4, null);
    NUMBER.lastIndex = this.position;
    const number = NUMBER.exec(this.text);
    if (number === null || number[0] === '') this.fail('a JSON value');
    this.position = NUMBER.lastIndex;
    return Number(number[0]);
  }

  literal<T>(length: number, value: T): T {
    this.position += length;
    return value;
  }

  object(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.position++;
    this.skipWhitespace();
    if (this.text[this.position] === '}') {
      this.position++;
      return out;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.position] !== '"') this.fail('a string key');
      const key = this.string();
      this.skipWhitespace();
      if (this.text[this.position] !== ':') this.fail('":"');
      this.position++;
      // CreateDataProperty, as JSON.parse does: `__proto__` becomes an own property, never the prototype.
      Object.defineProperty(out, key, {
        value: this.value(),
        writable: true,
        enumerable: true,
        configurable: true,
      });
      this.skipWhitespace();
      const separator = this.text[this.position++];
      if (separator === '}') return out;
      if (separator !== ',') this.fail('"," or "}"');
    }
  }

  array(): unknown[] {
    const out: unknown[] = [];
    this.position++;
    this.skipWhitespace();
    if (this.text[this.position] === ']') {
      this.position++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.skipWhitespace();
      const separator = this.text[this.position++];
      if (separator === ']') return out;
      if (separator !== ',') this.fail('"," or "]"');
    }
  }

  string(): string {
    this.position++;
    let out = '';
    for (;;) {
      const start = this.position;
      // Plain characters: anything but a quote, a backslash or a control character (U+0000 to U+001F).
      for (let code = this.text.charCodeAt(this.position); code >= 0x20 && code !== 0x22 && code !== 0x5c; ) {
        code = this.text.charCodeAt(++this.position);
      }
      out += this.text.slice(start, this.position);
      const char = this.text[this.position++];
      if (char === '"') return out;
      if (char !== '\\') this.fail('a closing quote');
      const escaped = this.text[this.position++] ?? '';
      if (escaped === 'u') {
        const hex = this.text.slice(this.position, this.position + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('four hex digits');
        out += String.fromCharCode(Number.parseInt(hex, 16));
        this.position += 4;
      } else {
        const decoded = Object.hasOwn(ESCAPES, escaped) ? ESCAPES[escaped] : undefined;
        if (decoded === undefined) this.fail('a JSON escape');
        out += decoded;
      }
    }
  }
}

/**
 * `JSON.parse(text)` (no reviver) without the escaped-key defect described in the module notes.
 *
 * @throws SyntaxError when the text is not JSON, as `JSON.parse` does.
 */
export function parseJsonText(text: string): unknown {
  if (!hasEscapedKey(text)) return JSON.parse(text);
  // Invalid text is rejected by JSON.parse with its usual message; only valid text reaches the reader.
  JSON.parse(text);
  const reader = new Reader(text);
  const value = reader.value();
  reader.skipWhitespace();
  if (reader.position !== text.length) reader.fail('the end of the JSON text');
  return value;
}
