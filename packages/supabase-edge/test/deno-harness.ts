/**
 * Shared setup of the tests that run RelayKit under a real Deno binary (npm package `deno`): pack the packages,
 * install the tarballs into a temporary project outside the repo (never workspace paths), start Deno scripts that
 * print `LISTENING <port>`, and read responses with Node's plain `http` client. Every Deno server runs in its own
 * process group and is stopped with the whole group (`spawnProcessTree` of `@relaykit/testing`), so no Deno process
 * outlives the suite even when it was started through a wrapper.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ProcessTree, spawnProcessTree } from '@relaykit/testing';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const packagesDir = join(packageDir, '..');

/**
 * The Deno binary of the `deno` devDependency: the native executable its install script links into the package
 * folder, else the package's Node launcher (`node_modules/.bin/deno`, which starts the native binary as a child).
 */
export const denoBin =
  [join(packageDir, 'node_modules', 'deno', 'deno'), join(packageDir, 'node_modules', '.bin', 'deno')].find(
    (path) => existsSync(path),
  ) ?? join(packageDir, 'node_modules', '.bin', 'deno');

/** The packages an edge deployment consumes, in dependency order. */
const PACKED = [
  'sse-protocol',
  'usage-tracker',
  'chatkit-store',
  'image-gen',
  'tool-registry',
  'agent-core',
  'supabase-edge',
];

/**
 * Packs every package into `<workDir>/tarballs` and installs them, with the peers they require (plus the named
 * optional ones), into `<workDir>/app`, set up for Deno with `nodeModulesDir: "manual"`. Returns the app folder.
 */
export function installPackedApp(options: {
  workDir: string;
  name: string;
  optionalPeers?: string[];
}): string {
  const tarballDir = join(options.workDir, 'tarballs');
  const appDir = join(options.workDir, 'app');
  mkdirSync(tarballDir);
  mkdirSync(appDir);
  const tarballs: Record<string, string> = {};
  const peers: Record<string, string> = {};
  for (const folder of PACKED) {
    const path = join(packagesDir, folder);
    const manifest = JSON.parse(readFileSync(join(path, 'package.json'), 'utf8'));
    const before = new Set(readdirSync(tarballDir));
    execFileSync('pnpm', ['pack', '--pack-destination', tarballDir], { cwd: path, stdio: 'pipe' });
    const created = readdirSync(tarballDir).find((file) => !before.has(file));
    if (!created) throw new Error(`pnpm pack produced no tarball for ${manifest.name}`);
    tarballs[manifest.name] = `file:${join(tarballDir, created)}`;
    for (const [name, range] of Object.entries<string>(manifest.peerDependencies ?? {})) {
      const optional = manifest.peerDependenciesMeta?.[name]?.optional;
      if (optional && !options.optionalPeers?.includes(name)) continue;
      peers[name] = manifest.devDependencies?.[name] ?? range;
    }
  }
  writeFileSync(
    join(appDir, 'package.json'),
    JSON.stringify({
      name: options.name,
      private: true,
      type: 'module',
      dependencies: { ...peers, ...tarballs },
      pnpm: { overrides: tarballs },
    }),
  );
  writeFileSync(join(appDir, 'deno.json'), JSON.stringify({ nodeModulesDir: 'manual' }));
  execFileSync('pnpm', ['install', '--prefer-offline', '--config.confirmModulesPurge=false'], {
    cwd: appDir,
    stdio: 'pipe',
  });
  return appDir;
}

/** The environment every Deno process of these tests starts with (a private cache, no colours). */
export function denoEnvironment(workDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? workDir,
    DENO_DIR: join(workDir, 'deno-cache'),
    NO_COLOR: '1',
    ...extra,
    // Marks every process of this test run, so `denoProcessesOf(workDir)` can find any that outlived the suite.
    RELAYKIT_DENO_TEST: workDir,
  };
}

/** Runs `deno run <entry>` in the app and resolves the port once the script prints `LISTENING <port>`. */
export function startDenoServer(options: {
  appDir: string;
  workDir: string;
  entry: string;
  env: Record<string, string>;
}): { child: ProcessTree; port: Promise<number> } {
  const child = spawnProcessTree(
    denoBin,
    ['run', '--allow-net', '--allow-env', '--allow-read', '--allow-sys', options.entry],
    {
      cwd: options.appDir,
      env: denoEnvironment(options.workDir, options.env),
      ready: /LISTENING (\d+)/,
    },
  );
  return { child, port: child.ready.then((match) => Number(match?.[1])) };
}

/**
 * The ids of live processes this test run started (`RELAYKIT_DENO_TEST=<workDir>` in their environment, read from
 * `/proc`): after the servers are stopped there must be none. `[]` where `/proc` is missing.
 */
export function denoProcessesOf(workDir: string): number[] {
  if (!existsSync('/proc')) return [];
  const marker = `RELAYKIT_DENO_TEST=${workDir}\0`;
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (`${readFileSync(join('/proc', entry, 'environ'), 'latin1')}\0`.includes(marker))
        found.push(Number(entry));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return found;
}

/** Stops the Deno servers with every process they started, and waits until none is left. */
export async function stopDenoServers(children: ProcessTree[]): Promise<void> {
  await Promise.all(children.map((child) => child.stop()));
}

/** A POST read with Node's plain `http` client (no fetch, no SSE library). */
export function postRaw(
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: 'POST', headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => {
        text += chunk;
      });
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          type: String(response.headers['content-type']),
          body: text,
        }),
      );
    });
    request.on('error', reject);
    request.end(body);
  });
}
