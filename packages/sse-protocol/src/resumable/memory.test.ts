import { describe, expect, it } from 'vitest';
import { streamLogContract } from '../testing';
import { createMemoryStreamLog } from './drivers/memory';

streamLogContract('memory', () => createMemoryStreamLog(), { describe, it });

describe('memory stream log', () => {
  it('expires an abandoned active stream after its active TTL, on the injected clock', async () => {
    let now = 1_000;
    const log = createMemoryStreamLog({ now: () => now });
    const writer = await log.create('abandoned', { activeTtlMs: 60_000 });
    writer.append('partial');
    await writer.flush();
    now += 59_000;
    expect(await log.status('abandoned')).toEqual({
      streamId: 'abandoned',
      state: 'active',
      lastSequence: 1,
    });
    now += 59_000; // the write at t=1000 was the last one, so the stream expired at t=61000
    expect(await log.status('abandoned')).toBeNull();
    writer.append('too late');
    await expect(writer.flush()).rejects.toMatchObject({ code: 'not_found' });
    await log.close();
  });

  it('batches buffered appends: one write per flush interval', async () => {
    const log = createMemoryStreamLog({ flushIntervalMs: 50 });
    const writer = await log.create('batched');
    for (let n = 1; n <= 5; n++) writer.append(String(n));
    expect((await log.status('batched'))?.lastSequence).toBe(0);
    await writer.flush();
    expect((await log.status('batched'))?.lastSequence).toBe(5);
    await log.close();
  });

  it('flushes as soon as maxBatchEvents are buffered', async () => {
    const log = createMemoryStreamLog({ flushIntervalMs: 10_000, maxBatchEvents: 3 });
    const writer = await log.create('by-size');
    writer.append('1');
    writer.append('2');
    writer.append('3');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect((await log.status('by-size'))?.lastSequence).toBe(3);
    writer.append('4');
    await writer.complete();
    expect(await log.status('by-size')).toEqual({ streamId: 'by-size', state: 'done', lastSequence: 4 });
  });
});
