/** The README's quick start is a promise: two commands, and CI runs exactly the second one. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { repoRoot } from './workspace';

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const quickStart = readme.slice(
  readme.indexOf('## Quick start'),
  readme.indexOf('\n## ', readme.indexOf('## Quick start') + 1),
);
const commands = [...quickStart.matchAll(/```sh\n([^\n]+)\n```/g)].map((match) => match[1]!.trim());
const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  packageManager: string;
};

it('has exactly two quick-start commands: the main job and the tests', () => {
  expect(commands).toEqual(['pnpm install && pnpm start', 'pnpm install && pnpm test']);
  expect(manifest.scripts.start).toBeDefined();
  expect(manifest.scripts.test).toBeDefined();
});

it('is what .ci/run runs', () => {
  const ci = readFileSync(join(repoRoot, '.ci', 'run'), 'utf8');
  const executable = ci.split('\n').filter((line) => line.trim() !== '' && !line.trim().startsWith('#'));
  expect(executable.some((line) => line.trim().startsWith(`${commands[1]} ||`))).toBe(true);
  expect(ci).toContain('set -euo pipefail');
});

it('runs every quality gate in the test command', () => {
  const gates = `${manifest.scripts.test} ${manifest.scripts.check}`;
  for (const gate of ['biome check', 'build', 'typecheck', 'publint', 'vitest run'])
    expect(gates).toContain(gate);
  expect(manifest.packageManager).toMatch(/^pnpm@1\d+\.\d+\.\d+$/);
});
