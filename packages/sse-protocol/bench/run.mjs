#!/usr/bin/env node
// `pnpm bench` for @relaykit/sse-protocol: runs every bench/*.bench.ts (or .mjs) file in turn with node (Node 24
// strips TypeScript types natively), each printing one JSON line, and prints one combined JSON line
// `{"benchmarks": {<file name>: <its result>}}`. Benchmarks import the built package, so run `pnpm build` first.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const benchmarks = {};
for (const file of readdirSync(here).sort()) {
  const match = /^(.+)\.bench\.(ts|mjs)$/.exec(file);
  if (!match) continue;
  process.stderr.write(`bench: ${file}\n`);
  const stdout = execFileSync(process.execPath, [join(here, file)], {
    cwd: join(here, '..'),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const lastLine = stdout.trim().split('\n').at(-1) ?? '{}';
  benchmarks[match[1]] = JSON.parse(lastLine);
}
console.log(JSON.stringify({ benchmarks }));
