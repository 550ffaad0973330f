import { readdirSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { MIGRATIONS } from './migrations';

it('embeds exactly the SQL files in sql/ (run node scripts/embed-sql.mjs after editing them)', () => {
  const dir = new URL('../../sql/', import.meta.url);
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.sql'))
    .sort();
  expect(MIGRATIONS.map((migration) => migration.name)).toEqual(files);
  for (const migration of MIGRATIONS)
    expect(migration.sql).toBe(readFileSync(new URL(migration.name, dir), 'utf8'));
});
