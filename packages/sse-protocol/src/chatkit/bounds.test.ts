/**
 * Every bounded field of every ChatKit request, against every hostile value: the answer is always an
 * `invalid_request` RequestError whose first issue names the field, never a pass and never another error.
 */
import { describe, expect, it } from 'vitest';
import { RequestError } from '../errors';
import { boundedJson, boundedJsonRecord, CHATKIT_REQUEST_LIMITS, ChatKitId, MimeType } from './bounds';
import { parseChatKitRequest } from './requests';

const input = () => ({
  content: [{ type: 'input_text', text: 'hi' }] as Record<string, unknown>[],
  attachments: [] as unknown[],
  inference_options: {} as Record<string, unknown>,
});
const tag = { type: 'input_tag', id: 'person-1', text: '@Ann', data: { k: 'v' } };
const action = { type: 'pick', payload: { id: 1 } };

/** A valid body per request type; each case below changes one field of one of them. */
const valid: Record<string, () => Record<string, unknown>> = {
  'threads.create': () => ({ params: { input: input() } }),
  'threads.add_user_message': () => ({ params: { input: input(), thread_id: 'thr_1' } }),
  'threads.add_client_tool_output': () => ({ params: { thread_id: 'thr_1', result: { ok: true } } }),
  'threads.add_structured_input': () => ({
    params: { thread_id: 'thr_1', item_id: 'si_1', input: { answers: { q1: { values: ['a'] } } } },
  }),
  'threads.retry_after_item': () => ({ params: { thread_id: 'thr_1', item_id: 'msg_1' } }),
  'threads.custom_action': () => ({ params: { thread_id: 'thr_1', item_id: 'w_1', action } }),
  'threads.sync_custom_action': () => ({ params: { thread_id: 'thr_1', item_id: 'w_1', action } }),
  'threads.get_by_id': () => ({ params: { thread_id: 'thr_1' } }),
  'threads.list': () => ({ params: { limit: 10, after: 'thr_1' } }),
  'items.list': () => ({ params: { thread_id: 'thr_1', limit: 10, after: 'msg_1' } }),
  'items.feedback': () => ({ params: { thread_id: 'thr_1', item_ids: ['msg_1'], kind: 'positive' } }),
  'attachments.create': () => ({ params: { name: 'a.png', size: 10, mime_type: 'image/png' } }),
  'attachments.delete': () => ({ params: { attachment_id: 'atc_1' } }),
  'threads.update': () => ({ params: { thread_id: 'thr_1', title: 'New' } }),
  'threads.delete': () => ({ params: { thread_id: 'thr_1' } }),
  'input.transcribe': () => ({ params: { audio_base64: 'AAAA', mime_type: 'audio/webm;codecs=opus' } }),
};

const NUL = 'a\u0000b';
const LONE_HIGH = 'a\ud800b';
const LONE_LOW = '\udc00';
const huge = (length: number) => 'x'.repeat(length + 1);

type Kind = 'id' | 'text' | 'limit' | 'name' | 'mime' | 'json';

/** Hostile values per kind of field. */
const BAD: Record<Kind, [string, unknown][]> = {
  id: [
    ['NUL', NUL],
    ['lone surrogate', LONE_HIGH],
    ['empty', ''],
    ['slash', 'thr/1'],
    ['dot-dot', '..'],
    ['path', '../../etc/passwd'],
    ['space', 'thr 1'],
    ['unicode', 'thr_é'],
    ['emoji', 'thr_👋'],
    ['too long', huge(CHATKIT_REQUEST_LIMITS.idLength)],
    ['number', 42],
    ['object', { id: 'x' }],
  ],
  text: [
    ['NUL', NUL],
    ['lone high surrogate', LONE_HIGH],
    ['lone low surrogate', LONE_LOW],
    ['huge', huge(CHATKIT_REQUEST_LIMITS.textLength)],
    ['number', 1],
  ],
  name: [
    ['NUL', NUL],
    ['lone surrogate', LONE_LOW],
    ['huge', huge(CHATKIT_REQUEST_LIMITS.shortTextLength)],
    ['number', 1],
  ],
  mime: [
    ['NUL', 'image/png\u0000'],
    ['no slash', 'png'],
    ['unicode', 'image/pñg'],
    ['newline', 'image/png\r\nx-evil: 1'],
    ['huge', `a/${huge(CHATKIT_REQUEST_LIMITS.mimeTypeLength)}`],
  ],
  limit: [
    ['1e12', 1e12],
    ['-1', -1],
    ['1.5', 1.5],
    ['101', CHATKIT_REQUEST_LIMITS.pageLimit + 1],
    ['string', '10'],
    ['Infinity-like', Number.MAX_VALUE],
  ],
  json: [
    ['NUL in a string', { a: NUL }],
    ['NUL in a key', { [NUL]: 1 }],
    ['lone surrogate deep', { a: [{ b: LONE_HIGH }] }],
    ['too deep', JSON.parse(`${'['.repeat(200)}${']'.repeat(200)}`)],
    ['too big', { a: huge(CHATKIT_REQUEST_LIMITS.payloadBytes) }],
  ],
};

