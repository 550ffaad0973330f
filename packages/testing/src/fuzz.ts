/**
 * `@relaykit/testing/fuzz`: the hostile-input kit of RelayKit's route fuzz suites (`packages/next/src/routes.fuzz.test.ts`
 * and `apps/web/test/routes.fuzz.test.ts`): seeded fast-check settings, arbitraries for malformed and adversarial
 * requests, and the checks every answer must pass (no status ≥ 500, every error typed JSON with a stable `code`, no
 * stack, SQL or file path in what a client sees). `fast-check` is a peer; no test runner is imported (failures throw
 * `node:assert` errors, which every runner reports).
 *
 * The seed is fixed so CI runs the same inputs every time; set `RELAYKIT_FUZZ_SEED` (and `RELAYKIT_FUZZ_RUNS`, a
 * multiplier) to explore other inputs. A failure prints the seed and the shrunk counterexample.
 */
import { deepStrictEqual } from 'node:assert/strict';
import fc from 'fast-check';

/** The seed of every property unless `RELAYKIT_FUZZ_SEED` says otherwise: CI runs the same inputs every time. */
export const DEFAULT_FUZZ_SEED = 20_261_207;

/** Options of {@link createPropertyChecker}. */
export interface PropertyCheckerOptions {
  /**
   * Where `RELAYKIT_FUZZ_SEED` (the seed) and `RELAYKIT_FUZZ_RUNS` (a multiplier of every property's runs) are read:
   * pass the process environment to honour them. Default: none, so {@link DEFAULT_FUZZ_SEED} and the given run counts.
   */
  env?: Readonly<Record<string, string | undefined>>;
}

/** What {@link createPropertyChecker} returns. */
export interface PropertyChecker {
  /** The seed every property runs with. */
  readonly seed: number;
  /**
   * Runs `property` `runs` times (times `RELAYKIT_FUZZ_RUNS`) with the seed; a failure rethrows with the seed and the
   * way to replay it. Shrinking is capped: each run is a real request against a real store.
   */
  checkProperty<Ts>(name: string, property: fc.IAsyncPropertyWithHooks<Ts>, runs: number): Promise<void>;
}

/** Seeded property runs: the seed and run multiplier come from `options.env` (see {@link PropertyCheckerOptions}). */
export function createPropertyChecker(options: PropertyCheckerOptions = {}): PropertyChecker {
  const seed = Number(options.env?.RELAYKIT_FUZZ_SEED ?? DEFAULT_FUZZ_SEED);
  const runFactor = Number(options.env?.RELAYKIT_FUZZ_RUNS ?? 1);
  return {
    seed,
    async checkProperty(name, property, runs) {
      const numRuns = Math.max(1, Math.round(runs * runFactor));
      try {
        await fc.assert(property, { seed, numRuns, endOnFailure: true });
      } catch (error) {
        const message = `${name}: fuzz failure with seed ${seed} (replay: RELAYKIT_FUZZ_SEED=${seed}).\n${(error as Error).message}`;
        console.error(message);
        throw new Error(message, { cause: error });
      }
    },
  };
}

/** Strings that broke (or could break) a layer: NUL, lone surrogates, bad percent-encoding, paths, SQL, huge. */
export const NASTY_STRINGS: readonly string[] = [
  '',
  ' ',
  'a\u0000b',
  '\u0000',
  'a\ud800b',
  '\udfff',
  '\ud83d',
  '😀\u0000',
  '\u202e\u200b\ufeff',
  '\r\n\r\n',
  '../../etc/passwd',
  '..%2F..%2Fetc',
  '%00',
  '%E0%A4%A',
  '%',
  "'; drop table threads; --",
  '$1',
  '\\',
  '"',
  '<script>alert(1)</script>',
  'null',
  '__proto__',
  'constructor',
  'thr_',
  `thr_${'0'.repeat(200)}`,
  'x'.repeat(5000),
  'msg_00000000',
  'atc_00000000',
  '00000000-0000-0000-0000-000000000000',
];

