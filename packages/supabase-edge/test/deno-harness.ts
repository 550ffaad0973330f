/**
 * Shared setup of the tests that run RelayKit under a real Deno binary (npm package `deno`): pack the packages,
 * install the tarballs into a temporary project outside the repo (never workspace paths), start Deno scripts that
 * print `LISTENING <port>`, and read responses with Node's plain `http` client.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const packagesDir = join(packageDir, '..');

/** The Deno binary installed by the `deno` devDependency. */
export const denoBin = join(packageDir, 'node_modules', '.bin', 'deno');

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
  };
}

/** Runs `deno run <entry>` in the app and resolves the port once the script prints `LISTENING <port>`. */
export function startDenoServer(options: {
  appDir: string;
  workDir: string;
  entry: string;
  env: Record<string, string>;
}): { child: ChildProcess; port: Promise<number> } {
  const child = spawn(
    denoBin,
    ['run', '--allow-net', '--allow-env', '--allow-read', '--allow-sys', options.entry],
    {
      cwd: options.appDir,
      env: denoEnvironment(options.workDir, options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const port = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${options.entry} did not start: ${stderr}`)), 90_000);
    let stdout = '';
    child.stdout?.on('data', (chunk) => {
      stdout += String(chunk);
      const match = /LISTENING (\d+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${options.entry} exited with ${code}: ${stderr}`));
    });
  });
  return { child, port };
}

/** Stops the Deno processes still running and waits for them to exit. */
export async function stopDenoServers(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children
      .filter((child) => child.exitCode === null)
      .map((child) => {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        return exited;
      }),
  );
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
