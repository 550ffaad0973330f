/** Each package ships its SQL in `sql/`; supabase/migrations holds byte-equal copies (`pnpm sync:migrations`). */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { repoRoot, workspacePackages } from './workspace';

const migrationsDir = join(repoRoot, 'supabase', 'migrations');
const migrations = existsSync(migrationsDir)
  ? readdirSync(migrationsDir).filter((f) => f.endsWith('.sql'))
  : [];
const packageSql = workspacePackages().flatMap((pkg) => {
  const dir = join(pkg.path, 'sql');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .map((file) => ({ pkg, file, path: join(dir, file) }));
});

it('names every migration <14-digit timestamp>_<slug>.sql, each slug once', () => {
  for (const name of migrations) expect(name).toMatch(/^\d{14}_[a-z0-9_]+\.sql$/);
  const slugs = migrations.map((name) => name.slice(15));
  expect(new Set(slugs).size).toBe(slugs.length);
});

it.skipIf(packageSql.length === 0)(
  'keeps a byte-equal copy of every package SQL file in supabase/migrations',
  () => {
    for (const { pkg, file, path } of packageSql) {
      expect(file, `${pkg.folder}/sql/${file}`).toMatch(/^\d{4}_[a-z0-9_]+\.sql$/);
      expect(pkg.manifest.files, `${pkg.manifest.name} must ship sql/`).toContain('sql');
      const slug = file.slice(5);
      const copy = migrations.find((name) => name.slice(15) === slug);
      expect(copy, `supabase/migrations/<timestamp>_${slug} (run pnpm sync:migrations)`).toBeDefined();
      expect(readFileSync(join(migrationsDir, copy!)).equals(readFileSync(path)), copy).toBe(true);
    }
  },
);
