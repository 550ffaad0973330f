import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
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
