import { readFileSync } from 'node:fs';
import { createTestDatabase, postgresAvailability, type TestDatabase } from '@relaykit/testing/postgres';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamLogContract } from '../testing';
import { createPostgresStreamLog } from './drivers/postgres';

const migration = readFileSync(new URL('../../sql/0001_stream_log.sql', import.meta.url), 'utf8');
const pg = await postgresAvailability();

describe.skipIf(!pg.available)('on real Postgres', () => {
  let db: TestDatabase;
  let sql: postgres.Sql;
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql.unsafe(migration);
    await db.sql.unsafe(migration); // idempotent
    sql = postgres(db.url, { max: 4, onnotice: () => {} });
  });
  afterAll(async () => {
    await sql?.end();
    await db?.close();
  });

  streamLogContract('postgres', () => createPostgresStreamLog({ sql }), { describe, it });

  it('batches a 1,000-token reply into far fewer than 1,000 inserted rows', async () => {
    const log = createPostgresStreamLog({ sql });
    const writer = await log.create('batching');
    for (let n = 1; n <= 1000; n++) {
      writer.append(JSON.stringify({ type: 'delta', n }));
      if (n % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 2)); // a producer streaming tokens
    }
    await writer.complete();
    const [stats] = await db.sql<{ rows: number; events: number }[]>`
      select count(*)::int as rows, coalesce(sum(cardinality(events)), 0)::int as events
      from public.relaykit_stream_log_batches where stream_id = 'batching'`;
    expect(stats?.events).toBe(1000);
    expect(stats?.rows ?? Number.POSITIVE_INFINITY).toBeLessThan(50);
    const read: number[] = [];
    for await (const entry of log.read('batching', { after: 990 })) read.push(JSON.parse(entry.data).n);
    expect(read).toEqual([991, 992, 993, 994, 995, 996, 997, 998, 999, 1000]);
    await log.close();
  });

  it('wakes readers through LISTEN/NOTIFY long before the safety poll', async () => {
    const log = createPostgresStreamLog({ sql, pollIntervalMs: 60_000, flushIntervalMs: 1 });
    const writer = await log.create('notify');
    const reader = (async () => {
      const seen: string[] = [];
      for await (const entry of log.read('notify')) seen.push(entry.data);
      return seen;
    })();
    await new Promise((resolve) => setTimeout(resolve, 50));
    writer.append('woken');
    await writer.complete();
    await expect(reader).resolves.toEqual(['woken']); // with a 60 s poll, only a NOTIFY can end this in time
    await log.close();
  });

  it('rejects an event with a NUL character (Postgres text cannot hold it) with invalid_request', async () => {
    const log = createPostgresStreamLog({ sql });
    const writer = await log.create('nul-byte');
    writer.append('fine');
    writer.append('bad \u0000 byte');
    await expect(writer.flush()).rejects.toMatchObject({ code: 'invalid_request' });
    expect(await log.status('nul-byte')).toEqual({ streamId: 'nul-byte', state: 'active', lastSequence: 0 });
    await log.close();
  });

  it('a caught-up reader takes small batches from the NOTIFY payload without reading the table', async () => {
    let reads = 0;
    const counting = new Proxy(sql, {
      apply(target, self, args: Parameters<typeof sql>) {
        if (String(args[0]).includes('relaykit_stream_log_read')) reads += 1;
        return Reflect.apply(target, self, args);
      },
    });
    const log = createPostgresStreamLog({ sql: counting, pollIntervalMs: 60_000, flushIntervalMs: 1 });
    const writer = await log.create('from-notify');
    const seen: number[] = [];
    const reader = (async () => {
      for await (const entry of log.read('from-notify')) seen.push(entry.sequence);
    })();
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (let batch = 0; batch < 10; batch++) {
      for (let n = 0; n < 5; n++) writer.append(JSON.stringify({ batch, n }));
      await writer.flush();
    }
    await writer.complete();
    await reader;
    expect(seen).toEqual(Array.from({ length: 50 }, (_, index) => index + 1));
    expect(reads).toBe(1); // the first replay only
    await log.close();
  });

  it('falls back to reading the table when a batch is too large for a notification', async () => {
    const log = createPostgresStreamLog({ sql, pollIntervalMs: 60_000, flushIntervalMs: 1 });
    const writer = await log.create('large-batch');
    const big = 'x'.repeat(20_000);
    const seen: string[] = [];
    const reader = (async () => {
      for await (const entry of log.read('large-batch')) seen.push(entry.data);
    })();
    await new Promise((resolve) => setTimeout(resolve, 50));
    writer.append('small');
    await writer.flush();
    writer.append(big);
    writer.append('after');
    await writer.flush();
    await writer.complete();
    await reader; // with a 60 s safety poll, only the notification can have woken it
    expect(seen).toEqual(['small', big, 'after']);
    await log.close();
  });

  it('prune() deletes expired streams with their events', async () => {
    const log = createPostgresStreamLog({ sql });
    const writer = await log.create('prunable', { doneTtlMs: 1 });
    writer.append('x');
    await writer.complete();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await log.prune()).toBeGreaterThanOrEqual(1);
    const [pruned] = await db.sql<{ count: number }[]>`
      select count(*)::int as count from public.relaykit_stream_log_batches where stream_id = 'prunable'`;
    expect(pruned?.count).toBe(0);
    await log.close();
  });

  it('is not visible to anon or authenticated users (RLS on, no grants)', async () => {
    await expect(
      db.asUser(
        '00000000-0000-0000-0000-000000000001',
        (tx) => tx`select * from public.relaykit_stream_logs`,
      ),
    ).rejects.toThrow(/permission denied/);
    await expect(db.asAnon((tx) => tx`select public.relaykit_stream_log_read('x', 0)`)).rejects.toThrow(
      /permission denied/,
    );
    const rows = await db.asService(
      (tx) => tx`select public.relaykit_stream_log_read('missing', 0) as result`,
    );
    expect(rows[0]?.result).toBeNull();
  });
});
