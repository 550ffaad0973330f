import { describe, expect, it } from 'vitest';
import { ClientEffectEvent } from './events';
import { parseChatKitEvent } from './parse';
import { parseChatKitRequest } from './requests';
import { encodeChatKitEvent, serializeChatKitEvent } from './serialize';

/** An object with an own `__proto__` data property, as JSON.parse or fast-check build it. */
function withProto(value: unknown, rest: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  Object.defineProperty(out, '__proto__', { value, writable: true, enumerable: true, configurable: true });
  return Object.assign(out, rest);
}

function ownProto(value: unknown): unknown {
  return Object.getOwnPropertyDescriptor(value, '__proto__')?.value;
}

describe('ChatKit round trip: escaped keys (V8 JSON.parse defect, nodejs/node#63785)', () => {
  it('decodes a "\\n" key after an earlier event carried a "\\\\" key at the same position (shrunk counterexample)', () => {
    const earlier = { type: 'client_effect' as const, name: '', data: { '\r': [], '\\': {} } };
    const later = { type: 'client_effect' as const, name: '', data: { '\r': [], '\n': {} } };
    const first = encodeChatKitEvent(earlier);
    expect(encodeChatKitEvent(parseChatKitEvent(first.slice(6, -2)))).toBe(first);
    const wire = encodeChatKitEvent(later);
    const decoded = parseChatKitEvent(wire.slice(6, -2)) as ClientEffectEvent;
    expect(Object.keys(decoded.data)).toEqual(['\r', '\n']);
    expect(encodeChatKitEvent(decoded)).toBe(wire);
  });

  it('decodes a quote key after a backslash key (the `{"h":1,"\\""}` shape)', () => {
    parseChatKitEvent('{"type":"client_effect","name":"","data":{"h":[],"\\\\":0}}');
    const decoded = parseChatKitEvent('{"type":"client_effect","name":"","data":{"h":1,"\\"":2}}');
    expect(decoded).toEqual({ type: 'client_effect', name: '', data: { h: 1, '"': 2 } });
  });

  it('reads request bodies the same way (input_tag data keys)', () => {
    const body = (key: string) =>
      `{"type":"threads.create","params":{"input":{"content":[{"type":"input_tag","id":"t","text":"@t","data":{"a":1,${key}:2}}],"attachments":[],"inference_options":{}}}}`;
    parseChatKitRequest(body('"\\\\"'));
    const request = parseChatKitRequest(body('"\\n"'));
    const content = (request.params as { input: { content: { data: Record<string, unknown> }[] } }).input
      .content;
    expect(Object.keys(content[0]?.data ?? {})).toEqual(['a', '\n']);
  });
});

describe('ChatKit round trip: __proto__ keys in application-owned JSON stay own properties', () => {
  it('client_effect.data (shrunk counterexample)', () => {
    const event = { type: 'client_effect' as const, name: '', data: withProto([]) };
    const wire = encodeChatKitEvent(event);
    expect(wire).toBe('data: {"type":"client_effect","name":"","data":{"__proto__":[]}}\n\n');
    const decoded = parseChatKitEvent(wire.slice(6, -2)) as ClientEffectEvent;
    expect(ownProto(decoded.data)).toEqual([]);
    expect(Object.getPrototypeOf(decoded.data)).toBe(Object.prototype);
    expect(encodeChatKitEvent(decoded)).toBe(wire);
  });

  it('the schema keeps it without turning it into the prototype', () => {
    const parsed = ClientEffectEvent.parse({
      type: 'client_effect',
      name: 'x',
      data: withProto({ polluted: true }),
    });
    expect(ownProto(parsed.data)).toEqual({ polluted: true });
    expect((parsed.data as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('client tool call arguments and output', () => {
    const item = {
      id: 'ctc_1',
      thread_id: 'thr_1',
      created_at: '2026-11-23T11:37:30',
      type: 'client_tool_call',
      status: 'completed',
      call_id: 'call_1',
      name: 'pick',
      arguments: withProto({ a: 1 }, { b: 2 }),
      output: withProto('out'),
    };
    const json = serializeChatKitEvent({ type: 'thread.item.done', item } as never);
    expect(json).toContain('"arguments":{"__proto__":{"a":1},"b":2}');
    expect(json).toContain('"output":{"__proto__":"out"}');
    const decoded = parseChatKitEvent(json) as { item: { arguments: unknown; output: unknown } };
    expect(ownProto(decoded.item.arguments)).toEqual({ a: 1 });
    expect(ownProto(decoded.item.output)).toBe('out');
    expect(serializeChatKitEvent(decoded as never)).toBe(json);
  });

  it('input_tag data and request metadata in a request body', () => {
    const request = parseChatKitRequest(
      '{"type":"threads.create","metadata":{"__proto__":1},"params":{"input":{"content":[{"type":"input_tag","id":"t","text":"@t","data":{"__proto__":{"k":"v"}}}],"attachments":[],"inference_options":{}}}}',
    );
    expect(ownProto(request.metadata)).toBe(1);
    const content = (request.params as { input: { content: { data: Record<string, unknown> }[] } }).input
      .content;
    expect(ownProto(content[0]?.data)).toEqual({ k: 'v' });
  });

  it('events of an unknown type pass through with their __proto__ keys', () => {
    const json = '{"type":"future.event","__proto__":{"a":null,"b":1},"x":null}';
    const decoded = parseChatKitEvent(json);
    expect(serializeChatKitEvent(decoded)).toBe('{"type":"future.event","__proto__":{"b":1}}');
  });

  it('an invalid record is still rejected with invalid_type', () => {
    const result = ClientEffectEvent.safeParse({ type: 'client_effect', name: 'x', data: [1] });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => [issue.code, issue.path.join('.')])).toEqual([
      ['invalid_type', 'data'],
    ]);
  });
});
