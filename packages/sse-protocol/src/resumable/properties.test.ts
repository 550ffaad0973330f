import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEventStreamDecoder } from '../sse/decode';
import { encodeEvent } from '../sse/encode';
import { createMemoryStreamLog } from './drivers/memory';

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const value of iterable) out.push(value);
  return out;
}

describe('resumable stream properties (memory driver, any batching)', () => {
  it('a reader resuming after any Last-Event-ID gets exactly the rest, in order, byte-exact', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: 'binary', maxLength: 40 }), { maxLength: 60 }),
        fc.nat(),
        fc.integer({ min: 1, max: 12 }),
        fc.constantFrom(0, 1, 3),
        async (payloads, resumeSeed, maxBatchEvents, flushIntervalMs) => {
          const log = createMemoryStreamLog({ maxBatchEvents, flushIntervalMs });
          const after = payloads.length === 0 ? 0 : resumeSeed % (payloads.length + 1);
          const writer = await log.create('prop');
          const live = collect(log.read('prop'));
          const sequences = payloads.map((payload) => writer.append(payload));
          await writer.complete();
          const resumed = await collect(log.read('prop', { after: String(after) }));
          expect(sequences).toEqual(payloads.map((_, index) => index + 1));
          expect((await live).map((entry) => entry.data)).toEqual(payloads);
          expect(resumed).toEqual(
            payloads.slice(after).map((data, index) => ({ sequence: after + index + 1, data })),
          );
          await log.close();
        },
      ),
      { numRuns: 60 },
    );
  });

  it('log entries framed as SSE with id: and decoded again give back the sequence ids and payloads', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.string({ unit: 'grapheme', maxLength: 30 }).map((text) => text.replace(/[\r\n]/g, ' ')),
          { minLength: 1, maxLength: 30 },
        ),
        fc.integer({ min: 1, max: 17 }),
        async (payloads, chunkSize) => {
          const log = createMemoryStreamLog();
          const writer = await log.create('framed');
          for (const payload of payloads) writer.append(payload);
          await writer.complete();
          let wire = '';
          for await (const entry of log.read('framed'))
            wire += encodeEvent({ id: String(entry.sequence), data: entry.data });
          const bytes = new TextEncoder().encode(wire);
          const chunks = new ReadableStream<Uint8Array>({
            start(controller) {
              for (let offset = 0; offset < bytes.length; offset += chunkSize)
                controller.enqueue(bytes.slice(offset, offset + chunkSize));
              controller.close();
            },
          });
          const decoded = await collect(chunks.pipeThrough(createEventStreamDecoder()));
          expect(decoded.map((message) => [message.id, message.data])).toEqual(
            payloads.map((data, index) => [String(index + 1), data]),
          );
          await log.close();
        },
      ),
      { numRuns: 60 },
    );
  });
});
