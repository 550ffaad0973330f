import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { toChatKitStoreError } from './internal/errors';
import { CHATKIT_MIGRATIONS } from './migrate';

const sqlDir = join(import.meta.dirname, '..', 'sql');

it('ships exactly the SQL in sql/ (run `node scripts/embed-sql.mjs` after editing it)', () => {
  const files = readdirSync(sqlDir)
    .filter((name) => /^\d{4}_.+\.sql$/.test(name))
    .sort();
  expect(CHATKIT_MIGRATIONS.map((migration) => `${migration.version}_${migration.name}.sql`)).toEqual(files);
  for (const migration of CHATKIT_MIGRATIONS)
    expect(migration.sql).toBe(
      readFileSync(join(sqlDir, `${migration.version}_${migration.name}.sql`), 'utf8'),
    );
});

it('runs every operation through security invoker functions and enables RLS on every table', () => {
  const sql = CHATKIT_MIGRATIONS.map((migration) => migration.sql).join('\n');
  const functions = [...sql.matchAll(/create or replace function public\.(chatkit_\w+)/g)].map(
    (match) => match[1],
  );
  expect(functions.length).toBeGreaterThanOrEqual(18);
  expect(sql).not.toContain('security definer');
  for (const table of [...sql.matchAll(/create table if not exists public\.(\w+)/g)].map((match) => match[1]))
    expect(sql).toContain(`alter table public.${table} enable row level security`);
});

it('maps database errors to typed RelayKit errors', () => {
  const cases: [unknown, string][] = [
    [{ code: 'PT404', message: 'gone' }, 'not_found'],
    [{ code: 'PT400', message: 'bad' }, 'invalid_request'],
    [{ code: 'PT413', message: 'big' }, 'payload_too_large'],
    [{ code: 'PT401', message: 'who' }, 'unauthorized'],
    [{ code: '42501', message: 'rls' }, 'forbidden'],
    [{ code: 'ECONNREFUSED', message: 'down' }, 'store_unavailable'],
    [{ code: '08006', message: 'lost' }, 'store_unavailable'],
    [{ code: 'XX000', message: 'boom' }, 'store_error'],
    [new Error('plain'), 'store_error'],
  ];
  for (const [error, code] of cases) expect(toChatKitStoreError(error).code).toBe(code);
  expect(toChatKitStoreError({ code: 'ECONNREFUSED' }).retryable).toBe(true);
});
