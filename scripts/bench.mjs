#!/usr/bin/env node
// `pnpm bench`: runs the `bench` script of every package that has one. Each bench script prints one JSON
// document on stdout (its last line); this runner collects them into bench-results/<package>.json and prints
// a combined JSON report. Benchmarks measure; they never fail a build on timing.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'bench-results');
mkdirSync(outDir, { recursive: true });
const only = process.argv.slice(2);

const results = [];
for (const entry of readdirSync(join(root, 'packages'), { withFileTypes: true })) {
  if (!entry.isDirectory()) continue;
  const path = join(root, 'packages', entry.name);
  const manifest = JSON.parse(readFileSync(join(path, 'package.json'), 'utf8'));
  if (!manifest.scripts?.bench) continue;
  if (only.length > 0 && !only.includes(entry.name) && !only.includes(manifest.name)) continue;
  process.stderr.write(`bench: ${manifest.name}\n`);
  const stdout = execFileSync('pnpm', ['run', '--silent', 'bench'], {
    cwd: path,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const lastLine = stdout.trim().split('\n').at(-1) ?? '{}';
  const result = { package: manifest.name, ...JSON.parse(lastLine) };
  writeFileSync(join(outDir, `${entry.name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  results.push(result);
}

console.log(
  JSON.stringify({ generatedAt: new Date().toISOString(), node: process.version, results }, null, 2),
);
