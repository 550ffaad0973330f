import { RelayKitError } from '../errors';
import type { StreamLog, StreamLogEntry } from '../resumable/ports';

/** One named check of the `StreamLog` contract; `run` rejects when the driver breaks the contract. */
export interface StreamLogContractCheck {
  name: string;
  run: (log: StreamLog) => Promise<void>;
}

/** The `describe`/`it` pair of a test framework (vitest, jest and `node:test` all fit). */
export interface ContractTestFramework {
  describe: (name: string, body: () => void) => unknown;
  it: (name: string, body: () => Promise<void>, timeout?: number) => unknown;
}

/** Thrown by a contract check whose expectation failed. */
export class StreamLogContractViolation extends Error {
  override name = 'StreamLogContractViolation';
}

function expectThat(condition: boolean, message: string, actual?: unknown): void {
  if (!condition) {
    throw new StreamLogContractViolation(
      actual === undefined ? message : `${message} (got ${JSON.stringify(actual)})`,
    );
  }
}

function expectEqual(actual: unknown, expected: unknown, message: string): void {
  const a = JSON.stringify(actual);
  const b = JSON.stringify(expected);
  if (a !== b) throw new StreamLogContractViolation(`${message}: expected ${b}, got ${a}`);
}

async function expectCode(promise: Promise<unknown>, code: string, message: string): Promise<RelayKitError> {
  try {
    await promise;
  } catch (error) {
    expectThat(RelayKitError.isInstance(error), `${message}: expected a RelayKitError`, String(error));
    const relaykit = error as RelayKitError;
    expectEqual(relaykit.code, code, `${message}: error code`);
    return relaykit;
  }
  throw new StreamLogContractViolation(`${message}: expected an error with code ${code}, but it succeeded`);
}

function expectThrowsCode(call: () => unknown, code: string, message: string): void {
  try {
    call();
  } catch (error) {
    expectThat(RelayKitError.isInstance(error), `${message}: expected a RelayKitError`, String(error));
    expectEqual((error as RelayKitError).code, code, `${message}: error code`);
    return;
  }
  throw new StreamLogContractViolation(`${message}: expected an error with code ${code}`);
}