interface FieldCase {
  type: string;
  /** The dotted path of the field, as the issue names it. */
  path: string;
  kind: Kind;
  set: (body: Record<string, unknown>, value: unknown) => void;
}

const params = (body: Record<string, unknown>) => body.params as Record<string, unknown>;
const inputOf = (body: Record<string, unknown>) => params(body).input as ReturnType<typeof input>;

const FIELDS: FieldCase[] = [
  ...['threads.get_by_id', 'threads.delete', 'threads.update', 'items.list', 'threads.add_user_message'].map(
    (type): FieldCase => ({
      type,
      path: 'params.thread_id',
      kind: 'id',
      set: (body, value) => {
        params(body).thread_id = value;
      },
    }),
  ),
  ...[
    'threads.add_client_tool_output',
    'threads.add_structured_input',
    'threads.retry_after_item',
    'threads.custom_action',
    'items.feedback',
  ].map(
    (type): FieldCase => ({
      type,
      path: 'params.thread_id',
      kind: 'id',
      set: (body, value) => {
        params(body).thread_id = value;
      },
    }),
  ),
  ...['threads.retry_after_item', 'threads.add_structured_input', 'threads.sync_custom_action'].map(
    (type): FieldCase => ({
      type,
      path: 'params.item_id',
      kind: 'id',
      set: (body, value) => {
        params(body).item_id = value;
      },
    }),
  ),
  ...['threads.list', 'items.list'].flatMap((type): FieldCase[] => [
    {
      type,
      path: 'params.after',
      kind: 'id',
      set: (body, value) => {
        params(body).after = value;
      },
    },
    {
      type,
      path: 'params.limit',
      kind: 'limit',
      set: (body, value) => {
        params(body).limit = value;
      },
    },
  ]),
  {
    type: 'items.feedback',
    path: 'params.item_ids.0',
    kind: 'id',
    set: (body, value) => {
      params(body).item_ids = [value];
    },
  },
  {
    type: 'attachments.delete',
    path: 'params.attachment_id',
    kind: 'id',
    set: (body, value) => {
      params(body).attachment_id = value;
    },
  },
  {
    type: 'threads.create',
    path: 'params.input.attachments.0',
    kind: 'id',
    set: (body, value) => {
      inputOf(body).attachments = [value];
    },
  },
  ...['threads.create', 'threads.add_user_message'].flatMap((type): FieldCase[] => [
    {
      type,
      path: 'params.input.content.0.text',
      kind: 'text',
      set: (body, value) => {
        inputOf(body).content = [{ type: 'input_text', text: value }];
      },
    },
    {
      type,
      path: 'params.input.quoted_text',
      kind: 'text',
      set: (body, value) => {
        (inputOf(body) as Record<string, unknown>).quoted_text = value;
      },
    },
  ]),
  {
    type: 'threads.create',
    path: 'params.input.content.1.text',
    kind: 'text',
    set: (body, value) => {
      inputOf(body).content.push({ ...tag, text: value });
    },
  },
  {
    type: 'threads.create',
    path: 'params.input.content.0.id',
    kind: 'name',
    set: (body, value) => {
      inputOf(body).content = [{ ...tag, id: value }];
    },
  },
  {
    type: 'threads.create',
    path: 'params.input.inference_options.model',
    kind: 'name',
    set: (body, value) => {
      inputOf(body).inference_options = { model: value };
    },
  },
  {
    type: 'threads.create',
    path: 'params.input.inference_options.tool_choice.id',
    kind: 'name',
    set: (body, value) => {
      inputOf(body).inference_options = { tool_choice: { id: value } };
    },
  },
  {
    type: 'threads.update',
    path: 'params.title',
    kind: 'name',
    set: (body, value) => {
      params(body).title = typeof value === 'string' && value.length > 255 ? huge(512) : value;
    },
  },
  {
    type: 'attachments.create',
    path: 'params.name',
    kind: 'name',
    set: (body, value) => {
      params(body).name = value;
    },
  },
  {
    type: 'attachments.create',
    path: 'params.mime_type',
    kind: 'mime',
    set: (body, value) => {
      params(body).mime_type = value;
    },
  },
  {
    type: 'input.transcribe',
    path: 'params.mime_type',
    kind: 'mime',
    set: (body, value) => {
      params(body).mime_type = value;
    },
  },
  {
    type: 'threads.custom_action',
    path: 'params.action.type',
    kind: 'name',
    set: (body, value) => {
      params(body).action = { type: value };
    },
  },
  {
    type: 'threads.add_structured_input',
    path: 'params.input.answers.q1.values.0',
    kind: 'text',
    set: (body, value) => {
      params(body).input = { answers: { q1: { values: [value] } } };
    },
  },
  {
    type: 'threads.add_client_tool_output',
    path: 'params.result',
    kind: 'json',
    set: (body, value) => {
      params(body).result = value;
    },
  },
  {
    type: 'threads.custom_action',
    path: 'params.action.payload',
    kind: 'json',
    set: (body, value) => {
      params(body).action = { type: 'pick', payload: value };
    },
  },
  {
    type: 'threads.create',
    path: 'metadata',
    kind: 'json',
    set: (body, value) => {
      body.metadata =
        typeof value === 'object' && value !== null && !Array.isArray(value) ? value : { v: value };
    },
  },
  {
    type: 'threads.create',
    path: 'params.input.content.0.data',
    kind: 'json',
    set: (body, value) => {
      inputOf(body).content = [{ ...tag, data: { v: value } }];
    },
  },
];