/** A string for a field: a nasty one, random Unicode (surrogates included), or a short id-like string. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  {
    weight: 2,
    arbitrary: fc.string({
      unit: fc.constantFrom(
        'a',
        'Z',
        '0',
        '_',
        '-',
        '.',
        '/',
        '%',
        ' ',
        '\u0000',
        '\ud800',
        '\udc00',
        '\u00e9',
      ),
      maxLength: 24,
    }),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }).map((tail) => `thr_${tail}`) },
);

/** Numbers a schema might not bound: huge, negative, fractional, unsafe integers. */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -1, 1.5, 1e12, -1e12, 2 ** 31, 2 ** 53 + 2, 1e308, -0, Number.MAX_SAFE_INTEGER),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** A JSON value of the wrong shape for any field: primitives, hostile strings, arrays, objects, nesting. */
export const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 2, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}) },
  { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(hostileString, hostileString, { maxKeys: 3 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.nat(300).map((depth) => nested(depth)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(2_000, 20_000).map((size) => Array.from({ length: size }, () => 'x')),
  },
);

function nested(depth: number): unknown {
  let value: unknown = 'deep';
  for (let level = 0; level < depth; level++) value = level % 2 === 0 ? [value] : { a: value };
  return value;
}

/** Bodies that are not the JSON a route expects: syntax errors, other top-level types, deep nesting, NUL bytes. */
export const malformedJsonText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '{',
    '{"type":',
    '{"type": threads.list}',
    '{"a":1,}',
    "{'type':'threads.list'}",
    'null',
    '[]',
    '"threads.list"',
    '1e999',
    'true',
    '\u0000',
    '{"type":"threads.list"}\u0000',
    '{"type":"threads.list"}{"type":"threads.list"}',
    '\ufeff{"type":"threads.list"}',
    '{"__proto__":{"polluted":true},"type":"threads.list"}',
    '{"type":"\\ud800"}',
    '{"type":"\\u0000"}',
    `${'['.repeat(5000)}${']'.repeat(5000)}`,
    `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`,
    '{"type":"threads.list","params":{"limit":1e12}}',
  ),
  fc.string({ unit: 'binary', maxLength: 64 }),
);

/** Every path of `value`'s leaves and objects (`[]` for the root), for {@link mutated}. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const paths: (string | number)[][] = [prefix];
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((entry, index) => [index, entry])
    : value !== null && typeof value === 'object'
      ? Object.entries(value)
      : [];
  for (const [key, entry] of entries) paths.push(...pathsOf(entry, [...prefix, key]));
  return paths;
}

function setAt(value: unknown, path: (string | number)[], next: unknown, remove: boolean): unknown {
  if (path.length === 0) return remove ? undefined : next;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (Array.isArray(value)) {
    const copy = [...value];
    if (rest.length === 0 && remove) copy.splice(Number(head), 1);
    else copy[Number(head)] = setAt(copy[Number(head)], rest, next, remove);
    return copy;
  }
  const copy: Record<string, unknown> = value !== null && typeof value === 'object' ? { ...value } : {};
  if (rest.length === 0 && remove) delete copy[head];
  else copy[head] = setAt(copy[head], rest, next, remove);
  return copy;
}

/**
 * `template` (a valid body) as is, or with one field replaced by a hostile value, one field removed, or an unknown key
 * added: requests that get past the first checks and reach the code behind them.
 */
export function mutated(template: unknown): fc.Arbitrary<unknown> {
  const paths = pathsOf(template);
  const fields = paths.filter((path) => path.length > 0);
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(template) },
    {
      weight: 5,
      arbitrary: fc
        .tuple(fc.constantFrom(...paths), hostileJson)
        .map(([path, value]) => setAt(template, path, value, false)),
    },
    {
      weight: fields.length > 0 ? 2 : 0,
      arbitrary:
        fields.length > 0
          ? fc.constantFrom(...fields).map((path) => setAt(template, path, undefined, true))
          : fc.constant(template),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...paths), hostileString, hostileJson)
        .map(([path, key, value]) => setAt(template, [...path, key], value, false)),
    },
  );
}

/** How a request is sent: method, content type and (for most) who signs it. */
export const hostileMethod = fc.oneof(
  { weight: 6, arbitrary: fc.constant('POST') },
  { weight: 1, arbitrary: fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD') },
);

export const hostileContentType = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      undefined,
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data',
      'multipart/form-data; boundary=x',
      'application/json; charset=utf-16',
      'image/png',
      ';;;',
    ),
  },
);

/** What a route may answer with; `problems` lists every broken rule (empty when the answer is fine). */
export interface CheckedAnswer {
  status: number;
  text: string;
  json?: unknown;
  problems: string[];
}