let counter = 0;
function uniqueId(label: string): string {
  counter += 1;
  return `contract-${label}-${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Collects a reader; the error (if any) is returned, not thrown, so a check can look at both. */
async function collect(
  iterable: AsyncIterable<StreamLogEntry>,
  onEntry?: (entry: StreamLogEntry) => void,
): Promise<{ entries: StreamLogEntry[]; error: unknown }> {
  const entries: StreamLogEntry[] = [];
  try {
    for await (const entry of iterable) {
      entries.push(entry);
      onEntry?.(entry);
    }
    return { entries, error: undefined };
  } catch (error) {
    return { entries, error };
  }
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, index) => from + index);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every check of the `StreamLog` contract, runnable with any test framework. */
export const streamLogContractChecks: readonly StreamLogContractCheck[] = [
  {
    name: 'replays a finished stream from the start with sequence numbers 1..n, then ends',
    async run(log) {
      const id = uniqueId('replay');
      const writer = await log.create(id);
      const sequences = ['a', 'b', 'c'].map((data) => writer.append(data));
      expectEqual(sequences, [1, 2, 3], 'append returns the sequence numbers');
      await writer.complete();
      const { entries, error } = await collect(log.read(id));
      expectEqual(error, undefined, 'no error');
      expectEqual(
        entries,
        [
          { sequence: 1, data: 'a' },
          { sequence: 2, data: 'b' },
          { sequence: 3, data: 'c' },
        ],
        'entries',
      );
      expectEqual(await log.status(id), { streamId: id, state: 'done', lastSequence: 3 }, 'status');
    },
  },
  {
    name: 'resumes after a Last-Event-ID given as a string or a number',
    async run(log) {
      const id = uniqueId('resume');
      const writer = await log.create(id);
      for (const n of range(1, 10)) writer.append(`event ${n}`);
      await writer.complete();
      const fromString = await collect(log.read(id, { after: '7' }));
      expectEqual(
        fromString.entries.map((entry) => entry.sequence),
        [8, 9, 10],
        'after "7"',
      );
      const fromNumber = await collect(log.read(id, { after: 3 }));
      expectEqual(fromNumber.entries.map((entry) => entry.data)[0], 'event 4', 'after 3');
      const atEnd = await collect(log.read(id, { after: 10 }));
      expectEqual([atEnd.entries.length, atEnd.error], [0, undefined], 'after the last event: ends at once');
    },
  },
  {
    name: 'live readers follow the stream as it is written and end when it completes',
    async run(log) {
      const id = uniqueId('live');
      const writer = await log.create(id);
      const readers = [collect(log.read(id)), collect(log.read(id)), collect(log.read(id))];
      for (const n of range(1, 20)) {
        writer.append(JSON.stringify({ n }));
        if (n % 5 === 0) {
          await writer.flush();
          await sleep(5);
        }
      }
      await writer.complete();
      const results = await Promise.all(readers);
      for (const result of results) {
        expectEqual(result.error, undefined, 'no error');
        expectEqual(
          result.entries.map((entry) => entry.sequence),
          range(1, 20),
          'every reader sees every event in order',
        );
        expectEqual(JSON.parse(result.entries[19]?.data ?? 'null'), { n: 20 }, 'payload');
      }
    },
  },
  {
    name: 'a late reader resumes mid-way while the stream is live and receives the rest',
    async run(log) {
      const id = uniqueId('late');
      const writer = await log.create(id);
      for (const n of range(1, 50)) writer.append(String(n));
      await writer.flush();
      const late = collect(log.read(id, { after: '25' }));
      await sleep(20);
      for (const n of range(51, 100)) writer.append(String(n));
      await writer.complete();
      const result = await late;
      expectEqual(result.error, undefined, 'no error');
      expectEqual(
        result.entries.map((entry) => Number(entry.data)),
        range(26, 100),
        'events 26..100',
      );
    },
  },
  {
    name: 'keeps unicode, newlines and large payloads byte-exact',
    async run(log) {
      const id = uniqueId('payload');
      const payloads = [
        'line 1\nline 2\r\nline 3\r',
        'emoji 🧪🚀 and ünïcödé, 漢字',
        '',
        'x'.repeat(100_000),
        'data: fake\n\n',
      ];
      const writer = await log.create(id);
      for (const payload of payloads) writer.append(payload);
      await writer.complete();
      const { entries } = await collect(log.read(id));
      expectEqual(
        entries.map((entry) => entry.data),
        payloads,
        'payloads',
      );
    },
  },
  {
    name: 'writes a 1,000-event reply in order and replays all of it',
    async run(log) {
      const id = uniqueId('thousand');
      const writer = await log.create(id);
      const live = collect(log.read(id));
      for (const n of range(1, 1000)) writer.append(`token-${n}`);
      await writer.complete();
      const [replayed, followed] = await Promise.all([collect(log.read(id)), live]);
      for (const result of [replayed, followed]) {
        expectEqual(result.entries.length, 1000, 'count');
        expectThat(
          result.entries.every(
            (entry, index) => entry.sequence === index + 1 && entry.data === `token-${index + 1}`,
          ),
          'entries are 1..1000 in order',
        );
      }
    },
  },
  {
    name: 'cancel() ends readers with a cancelled error after the written events and aborts the writer',
    async run(log) {
      const id = uniqueId('cancel');
      const writer = await log.create(id);
      writer.append('one');
      writer.append('two');
      await writer.flush();
      const reader = collect(log.read(id));
      await sleep(20);
      expectEqual(await log.cancel(id), 'cancelled', 'cancel returns the new state');
      const result = await reader;
      expectEqual(
        result.entries.map((entry) => entry.data),
        ['one', 'two'],
        'events before the cancel',
      );
      expectThat(
        RelayKitError.isInstance(result.error),
        'reader ends with a RelayKitError',
        String(result.error),
      );
      expectEqual((result.error as RelayKitError).code, 'cancelled', 'reader error code');
      writer.append('three');
      await expectCode(writer.flush(), 'cancelled', 'the next flush of the producer');
      expectThat(writer.signal.aborted, 'the writer signal is aborted');
      expectThrowsCode(() => writer.append('four'), 'cancelled', 'append after the cancel');
      expectEqual(await log.status(id), { streamId: id, state: 'cancelled', lastSequence: 2 }, 'status');
      await expectCode(
        collect(log.read(id)).then((r) => {
          if (r.error) throw r.error;
        }),
        'cancelled',
        'a later reader',
      );
      expectEqual(await log.cancel(id), 'cancelled', 'cancel twice is a no-op');
    },
  },
  {
    name: 'a reader disconnecting (abort) ends quietly and changes nothing for the stream',
    async run(log) {
      const id = uniqueId('disconnect');
      const writer = await log.create(id);
      writer.append('first');
      await writer.flush();
      const controller = new AbortController();
      const seen: string[] = [];
      const reader = collect(log.read(id, { signal: controller.signal }), (entry) => seen.push(entry.data));
      await sleep(30);
      controller.abort();
      const aborted = await reader;
      expectEqual(aborted.error, undefined, 'an aborted reader ends without an error');
      expectEqual(seen, ['first'], 'it saw the first event');
      expectEqual((await log.status(id))?.state, 'active', 'the stream is still active');
      writer.append('second');
      await writer.complete();
      const again = await collect(log.read(id));
      expectEqual(
        again.entries.map((entry) => entry.data),
        ['first', 'second'],
        'a new reader gets everything',
      );
    },
  },
  {
    name: 'rejects bad input with typed errors: duplicate create, unknown stream, bad Last-Event-ID, writes after complete',
    async run(log) {
      const id = uniqueId('errors');
      const writer = await log.create(id);
      await expectCode(log.create(id), 'conflict', 'create of an existing stream');
      await expectCode(
        collect(log.read(uniqueId('missing'))).then((r) => {
          if (r.error) throw r.error;
        }),
        'not_found',
        'read of an unknown stream',
      );
      await expectCode(log.cancel(uniqueId('missing')), 'not_found', 'cancel of an unknown stream');
      expectEqual(await log.status(uniqueId('missing')), null, 'status of an unknown stream');
      expectThrowsCode(
        () => log.read(id, { after: 'abc' }),
        'invalid_request',
        'a non-numeric Last-Event-ID',
      );
      expectThrowsCode(() => log.read(id, { after: -1 }), 'invalid_request', 'a negative Last-Event-ID');
      expectThrowsCode(() => log.read('bad id with spaces'), 'invalid_request', 'a malformed stream id');
      await expectCode(log.create(uniqueId('ttl'), { doneTtlMs: 0 }), 'invalid_request', 'a zero TTL');
      writer.append('only');
      await writer.complete();
      expectThrowsCode(() => writer.append('late'), 'conflict', 'append after complete');
      expectEqual(await log.cancel(id), 'done', 'cancel of a done stream is a no-op');
    },
  },
  {
    name: 'a finished log stays readable for its TTL and is gone after it',
    async run(log) {
      const id = uniqueId('ttl');
      const writer = await log.create(id, { doneTtlMs: 400 });
      writer.append('kept');
      await writer.complete();
      const within = await collect(log.read(id));
      expectEqual(
        within.entries.map((entry) => entry.data),
        ['kept'],
        'readable within the TTL',
      );
      await sleep(600);
      expectEqual(await log.status(id), null, 'status after the TTL');
      await expectCode(
        collect(log.read(id)).then((r) => {
          if (r.error) throw r.error;
        }),
        'not_found',
        'read after the TTL',
      );
      const reused = await log.create(id);
      reused.append('new life');
      await reused.complete();
      const fresh = await collect(log.read(id));
      expectEqual(fresh.entries, [{ sequence: 1, data: 'new life' }], 'an expired id can be created again');
    },
  },
  {
    name: 'close() ends live readers with a retryable store_unavailable error',
    async run(log) {
      const id = uniqueId('close');
      const writer = await log.create(id);
      writer.append('before close');
      await writer.flush();
      const reader = collect(log.read(id));
      await sleep(30);
      await log.close();
      const result = await reader;
      expectEqual(
        result.entries.map((entry) => entry.data),
        ['before close'],
        'events before the close',
      );
      expectThat(
        RelayKitError.isInstance(result.error),
        'reader ends with a RelayKitError',
        String(result.error),
      );
      expectEqual(
        [(result.error as RelayKitError).code, (result.error as RelayKitError).retryable],
        ['store_unavailable', true],
        'reader error',
      );
    },
  },
];

/**
 * Registers the `StreamLog` contract suite with a test framework: every driver must pass it.
 *
 * ```ts
 * import { describe, it } from 'vitest';
 * streamLogContract('memory', async () => createMemoryStreamLog(), { describe, it });
 * ```
 * `make` is called once per check; the log is closed after the check.
 */
export function streamLogContract(
  name: string,
  make: () => StreamLog | Promise<StreamLog>,
  framework: ContractTestFramework,
): void {
  framework.describe(`${name} satisfies StreamLog`, () => {
    for (const check of streamLogContractChecks) {
      framework.it(check.name, async () => {
        const log = await make();
        try {
          await check.run(log);
        } finally {
          await log.close();
        }
      });
    }
  });
}
