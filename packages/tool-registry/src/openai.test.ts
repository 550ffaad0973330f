import { ClientToolCallItem } from '@relaykit/sse-protocol';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createClientToolCallItem, parseClientToolCall } from './chatkit';
import { defineTool } from './define-tool';
import { toolParametersSchema } from './json-schema';
import { toChatCompletionsTool, toResponsesTool } from './openai';

const findEvents = defineTool({
  name: 'find_events',
  description: 'Find events in a city.',
  risk: 'read',
  input: z.object({
    city: z.string().describe('The city.'),
    after: z.string().nullable(),
    filters: z.object({ free: z.boolean(), tags: z.array(z.string()) }),
  }),
  execute: () => [],
});
const withOptional = defineTool({
  name: 'with_optional',
  description: 'Has an optional field.',
  risk: 'read',
  input: z.object({ q: z.string(), limit: z.number().optional() }),
  execute: () => [],
});

describe('OpenAI function tool JSON', () => {
  it('emits a strict schema when every field is required, forbidding extra properties at every level', () => {
    expect(toResponsesTool(findEvents)).toEqual({
      type: 'function',
      name: 'find_events',
      description: 'Find events in a city.',
      strict: true,
      parameters: {
        type: 'object',
        properties: {
          city: { type: 'string', description: 'The city.' },
          after: { type: ['string', 'null'] },
          filters: {
            type: 'object',
            properties: { free: { type: 'boolean' }, tags: { type: 'array', items: { type: 'string' } } },
            required: ['free', 'tags'],
            additionalProperties: false,
          },
        },
        required: ['city', 'after', 'filters'],
        additionalProperties: false,
      },
    });
  });

  it('falls back to non-strict when a field is optional', () => {
    const { schema, strict } = toolParametersSchema(withOptional);
    expect(strict).toBe(false);
    expect(schema.required).toEqual(['q']);
    expect(toChatCompletionsTool(withOptional)).toEqual({
      type: 'function',
      function: {
        name: 'with_optional',
        description: 'Has an optional field.',
        parameters: schema,
        strict: false,
      },
    });
  });
});

describe('ChatKit client tool items', () => {
  it('builds a pending client_tool_call item and parses one back', () => {
    const call = {
      type: 'client_tool_call' as const,
      status: 'pending' as const,
      call_id: 'call_1',
      name: 'pick_date',
      arguments: { label: 'Start' },
    };
    expect(
      createClientToolCallItem(call, {
        id: 'cti_1',
        threadId: 'thr_1',
        createdAt: new Date('2026-01-02T03:04:05Z'),
      }),
    ).toEqual({ ...call, id: 'cti_1', thread_id: 'thr_1', created_at: '2026-01-02T03:04:05.000Z' });
    expect(parseClientToolCall(JSON.stringify(call))).toEqual(call);
    expect(parseClientToolCall('{"error":{"code":"internal"}}')).toBeNull();
    expect(parseClientToolCall('not json')).toBeNull();
    expect(parseClientToolCall({ ...call, status: 'completed' })).toBeNull();
  });

  it('builds the one ClientToolCallItem of @relaykit/sse-protocol (its schema accepts the item as it is)', () => {
    const item = createClientToolCallItem(
      { type: 'client_tool_call', status: 'pending', call_id: 'call_2', name: 'pick_date', arguments: {} },
      { id: 'cti_2', threadId: 'thr_1' },
    );
    expect(ClientToolCallItem.parse(item)).toEqual(item);
  });
});
