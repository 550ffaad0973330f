import fc from 'fast-check';
import { expect, it } from 'vitest';
import { createEventStreamParser } from '../sse/decode';
import type { ThreadStreamEventInput } from './events';
import { parseChatKitEvent } from './parse';
import { encodeChatKitEvent } from './serialize';

// Well-formed text (lone surrogates are covered by the framing property tests), newlines and quotes included.
const text = fc.string({
  unit: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 1 }), fc.constantFrom('\n', '\r', '"', '\\')),
});

const event: fc.Arbitrary<ThreadStreamEventInput> = fc.oneof(
  fc.record({
    type: fc.constant('thread.item.updated' as const),
    item_id: text,
    update: fc.record({
      type: fc.constant('assistant_message.content_part.text_delta' as const),
      content_index: fc.nat({ max: 5 }),
      delta: text,
    }),
  }),
  fc.record({
    type: fc.constant('progress_update' as const),
    text,
    icon: fc.option(text, { nil: undefined }),
  }),
  fc.record({
    type: fc.constant('notice' as const),
    level: fc.constantFrom('info', 'warning', 'danger'),
    message: text,
  }),
  fc.record({
    type: fc.constant('client_effect' as const),
    name: text,
    data: fc.dictionary(text, fc.jsonValue()),
  }),
);

/**
 * The expected value: the original as JSON carries it (no undefined fields, -0 as 0), own `__proto__` keys kept. Deliberately not
 * `JSON.parse(JSON.stringify(...))`: native JSON.parse can decode an escaped key wrongly after an earlier parse
 * (the V8 defect `parseJsonText` in ../sse/json works around), which made this oracle itself flaky.
 */
function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUndefined);
  if (Object.is(value, -0)) return 0;
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (field === undefined) continue;
    Object.defineProperty(out, key, {
      value: withoutUndefined(field),
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }
  return out;
}

it('ChatKit events survive encode → split bytes → decode → parse, and re-encode to the same bytes', () => {
  fc.assert(
    fc.property(fc.array(event, { maxLength: 6 }), fc.array(fc.nat(), { maxLength: 8 }), (events, cuts) => {
      const wire = events.map(encodeChatKitEvent).join('');
      const bytes = new TextEncoder().encode(wire);
      const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
      const decoded: ReturnType<typeof parseChatKitEvent>[] = [];
      const parser = createEventStreamParser((message) => decoded.push(parseChatKitEvent(message.data)));
      let start = 0;
      for (const point of [...points, bytes.length]) {
        parser.feed(bytes.subarray(start, point));
        start = point;
      }
      parser.end();
      expect(decoded).toHaveLength(events.length);
      expect(decoded.map((decodedEvent) => encodeChatKitEvent(decodedEvent)).join('')).toBe(wire);
      for (const [index, original] of events.entries()) {
        expect(decoded[index]).toMatchObject(withoutUndefined(original) as Record<string, unknown>);
      }
    }),
    { numRuns: 200 },
  );
});
