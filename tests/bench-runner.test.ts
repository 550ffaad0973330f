/**
 * `pnpm bench` (scripts/bench.mjs) runs every package's bench even when one fails, writes each result (or the
 * failure) to bench-results/, and exits non-zero at the end naming the packages that failed. Run on a throwaway
 * tree of three tiny packages: one bench exits 3, one prints no JSON, one succeeds.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { repoRoot } from './workspace';

let folder: string | undefined;
afterEach(() => {
  if (folder) rmSync(folder, { recursive: true, force: true });
  folder = undefined;
});

function writePackage(root: string, name: string, bench: string) {
  mkdirSync(join(root, 'packages', name), { recursive: true });
  writeFileSync(
    join(root, 'packages', name, 'package.json'),
    JSON.stringify({ name: `@bench-test/${name}`, version: '0.0.0', private: true, scripts: { bench } }),
  );
}

it('runs every bench although one fails, records each, and exits non-zero listing the failures', () => {
  folder = mkdtempSync(join(tmpdir(), 'relaykit-bench-runner-'));
  mkdirSync(join(folder, 'scripts'));
  copyFileSync(join(repoRoot, 'scripts', 'bench.mjs'), join(folder, 'scripts', 'bench.mjs'));
  writePackage(folder, 'a-fails', 'node -e "process.exit(3)"');
  writePackage(folder, 'b-no-json', 'node -e "console.log(\'not json\')"');
  writePackage(folder, 'c-works', 'node -e "console.log(JSON.stringify({ value: 42 }))"');
  const child = spawnSync(process.execPath, [join(folder, 'scripts', 'bench.mjs')], {
    cwd: folder,
    encoding: 'utf8',
  });
  expect(child.status).toBe(1);
  const report = JSON.parse(child.stdout) as { failed: string[]; results: { package: string }[] };
  expect(report.failed).toEqual(['@bench-test/a-fails', '@bench-test/b-no-json']);
  expect(report.results.map((result) => result.package)).toEqual([
    '@bench-test/a-fails',
    '@bench-test/b-no-json',
    '@bench-test/c-works',
  ]);
  expect(child.stderr).toContain('2 of 3 benchmarks failed');
  expect(child.stderr).toContain('@bench-test/a-fails: exited with status 3');
  expect(child.stderr).toContain('@bench-test/b-no-json: printed no JSON document');
  const works = JSON.parse(readFileSync(join(folder, 'bench-results', 'c-works.json'), 'utf8'));
  expect(works).toEqual({ package: '@bench-test/c-works', value: 42 });
  const fails = JSON.parse(readFileSync(join(folder, 'bench-results', 'a-fails.json'), 'utf8'));
  expect(fails).toMatchObject({ package: '@bench-test/a-fails', failed: true });
});
