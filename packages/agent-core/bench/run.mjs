#!/usr/bin/env node
// `pnpm bench` for @relaykit/agent-core: runs every bench/*.bench.mjs in turn (each prints one JSON line as its last
// stdout line) and prints one combined JSON line `{"benchmarks": {<name>: <its result>}}`. The benchmarks import the
// built package, so run `pnpm build` first.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const benchmarks = {};
for (const file of readdirSync(here).sort()) {
  const match = /^(.+)\.bench\.mjs$/.exec(file);
  if (!match) continue;
  process.stderr.write(`bench: ${file}\n`);
  const stdout = execFileSync(process.execPath, ['--expose-gc', join(here, file)], {
    cwd: join(here, '..'),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  benchmarks[match[1]] = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
}
console.log(JSON.stringify({ benchmarks }));