/** Markers of internals: stack frames, file paths, SQL or driver errors, connection strings. */
const INTERNALS: [string, RegExp][] = [
  ['a stack frame', /\n\s+at \S|\bat (?:async )?\S+ \((?:file:|node:|\/)/],
  ['a file path', /(?:file:\/\/|node_modules|\/work\/|\/home\/|\/tmp\/|[\w-]+\.(?:ts|js|mjs):\d+)/],
  ['a raw SQLSTATE', /SQLSTATE/],
  [
    'SQL or a driver error',
    /(?:violates|syntax error at|duplicate key|invalid byte sequence|out of range for type|relation "|column "|null value in|current transaction is aborted|PostgresError|ECONNREFUSED|chatkit\.\w+\(|\bpgrst)/i,
  ],
  ['a connection string', /postgres(?:ql)?:\/\/|redis:\/\/|127\.0\.0\.1:\d+/],
];

function internalsIn(text: string): string[] {
  return INTERNALS.filter(([, pattern]) => pattern.test(text)).map(([name]) => name);
}

/** `error` objects inside an SSE stream (`data:` frames whose JSON is or holds an error). */
function streamErrors(text: string): unknown[] {
  const errors: unknown[] = [];
  for (const frame of text.split('\n\n')) {
    const lines = frame.split('\n');
    const event = lines
      .find((line) => line.startsWith('event:'))
      ?.slice(6)
      .trim();
    const data = lines
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).trimStart())
      .join('\n');
    if (data === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(data);
    } catch {
      continue;
    }
    const record = value as Record<string, unknown> | null;
    if (event === 'error' || record?.type === 'error') errors.push(value);
  }
  return errors;
}

/** A code of an SSE `error` event: a RelayKit code or a ChatKit one (`stream.error`, `custom`). */
const CODE = /^[a-z][a-z_.]*$/;

/**
 * Percent-encodes `value` for a URL; a lone surrogate (which `encodeURIComponent` refuses) becomes the bytes a
 * careless client would send for it (`%ED%A0%80`, not valid UTF-8), so hostile ids reach the route.
 */
export function percentEncode(value: string): string {
  let encoded = '';
  // for...of walks code points; a lone surrogate comes out alone.
  for (const char of value) {
    const code = char.charCodeAt(0);
    if (char.length === 1 && code >= 0xd800 && code <= 0xdfff) {
      const bytes = [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)];
      encoded += bytes.map((byte) => `%${byte.toString(16).toUpperCase()}`).join('');
    } else encoded += encodeURIComponent(char);
  }
  return encoded;
}

/** Builds a request; a body on GET/HEAD is dropped (a `Request` cannot carry one). */
export function hostileRequest(
  url: string,
  init: { method: string; headers?: Record<string, string | undefined>; body?: BodyInit | null },
): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(init.headers ?? {}))
    if (value !== undefined) headers.set(name, value);
  const body = init.method === 'GET' || init.method === 'HEAD' ? null : (init.body ?? null);
  return new Request(url, { method: init.method, headers, body });
}

/** Formats a failed check for the assertion message: the request, the status, the problems, the start of the body. */
export function describeFailure(label: string, answer: CheckedAnswer): string {
  return `${label} → ${answer.status}: ${answer.problems.join('; ')}\n${answer.text.slice(0, 600)}`;
}

/**
 * The part of a ChatKit store the checks read and clean up (any `ChatKitStore` of `@relaykit/chatkit-store` fits):
 * the caller's threads, their items, and deleting a thread a probe created.
 */
export interface FuzzThreadStore {
  loadThreads(
    limit: number,
    after: string | null,
    order: 'asc' | 'desc',
    context: { userId: string },
  ): Promise<{ data: readonly { id: string }[] }>;
  loadThreadItems(
    threadId: string,
    after: string | null,
    limit: number,
    order: 'asc' | 'desc',
    context: { userId: string },
  ): Promise<{ data: readonly { id: string; type: string }[] }>;
  deleteThread(threadId: string, context: { userId: string }): Promise<void>;
}

/** A user's threads and their items (`type:id`), oldest first: what a rejected request must leave alone. */
export async function storeSnapshot(
  store: FuzzThreadStore,
  userId: string,
): Promise<Record<string, string[]>> {
  const context = { userId };
  const threads = await store.loadThreads(100, null, 'asc', context);
  const result: Record<string, string[]> = {};
  for (const thread of threads.data) {
    const items = await store.loadThreadItems(thread.id, null, 100, 'asc', context);
    result[thread.id] = items.data.map((item) => `${item.type}:${item.id}`);
  }
  return result;
}

