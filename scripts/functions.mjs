#!/usr/bin/env node
/**
 * The Supabase Edge Functions of `supabase/functions/`, run from this checkout or deployed from the npm registry.
 *
 *   node scripts/functions.mjs importmap            each function's deno.json in the workspace form (committed)
 *   node scripts/functions.mjs importmap --deploy   each function's deno.json with npm: specifiers of the published
 *                                                   versions, for `supabase functions serve` / `deploy`
 *   node scripts/functions.mjs importmap --check    exit 1 when a deno.json is not the workspace form
 *   node scripts/functions.mjs check                `deno check` of every function (needs `pnpm build` first)
 *   node scripts/functions.mjs serve <name> [port]  `deno run` one function on 127.0.0.1 (default port 8000)
 *
 * Workspace form: `supabase/functions` is a package of the pnpm workspace, so `pnpm install` links `@relaykit/*` into
 * `supabase/functions/node_modules` and Deno resolves them like Node does (`nodeModulesDir: "manual"`) from each
 * package's `exports`, i.e. its built `dist/`. `sloppy-imports` lets Deno follow the `.js` → `.d.ts` names inside
 * tsup's declaration chunks, which Deno resolves strictly for files outside `node_modules` (workspace links point into
 * `packages/`). Deploy form: an import map of `npm:` specifiers, `^` ranges of the workspace's `@relaykit/*` versions
 * (every subpath of their `exports`) and the exact versions `supabase/functions/package.json` pins for the rest.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const functionsDir = join(repo, 'supabase', 'functions');

/** The functions: folders of supabase/functions with an index.ts. */
export function functionNames() {
  return readdirSync(functionsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(functionsDir, entry.name, 'index.ts')))
    .map((entry) => entry.name)
    .sort();
}

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

/** The deno.json every function has in this checkout. */
export function workspaceDenoJson() {
  return { nodeModulesDir: 'manual', unstable: ['sloppy-imports'] };
}

/** The deno.json of a deployment: npm: specifiers for everything the functions package depends on. */
export function deployDenoJson(root = repo) {
  const manifest = readJson(join(root, 'supabase', 'functions', 'package.json'));
  const imports = {};
  for (const [name, range] of Object.entries(manifest.dependencies ?? {})) {
    if (name.startsWith('@relaykit/')) {
      const folder = name.slice('@relaykit/'.length);
      const pkg = readJson(join(root, 'packages', folder, 'package.json'));
      for (const subpath of Object.keys(pkg.exports ?? { '.': null })) {
        if (subpath === './package.json') continue;
        const suffix = subpath === '.' ? '' : subpath.slice(1);
        imports[`${name}${suffix}`] = `npm:${name}@^${pkg.version}${suffix}`;
      }
    } else {
      imports[name] = `npm:${name}@${range}`;
    }
  }
  return { imports, nodeModulesDir: 'none' };
}

/** JSON as Biome formats it (short arrays of strings on one line), so `pnpm format` leaves the files alone. */
const serialize = (value) =>
  `${JSON.stringify(value, null, 2).replace(/\[\n\s+("[^"\n]*")\n\s+\]/g, '[$1]')}\n`;

function writeImportMaps(form) {
  const content = serialize(form === 'deploy' ? deployDenoJson() : workspaceDenoJson());
  for (const name of functionNames()) writeFileSync(join(functionsDir, name, 'deno.json'), content);
  console.log(`wrote the ${form} form of deno.json for ${functionNames().join(', ')}`);
}

function checkImportMaps() {
  const expected = JSON.stringify(workspaceDenoJson());
  const stale = functionNames().filter(
    (name) => JSON.stringify(readJson(join(functionsDir, name, 'deno.json'))) !== expected,
  );
  if (stale.length > 0) {
    console.error(
      `not the workspace form: ${stale.join(', ')} (run node scripts/functions.mjs importmap to restore it)`,
    );
    process.exit(1);
  }
}

/** The Deno binary of the functions package's `deno` devDependency (native, else its Node launcher). */
export function denoBinary() {
  const folder = join(functionsDir, 'node_modules', 'deno');
  const native = join(folder, process.platform === 'win32' ? 'deno.exe' : 'deno');
  if (existsSync(native)) return { command: native, args: [] };
  return { command: process.execPath, args: [join(folder, 'bin.cjs')] };
}

function checkFunctions() {
  const deno = denoBinary();
  const names = functionNames();
  // One type-check of the shared graph. The deno.json files are all the same in the workspace form (importmap
  // --check), so the first one serves every entry point.
  checkImportMaps();
  const entries = names.map((name) => `${name}/index.ts`);
  console.log(`deno check ${entries.map((entry) => `supabase/functions/${entry}`).join(' ')}`);
  const result = spawnSync(
    deno.command,
    [...deno.args, 'check', '--config', `${names[0]}/deno.json`, ...entries],
    { cwd: functionsDir, stdio: 'inherit' },
  );
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function serveFunction(name, port) {
  if (!functionNames().includes(name)) {
    console.error(`usage: node scripts/functions.mjs serve <${functionNames().join('|')}> [port]`);
    process.exit(2);
  }
  const deno = denoBinary();
  const child = spawn(deno.command, [...deno.args, 'run', '-A', 'index.ts'], {
    cwd: join(functionsDir, name),
    env: { ...process.env, RELAYKIT_LOCAL_PORT: String(port ?? 8000) },
    stdio: 'inherit',
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 1));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [command, ...rest] = process.argv.slice(2);
  if (command === 'importmap') {
    if (rest.includes('--check')) checkImportMaps();
    else writeImportMaps(rest.includes('--deploy') ? 'deploy' : 'workspace');
  } else if (command === 'check') {
    checkFunctions();
  } else if (command === 'serve') {
    serveFunction(rest[0], rest[1]);
  } else {
    console.error(
      'usage: node scripts/functions.mjs importmap [--deploy|--check] | check | serve <name> [port]',
    );
    process.exit(2);
  }
}
