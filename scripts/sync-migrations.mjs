#!/usr/bin/env node
// Copies every package's SQL migration (packages/<pkg>/sql/NNNN_<slug>.sql) verbatim into supabase/migrations/
// as <timestamp>_<slug>.sql. An existing copy keeps its timestamp (Supabase orders migrations by it); a new one
// gets the current time. tests/migrations.test.ts keeps the copies byte-equal.
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'supabase', 'migrations');
mkdirSync(target, { recursive: true });

let stamp = Number(new Date().toISOString().replace(/\D/g, '').slice(0, 14));
for (const folder of readdirSync(join(root, 'packages')).sort()) {
  const sqlDir = join(root, 'packages', folder, 'sql');
  if (!existsSync(sqlDir)) continue;
  for (const file of readdirSync(sqlDir)
    .filter((name) => /^\d{4}_.+\.sql$/.test(name))
    .sort()) {
    const slug = file.replace(/^\d{4}_/, '');
    const existing = readdirSync(target).find((name) => name.replace(/^\d{14}_/, '') === slug);
    const name = existing ?? `${stamp++}_${slug}`;
    copyFileSync(join(sqlDir, file), join(target, name));
    console.log(`${folder}/sql/${file} → supabase/migrations/${name}`);
  }
}
