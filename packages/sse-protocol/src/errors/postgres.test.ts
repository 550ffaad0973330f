import {
  createTestDatabase,
  postgresAvailability,
  startRefusingPostgres,
  type TestDatabase,
  unreachablePostgresUrl,
} from '@relaykit/testing/postgres';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRelayKitError, type RelayKitError, RequestError, StoreError } from '../errors';
import { postgresError, STORE_RETRY_AFTER_MS } from './postgres';

/** A driver error as postgres.js, pg and PGlite throw it: a message that names internals, and a code. */
function driverError(code: string, message = 'FATAL: database "secret_db" on db.internal:5432 user admin') {
  return Object.assign(new Error(message), { code, severity: 'ERROR' });
}

async function failure(run: () => Promise<unknown>): Promise<RelayKitError> {
  try {
    await run();
  } catch (error) {
    return postgresError(error, { operation: 'test' });
  }
  throw new Error('expected a failure');
}

describe('postgresError classifies by SQLSTATE', () => {
  const table: [string, string, boolean][] = [
    ['08000', 'store_unavailable', true],
    ['08001', 'store_unavailable', true],
    ['08003', 'store_unavailable', true],
    ['08006', 'store_unavailable', true],
    ['08P01', 'store_unavailable', true],
    ['57P01', 'store_unavailable', true],
    ['57P02', 'store_unavailable', true],
    ['57P03', 'store_unavailable', true],
    ['57P05', 'store_unavailable', true],
    ['53000', 'store_unavailable', true],
    ['53300', 'store_unavailable', true],
    ['53200', 'store_unavailable', true],
    ['25006', 'store_unavailable', true],
    ['40001', 'conflict', true],
    ['40P01', 'conflict', true],
    ['55P03', 'conflict', true],
    ['57014', 'timeout', false],
    ['23505', 'conflict', false],
    ['23503', 'conflict', false],
    ['23P01', 'conflict', false],
    ['23502', 'invalid_request', false],
    ['23514', 'invalid_request', false],
    ['22P05', 'invalid_request', false],
    ['22021', 'invalid_request', false],
    ['22003', 'invalid_request', false],
    ['22P02', 'invalid_request', false],
    ['22001', 'invalid_request', false],
    ['22023', 'invalid_request', false],
    ['42501', 'forbidden', false],
    ['PT400', 'invalid_request', false],
    ['PT401', 'unauthorized', false],
    ['PT404', 'not_found', false],
    ['PT409', 'conflict', false],
    ['PT413', 'payload_too_large', false],
    ['PT500', 'store_error', false],
    ['28P01', 'configuration', false],
    ['3D000', 'configuration', false],
    ['42883', 'configuration', false],
    ['42P01', 'configuration', false],
    ['42601', 'store_error', false],
    ['P0001', 'store_error', false],
    ['P0002', 'store_error', false],
    ['XX000', 'store_error', false],
    ['58030', 'store_error', false],
    // Network and driver codes without a SQLSTATE (Node, postgres.js).
    ['ECONNREFUSED', 'store_unavailable', true],
    ['ECONNRESET', 'store_unavailable', true],
    ['ETIMEDOUT', 'store_unavailable', true],
    ['CONNECTION_ENDED', 'store_unavailable', true],
    ['CONNECTION_CLOSED', 'store_unavailable', true],
    ['CONNECT_TIMEOUT', 'store_unavailable', true],
    ['CONNECTION_DESTROYED', 'store_unavailable', true],
    ['UNDEFINED_VALUE', 'store_error', false],
    // PostgREST's own codes (supabase-js).
    ['PGRST000', 'store_unavailable', true],
    ['PGRST003', 'store_unavailable', true],
    ['PGRST301', 'unauthorized', false],
    ['PGRST202', 'configuration', false],
    ['PGRST116', 'store_error', false],
  ];

  it.each(table)('%s → %s (retryable %s), with a message free of internals', (code, expected, retryable) => {
    const cause = driverError(code);
    const error = postgresError(cause, { operation: 'chatkit_save_thread' });
    expect(error.code).toBe(expected);
    expect(error.retryable).toBe(retryable);
    expect(error.cause).toBe(cause);
    if (expected === 'store_unavailable') expect(error.retryAfterMs).toBe(STORE_RETRY_AFTER_MS);
    if (!code.startsWith('PT')) {
      expect(error.message).toMatch(/^chatkit_save_thread: /);
      for (const secret of ['secret_db', 'db.internal', '5432', 'admin', 'FATAL'])
        expect(error.message).not.toContain(secret);
      expect(JSON.stringify(error)).not.toContain('secret_db');
    }
  });

  it('keeps the message RelayKit SQL raises with a PTxxx code (it is written for the caller)', () => {
    const error = postgresError(driverError('PT404', 'chatkit: thread thr_1 not found'));
    expect(error).toBeInstanceOf(RequestError);
    expect(error.message).toBe('chatkit: thread thr_1 not found');
    expect(error.details).toEqual({ sqlState: 'PT404' });
  });

  it('reads the SQLSTATE from `sqlState` too, and passes RelayKit errors through', () => {
    expect(postgresError({ sqlState: '57P03', message: 'x' }).code).toBe('store_unavailable');
    const typed = new StoreError('timeout', 'slow');
    expect(postgresError(typed)).toBe(typed);
  });

  it('reads network failures from messages and causes (pg, PGlite, fetch under supabase-js)', () => {
    const cases: unknown[] = [
      new Error('Connection terminated unexpectedly'),
      new Error('PGlite is closed'),
      new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) }),
      new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })], 'connect failed'),
      // A PostgREST transport failure as supabase-js returns it (status 0).
      {
        message: 'TypeError: fetch failed',
        details: 'Caused by: Error: connect ECONNREFUSED (ECONNREFUSED)',
        hint: '',
        code: '',
      },
    ];
    for (const cause of cases) {
      const error = postgresError(cause);
      expect(error.code, String((cause as Error).message)).toBe('store_unavailable');
      expect(error.retryable).toBe(true);
    }
    expect(postgresError({ message: 'Bad gateway', code: '' }, { httpStatus: 502 }).code).toBe(
      'store_unavailable',
    );
    expect(postgresError({ message: 'Bad gateway', code: '' }, { httpStatus: 400 }).code).toBe('store_error');
  });

  it('maps PostgREST JSON errors (supabase-js) like driver errors', () => {
    const nul = {
      code: '22P05',
      message: 'unsupported Unicode escape sequence',
      details: '\\u0000 cannot be converted to text.',
      hint: null,
    };
    expect(postgresError(nul)).toMatchObject({ code: 'invalid_request', retryable: false });
    const range = {
      code: '22003',
      message: 'value "1000000000000" is out of range for type integer',
      details: null,
      hint: null,
    };
    expect(postgresError(range)).toMatchObject({ code: 'invalid_request' });
    expect(postgresError(range).message).not.toContain('integer');
  });

  it("keeps the database's message for errors about the caller's own statement", () => {
    const syntax = driverError('42601', 'syntax error at or near "selec"');
    expect(postgresError(syntax, { statement: 'caller' })).toMatchObject({
      code: 'invalid_request',
      message: 'syntax error at or near "selec"',
    });
    expect(
      postgresError(driverError('42P01', 'relation "nope" does not exist'), { statement: 'caller' }),
    ).toMatchObject({
      code: 'not_found',
      message: 'relation "nope" does not exist',
    });
    expect(
      postgresError(driverError('42703', 'column "x" does not exist'), { statement: 'caller' }).code,
    ).toBe('invalid_request');
    expect(
      postgresError(driverError('25006', 'cannot execute INSERT in a read-only transaction'), {
        statement: 'caller',
      }).code,
    ).toBe('forbidden');
    // An outage is an outage, whoever wrote the statement; its message stays generic.
    const down = postgresError(driverError('57P01', 'terminating connection due to administrator command'), {
      statement: 'caller',
    });
    expect(down).toMatchObject({ code: 'store_unavailable', retryable: true });
    expect(down.message).not.toContain('administrator');
  });

  it('falls back to store_error for anything unknown, with no driver text', () => {
    const error = postgresError('boom on host db.internal');
    expect(error).toMatchObject({ code: 'store_error', retryable: false });
    expect(error.message).not.toContain('db.internal');
    expect(isRelayKitError(postgresError(undefined))).toBe(true);
  });
});

