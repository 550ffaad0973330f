#!/usr/bin/env node
// `pnpm bench`: runs the `bench` script of every package that has one. Each bench script prints one JSON
// document on stdout (its last line); this runner collects them into bench-results/<package>.json and prints
// a combined JSON report. Benchmarks measure; they never fail a build on timing (a bench marks its own goals as
// pass/fail in its JSON). A bench that fails to run (non-zero exit, no JSON) does not stop the others: every
// package runs, the failures are listed at the end, and the runner then exits non-zero.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'bench-results');
mkdirSync(outDir, { recursive: true });
const only = process.argv.slice(2);

/** Runs one package's bench; resolves with its JSON result, or throws with why it failed. */
function runBench(path) {
  const child = spawnSync('pnpm', ['run', '--silent', 'bench'], {
    cwd: path,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (child.error) throw child.error;
  if (child.status !== 0)
    throw new Error(
      child.signal ? `killed by ${child.signal}` : `exited with status ${child.status ?? 'unknown'}`,
    );
  const lastLine = (child.stdout ?? '').trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(lastLine);
  } catch {
    throw new Error('printed no JSON document as its last stdout line');
  }
}

const results = [];
const failed = [];
for (const entry of readdirSync(join(root, 'packages'), { withFileTypes: true }).sort((a, b) =>
  a.name.localeCompare(b.name),
)) {
  if (!entry.isDirectory()) continue;
  const path = join(root, 'packages', entry.name);
  const manifest = JSON.parse(readFileSync(join(path, 'package.json'), 'utf8'));
  if (!manifest.scripts?.bench) continue;
  if (only.length > 0 && !only.includes(entry.name) && !only.includes(manifest.name)) continue;
  process.stderr.write(`bench: ${manifest.name}\n`);
  let result;
  try {
    result = { package: manifest.name, ...runBench(path) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`bench: ${manifest.name} FAILED: ${message}\n`);
    result = { package: manifest.name, failed: true, error: message };
    failed.push(result);
  }
  writeFileSync(join(outDir, `${entry.name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  results.push(result);
}

console.log(
  JSON.stringify(
    {
      generatedAt: new Date().toISOString(),
      node: process.version,
      failed: failed.map((result) => result.package),
      results,
    },
    null,
    2,
  ),
);
if (failed.length > 0) {
  process.stderr.write(
    `bench: ${failed.length} of ${results.length} benchmarks failed:\n${failed
      .map((result) => `  - ${result.package}: ${result.error}`)
      .join('\n')}\n`,
  );
  process.exitCode = 1;
}