function errorOf(run: () => unknown): RequestError {
  try {
    run();
  } catch (error) {
    if (error instanceof RequestError) return error;
    throw error;
  }
  throw new Error('expected a RequestError, but the body was accepted');
}

const cases = FIELDS.flatMap((field) =>
  BAD[field.kind].map(([label, value]) => ({ ...field, label, value })),
);

describe('ChatKit request bounds', () => {
  it.each(Object.keys(valid))('accepts the valid %s body the cases start from', (type) => {
    expect(parseChatKitRequest({ type, ...valid[type]?.() }).type).toBe(type);
  });

  it('covers every request type that has a bounded field', () => {
    expect(new Set(cases.map((entry) => entry.type)).size).toBeGreaterThanOrEqual(15);
    expect(cases.length).toBeGreaterThan(150);
  });

  it.each(cases)('$type $path: $label → invalid_request naming the field', ({ type, path, set, value }) => {
    const body = { type, ...valid[type]?.() };
    set(body, value);
    // Both as an object and as the JSON text a client sends (lone surrogates survive as \ud800 escapes).
    for (const form of [body, JSON.stringify(body)]) {
      const error = errorOf(() => parseChatKitRequest(form));
      expect(error.code).toBe('invalid_request');
      const issues = (error.details as { issues: { path: string }[] }).issues;
      expect(issues.map((issue) => issue.path)).toContainEqual(
        expect.stringMatching(`^${path.replaceAll('.', '\\.')}`),
      );
      expect(error.message).toContain(path);
    }
  });

  it('accepts the edges of every bound', () => {
    const limits = CHATKIT_REQUEST_LIMITS;
    const id = 'A'.repeat(limits.idLength);
    const text = `${'é'.repeat(limits.textLength - 2)}👋`;
    const parsed = [
      { type: 'items.list', params: { thread_id: id, limit: limits.pageLimit, after: 'a_b-C9' } },
      { type: 'threads.list', params: { limit: 0 } },
      { type: 'threads.create', params: { input: { ...input(), content: [{ type: 'input_text', text }] } } },
      { type: 'threads.update', params: { thread_id: 'thr_1', title: '' } },
      { type: 'input.transcribe', params: { audio_base64: '', mime_type: 'audio/webm; codecs=opus' } },
      { type: 'threads.add_client_tool_output', params: { thread_id: 'thr_1', result: null } },
      {
        type: 'threads.add_client_tool_output',
        params: { thread_id: 'thr_1', result: 'line\nbreak \u0001' },
      },
    ].map((body) => parseChatKitRequest(JSON.stringify(body)).type);
    expect(parsed).toHaveLength(7);
  });

  it('keeps a __proto__ key of metadata as data', () => {
    const request = parseChatKitRequest(
      '{"type":"threads.list","params":{},"metadata":{"__proto__":{"x":1}}}',
    );
    expect(Object.getOwnPropertyNames(request.metadata)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(request.metadata)).toBe(Object.prototype);
  });
});

describe('bound helpers', () => {
  it('ChatKitId and MimeType accept what the stores and clients produce', () => {
    for (const id of ['thr_4f2257d7', 'msg_00b67d0e', 'atc_1', 'shcx_12345678', crypto.randomUUID()])
      expect(ChatKitId.safeParse(id).success).toBe(true);
    for (const type of ['image/png', 'audio/webm;codecs=opus', 'text/plain; charset=utf-8'])
      expect(MimeType.safeParse(type).success).toBe(true);
  });

  it('boundedJson points at the offending value and checks nesting without recursion limits', () => {
    const result = boundedJson(1000).safeParse({ a: [1, { b: 'x\u0000' }] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['a', 1, 'b']);
    let deep: unknown = 1;
    for (let depth = 0; depth < 100_000; depth++) deep = [deep];
    expect(boundedJson(10_000_000).safeParse(deep).success).toBe(false);
    expect(boundedJsonRecord(10).safeParse({ a: 'b' }).success).toBe(true);
    expect(boundedJsonRecord(10).safeParse([]).success).toBe(false);
  });
});