describe('postgresError on real postgres.js failures', () => {
  it('a closed port is store_unavailable, retryable, and the message names no host or port', async () => {
    const url = await unreachablePostgresUrl();
    const sql = postgres(url, { max: 1, connect_timeout: 30, onnotice: () => {} });
    try {
      const error = await failure(() => sql`select 1`);
      expect(error).toMatchObject({ code: 'store_unavailable', retryable: true });
      expect(error.message).not.toContain(new URL(url).port);
      expect(error.message).not.toContain('127.0.0.1');
    } finally {
      await sql.end({ timeout: 1 });
    }
  });

  it('a server that refuses with 57P03 (starting up) is store_unavailable', async () => {
    const server = await startRefusingPostgres();
    const sql = postgres(server.url, { max: 1, connect_timeout: 30, onnotice: () => {} });
    try {
      const error = await failure(() => sql`select 1`);
      expect((error.cause as { code?: string }).code).toBe('57P03');
      expect(error).toMatchObject({
        code: 'store_unavailable',
        retryable: true,
        details: { sqlState: '57P03' },
      });
      expect(error.message).not.toContain('starting up');
    } finally {
      await sql.end({ timeout: 1 });
      await server.close();
    }
  });
});

const pg = await postgresAvailability();

describe.skipIf(!pg.available)('postgresError on a real Postgres server', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('a NUL character in text is invalid_request (400), not a 5xx', async () => {
    const error = await failure(() => db.sql`select ${'a\u0000b'}::text`);
    expect(['22021', '22P05']).toContain((error.cause as { code?: string }).code);
    expect(error).toMatchObject({ code: 'invalid_request', retryable: false });
    // JSON text with an escaped NUL, cast through text as the stores send JSON: 22P05.
    const json = await failure(() =>
      db.sql.unsafe('select $1::text::jsonb', [JSON.stringify({ a: 'a\u0000b' })]),
    );
    expect((json.cause as { code?: string }).code).toBe('22P05');
    expect(json.code).toBe('invalid_request');
  });

  it('an out-of-range integer is invalid_request', async () => {
    const error = await failure(() => db.sql`select ${1e12}::integer`);
    expect((error.cause as { code?: string }).code).toBe('22003');
    expect(error).toMatchObject({ code: 'invalid_request' });
    expect(error.message).not.toContain('integer');
  });

  it('a terminated backend (pg_terminate_backend: 57P01) is store_unavailable, retryable', async () => {
    const victim = postgres(db.url, { max: 1, onnotice: () => {} });
    try {
      const [row] = await victim<{ pid: number }[]>`select pg_backend_pid() as pid`;
      const running = failure(() => victim`select pg_sleep(30)`);
      // Wait until the sleep runs, then terminate its backend from another connection.
      for (let attempt = 0; attempt < 600; attempt++) {
        const [active] = await db.sql<{ n: number }[]>`
          select count(*)::int as n from pg_stat_activity where pid = ${row!.pid} and state = 'active'`;
        if (active?.n === 1) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await db.sql`select pg_terminate_backend(${row!.pid})`;
      const error = await running;
      expect(['57P01', 'CONNECTION_CLOSED', 'ECONNRESET']).toContain((error.cause as { code?: string }).code);
      expect(error).toMatchObject({ code: 'store_unavailable', retryable: true });
    } finally {
      await victim.end({ timeout: 1 });
    }
  });

  it('a unique violation is conflict and a statement timeout is timeout', async () => {
    await db.sql`create table mapped_unique (id int primary key)`;
    await db.sql`insert into mapped_unique values (1)`;
    expect((await failure(() => db.sql`insert into mapped_unique values (1)`)).code).toBe('conflict');
    const timeout = await failure(() =>
      db.sql.begin(async (tx) => {
        await tx`set local statement_timeout = 10`;
        await tx`select pg_sleep(5)`;
      }),
    );
    expect(timeout.code).toBe('timeout');
  });
});