/** Threads whose first item is not a user message (saved without the message that started them). */
export function orphanThreads(state: Record<string, string[]>): string[] {
  return Object.entries(state)
    .filter(([, items]) => !items[0]?.startsWith('user_message:'))
    .map(([id]) => id);
}

/** A RelayKit error-code table: each stable `code` and the HTTP status it means (`RELAYKIT_ERROR_CODES`). */
export type ErrorCodeStatuses = Readonly<Record<string, number>>;

/** What {@link createRouteChecks} returns. */
export interface RouteChecks {
  /**
   * Reads an answer and checks the rules: status < 500; a 4xx is JSON `{ error: { code, message } }` whose code is one
   * of the table's and means that status; no error (JSON or SSE `error` event) shows a stack, a file path, SQL or a
   * connection string.
   */
  checkAnswer(response: Response): Promise<CheckedAnswer>;
  /**
   * Sends one hostile request and checks everything: the answer ({@link RouteChecks.checkAnswer}), no orphan thread of
   * the caller afterwards, and a rejected request (status ≥ 400) left the caller's threads and items exactly as they
   * were (an `AssertionError` otherwise). Threads the request created are deleted afterwards.
   */
  probeRoute(
    store: FuzzThreadStore,
    userId: string,
    label: string,
    send: () => Promise<Response>,
  ): Promise<CheckedAnswer>;
}

/**
 * The answer checks against `errorCodes`, the table of stable codes and their statuses (`RELAYKIT_ERROR_CODES` of
 * `@relaykit/sse-protocol`; passed in, so this package depends on no other RelayKit package).
 */
export function createRouteChecks(errorCodes: ErrorCodeStatuses): RouteChecks {
  async function checkAnswer(response: Response): Promise<CheckedAnswer> {
    const text = await response.text();
    const problems: string[] = [];
    const status = response.status;
    if (status >= 500) problems.push(`status ${status}`);
    let json: unknown;
    const contentType = response.headers.get('content-type') ?? '';
    if (contentType.includes('application/json')) {
      try {
        json = JSON.parse(text);
      } catch {
        problems.push('a JSON content type with a body that is not JSON');
      }
    }
    if (status >= 400) {
      const error = (json as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
      if (!contentType.includes('application/json'))
        problems.push(`a ${status} that is not JSON (${contentType})`);
      else if (typeof error?.code !== 'string' || !Object.hasOwn(errorCodes, error.code))
        problems.push(`a ${status} without a stable error code (${String(error?.code)})`);
      else if (errorCodes[error.code] !== status)
        problems.push(`a ${status} whose code ${error.code} means another status`);
      else if (typeof error.message !== 'string') problems.push(`a ${status} without a message`);
      if (text.includes('"stack"')) problems.push('a stack in the body');
      for (const found of internalsIn(text)) problems.push(`${found} in the error body`);
    }
    if (contentType.includes('text/event-stream')) {
      for (const error of streamErrors(text)) {
        const serialized = JSON.stringify(error);
        const record = error as { code?: unknown; error?: { code?: unknown } };
        const code = record.code ?? record.error?.code;
        if (typeof code !== 'string' || !CODE.test(code)) problems.push('an SSE error without a stable code');
        for (const found of internalsIn(serialized)) problems.push(`${found} in an SSE error`);
      }
    }
    return { status, text, ...(json === undefined ? {} : { json }), problems };
  }

  async function probeRoute(
    store: FuzzThreadStore,
    userId: string,
    label: string,
    send: () => Promise<Response>,
  ): Promise<CheckedAnswer> {
    const before = await storeSnapshot(store, userId);
    const answer = await checkAnswer(await send());
    deepStrictEqual(answer.problems, [], describeFailure(label, answer));
    const after = await storeSnapshot(store, userId);
    deepStrictEqual(orphanThreads(after), [], `${label}: a thread without its user message`);
    if (answer.status >= 400)
      deepStrictEqual(after, before, `${label} was rejected (${answer.status}) but changed the store`);
    // Threads this request made are checked; deleting them keeps the next snapshot small.
    for (const threadId of Object.keys(after))
      if (!(threadId in before)) await store.deleteThread(threadId, { userId });
    return answer;
  }

  return { checkAnswer, probeRoute };
}
