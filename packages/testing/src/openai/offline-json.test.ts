import { describe, expect, it } from 'vitest';
import { offlineJsonInstance, requestedJsonSchema } from './offline-json';

describe('offline structured output', () => {
  it('finds the schema of a Responses or Chat Completions request', () => {
    const schema = { type: 'object', properties: {} };
    expect(requestedJsonSchema({ text: { format: { type: 'json_schema', name: 'x', schema } } })).toBe(
      schema,
    );
    expect(
      requestedJsonSchema({ response_format: { type: 'json_schema', json_schema: { name: 'x', schema } } }),
    ).toBe(schema);
    expect(requestedJsonSchema({ text: { format: { type: 'text' } } })).toBeUndefined();
  });

  it('builds the smallest valid instance: refs, unions, enums, consts and bounds', () => {
    const schema = {
      type: 'object',
      properties: {
        item: { $ref: '#/$defs/item' },
        choice: { anyOf: [{ type: 'integer', minimum: 3 }, { type: 'string' }] },
        fixed: { const: 'v1' },
        code: { type: 'string', maxLength: 4 },
        padded: { type: 'string', minLength: 24 },
        list: { type: 'array', items: { type: 'number', exclusiveMinimum: 1.5 }, minItems: 2 },
        negative: { type: 'integer', minimum: -100, maximum: -7 },
        wide: { type: 'integer', minimum: -9007199254740991, maximum: 9007199254740991 },
        maybe: { type: ['null', 'boolean'] },
      },
      $defs: { item: { type: 'object', properties: { kind: { enum: ['a', 'b'] } } } },
    };
    expect(offlineJsonInstance(schema)).toEqual({
      item: { kind: 'a' },
      choice: 3,
      fixed: 'v1',
      code: '[off',
      padded: '[offline demo model]....',
      list: [2, 2],
      negative: -7,
      wide: 0,
      maybe: false,
    });
  });
});
