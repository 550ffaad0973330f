/**
 * The release, rehearsed end to end as a maintainer runs it (docs/releasing.md), then consumed as users consume it.
 *
 * In a copy of the repository's files (so the real `.changeset/` is never consumed): `pnpm install`, `pnpm pack` of a
 * package that was never built (its prepack must build it), `turbo run build` (from this checkout's turbo cache: the
 * versions are not compiled into dist/), `changeset version` (versions bumped, changelogs written), then `changeset
 * publish` to a local registry (verdaccio, started by this test on a free port, storage in the temporary folder, no
 * uplink; `@relaykit` is scoped to it in `.npmrc`, every other package comes from the machine's usual registry).
 * Provenance is switched off in the copy only: it needs the CI's OIDC identity, which a local registry cannot check.
 *
 * Then fresh consumers install the packages from that registry only:
 * - Node: every package imports in plain ESM with the source's exported names, `require()` works (Node ≥ 22 loads ES
 *   modules synchronously), each tarball ships only what it declares, and a TypeScript consumer importing every subpath
 *   type-checks with `moduleResolution` `bundler` and `node16`;
 * - Next.js: an App Router app whose ChatKit route is the `@relaykit/next` README quick start passes `next build` with no
 *   secret set, then `next start` answers `threads.create` (streamed from the fake OpenAI server) and `threads.list`;
 * - Deno: a script importing `npm:@relaykit/*` passes `deno check` and runs, and every Edge Function of
 *   `supabase/functions` passes `deno check` with its deploy import map (`scripts/functions.mjs importmap --deploy`).
 * The Next.js app installs and builds (minutes, mostly `next build`) while the Node consumer and Deno checks run.
 * Every process tree started here is stopped.
 */
import { execFile, execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeOpenAI, type FakeOpenAI } from '../packages/testing/src/openai/server';
import { type ProcessTree, spawnProcessTree } from '../packages/testing/src/process-tree';
import { mintSupabaseJwt } from '../packages/testing/src/supabase/jwt';
import { type LocalRegistry, startLocalRegistry } from './local-registry';
import { type PackageManifest, repoRoot, run, workspacePackages } from './workspace';

const work = mkdtempSync(join(tmpdir(), 'relaykit-release-'));
const copy = join(work, 'repo');
const home = join(work, 'home');
/** Kept between runs in this clone: Deno's download cache of third-party npm packages. */
const denoDir = join(repoRoot, 'node_modules', '.cache', 'deno-release');
/**
 * The copy builds from this checkout's turbo cache (identical sources hash alike), read-only so the copy never writes
 * to it. Turbo keeps it in the main worktree's `.turbo/cache`.
 */
const turbo = {
  TURBO_CACHE_DIR: join(
    dirname(
      resolve(
        repoRoot,
        execFileSync('git', ['rev-parse', '--git-common-dir'], { cwd: repoRoot, encoding: 'utf8' }).trim(),
      ),
    ),
    '.turbo',
    'cache',
  ),
  TURBO_CACHE: 'local:r',
};
const SECRET = 'a-release-rehearsal-secret-of-32-chars!';
const denoBin = join(repoRoot, 'supabase', 'functions', 'node_modules', 'deno', 'deno');
const tsc = createRequire(join(repoRoot, 'package.json')).resolve('typescript/bin/tsc');

/** The environment of every command: no RelayKit or Supabase secret leaks in from the caller. */
function cleanEnvironment(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (/^(SUPABASE_|OPENAI_|RELAYKIT_|DATABASE_URL|REDIS_URL|npm_)/.test(name)) continue;
    env[name] = value;
  }
  return {
    ...env,
    CI: 'true',
    TURBO_TELEMETRY_DISABLED: '1',
    NEXT_TELEMETRY_DISABLED: '1',
    NO_COLOR: '1',
    ...extra,
  };
}

/** Runs a command in `cwd` with a time limit (a stalled install must fail loudly, never hang the run). */
function sh(cwd: string, command: string, args: string[], env: Record<string, string> = {}): string {
  return run(command, args, {
    cwd,
    env: cleanEnvironment(env),
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 420_000,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
  });
}

/**
 * {@link sh} without blocking the event loop, for the steps that run while others do: the Next.js app installs and
 * builds while the Node consumer and Deno steps run (mostly waiting on the network, the registry and child processes).
 */
function shAsync(
  cwd: string,
  command: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      {
        cwd,
        env: cleanEnvironment(env),
        timeout: 420_000,
        killSignal: 'SIGKILL',
        maxBuffer: 64 * 1024 * 1024,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        if (error)
          reject(new Error(`${command} ${args.join(' ')} failed: ${error.message}\n${stdout}\n${stderr}`));
        else resolve(stdout);
      },
    );
  });
}

/** Copies the files git knows (tracked, and new files not ignored) into `target`, keeping their modes. */
function copyRepository(target: string): void {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
    .split('\0')
    .filter((file) => file !== '');
  for (const file of files) {
    const source = join(repoRoot, file);
    if (!existsSync(source)) continue; // deleted in the working tree
    const destination = join(target, file);
    mkdirSync(dirname(destination), { recursive: true });
    copyFileSync(source, destination);
    chmodSync(destination, statSync(source).mode);
  }
}

/** A free TCP port on 127.0.0.1 (for `next start`, which prints no port of its own when given 0). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const readManifest = (folder: string) =>
  JSON.parse(readFileSync(join(copy, 'packages', folder, 'package.json'), 'utf8')) as PackageManifest;

/** Every public module entry point of a package: `@relaykit/x`, `@relaykit/x/sub`, … (stylesheets are assets). */
const entryPoints = (manifest: PackageManifest) =>
  Object.keys(manifest.exports ?? {})
    .filter((key) => key !== './package.json' && !key.endsWith('.css'))
    .map((key) => (key === '.' ? manifest.name : `${manifest.name}${key.slice(1)}`));

/** The stylesheets a package exports (`@relaykit/chat-ui/styles.css`): resolved by bundlers, not imported by Node. */
const stylesheets = (manifest: PackageManifest) =>
  Object.keys(manifest.exports ?? {})
    .filter((key) => key.endsWith('.css'))
    .map((key) => `${manifest.name}${key.slice(1)}`);

const original = workspacePackages();
let registry: LocalRegistry;
let published: PackageManifest[] = [];
let changesetsBefore: string[] = [];
let packedFiles: string[] = [];
const processes: ProcessTree[] = [];
let fake: FakeOpenAI | undefined;
const timings: Record<string, number> = {};

async function timed<T>(label: string, step: () => T | Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await step();
  } finally {
    timings[label] = Math.round(performance.now() - started);
  }
}

/** Writes a consumer project that installs `dependencies` with `@relaykit` from the local registry only. */
function writeConsumer(dir: string, dependencies: Record<string, string>, extra: object = {}): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name: `relaykit-consumer-${Date.now()}`,
      private: true,
      type: 'module',
      dependencies,
      ...extra,
    }),
  );
  writeFileSync(join(dir, '.npmrc'), registry.npmrc);
}

function install(dir: string): Promise<string> {
  return shAsync(dir, 'pnpm', ['install', '--prefer-offline', '--config.confirmModulesPurge=false']);
}

/** The Next.js consumer app: written, installed and built while the Node consumer and Deno steps run. */
const nextAppDirectory = join(work, 'next-app');
let nextAppBuilt: Promise<void> | undefined;

/** Writes the Next.js consumer app (the READMEs' quick starts), installs it from the registry and runs `next build`. */
async function buildNextApp(): Promise<void> {
  const dir = nextAppDirectory;
  const version = (name: string) => published.find((manifest) => manifest.name === name)!.version;
  const web = JSON.parse(
    readFileSync(join(repoRoot, 'apps', 'web', 'package.json'), 'utf8'),
  ) as PackageManifest;
  const pin = (name: string) => web.dependencies![name]!;
  writeConsumer(
    dir,
    {
      '@relaykit/next': version('@relaykit/next'),
      '@relaykit/agent-core': version('@relaykit/agent-core'),
      '@relaykit/chatkit-store': version('@relaykit/chatkit-store'),
      '@relaykit/chat-ui': version('@relaykit/chat-ui'),
      next: pin('next'),
      react: pin('react'),
      'react-dom': pin('react-dom'),
      zod: pin('zod'),
      openai: pin('openai'),
      '@openai/agents': pin('@openai/agents'),
    },
    { scripts: { build: 'next build', start: 'next start' } },
  );
  mkdirSync(join(dir, 'app', 'api', 'chatkit'), { recursive: true });
  writeFileSync(
    join(dir, 'app', 'layout.js'),
    "export default function Layout({ children }) { return <html lang='en'><body>{children}</body></html>; }\n",
  );
  // The chat-ui README quick start: the component and its stylesheet, from the registry, through Next's bundler.
  writeFileSync(
    join(dir, 'app', 'page.js'),
    `'use client';
import { Chat } from '@relaykit/chat-ui';
import '@relaykit/chat-ui/styles.css';

export default function Page() {
  return (
    <div style={{ height: '100vh' }}>
      <Chat api={{ url: '/api/chatkit' }} header={{ title: 'Rehearsal chat' }} />
    </div>
  );
}
`,
  );
  // The README quick start, with a real ChatKit server: nothing is read that could throw while `next build` runs.
  writeFileSync(
    join(dir, 'app', 'api', 'chatkit', 'route.js'),
    `import { createAgentRegistry, createChatKitServer, createModelAccess, defineAgent } from '@relaykit/agent-core';
import { createMemoryStore } from '@relaykit/chatkit-store';
import { createChatKitRoute, createEnvironmentAuthenticator, readRelayKitConfig } from '@relaykit/next';
import { z } from 'zod';

const config = readRelayKitConfig();
const server = createChatKitServer({
  store: createMemoryStore(),
  agents: {
    registry: createAgentRegistry([
      defineAgent({ type: 'assistant', description: 'Answers briefly.', metadata: z.object({}), instructions: 'Be brief.' }),
    ]),
    modelAccess: createModelAccess({ apiKey: config.openai.apiKey, baseURL: config.openai.baseURL }),
  },
});

export const { POST } = createChatKitRoute({ server, auth: createEnvironmentAuthenticator() });
`,
  );
  await timed('next app install', () => install(dir));
  await timed('next build', () => shAsync(dir, join(dir, 'node_modules', '.bin', 'next'), ['build']));
}

beforeAll(async () => {
  await timed('copy', () => {
    copyRepository(copy);
    const git = (...args: string[]) =>
      sh(copy, 'git', ['-c', 'user.email=release@relaykit.local', '-c', 'user.name=release', ...args]);
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'release rehearsal');
    changesetsBefore = readdirSync(join(copy, '.changeset')).filter((file) => file.endsWith('.md'));
  });
  await timed('install', () => sh(copy, 'pnpm', ['install', '--prefer-offline', '--frozen-lockfile']));
  // The copy has no dist/: packing a package runs its prepack, which builds it (turbo, reading this checkout's cache).
  await timed('pack without dist', () => {
    mkdirSync(join(work, 'packed'));
    sh(
      join(copy, 'packages', 'sse-protocol'),
      'pnpm',
      ['pack', '--pack-destination', join(work, 'packed')],
      turbo,
    );
    const tarball = readdirSync(join(work, 'packed'))[0] ?? '';
    packedFiles = sh(work, 'tar', ['tzf', join(work, 'packed', tarball)]).split('\n');
  });
  // Built before the version bump so that turbo's cache of this checkout serves it: the versions are not compiled
  // into dist/ (a cache miss, as on a fresh clone, builds everything).
  await timed('build', () =>
    sh(copy, 'pnpm', ['turbo', 'run', 'build', '--filter=./packages/*', '--output-logs=errors-only'], turbo),
  );
  await timed('changeset version', () => sh(copy, 'pnpm', ['changeset', 'version']));
  // Provenance needs the CI's OIDC identity; the real publish keeps it (tests/package-shape.test.ts).
  for (const pkg of original) {
    const path = join(copy, 'packages', pkg.folder, 'package.json');
    const manifest = JSON.parse(readFileSync(path, 'utf8'));
    manifest.publishConfig = { access: 'public' };
    writeFileSync(path, `${JSON.stringify(manifest, null, 2)}\n`);
  }
  mkdirSync(home, { recursive: true });
  registry = await timed('registry', () => startLocalRegistry(join(work, 'registry')));
  processes.push(registry.process);
  writeFileSync(join(copy, '.npmrc'), `${readFileSync(join(copy, '.npmrc'), 'utf8')}\n${registry.npmrc}`);
  writeFileSync(join(home, '.npmrc'), registry.npmrc);
  // dist/ is built; the version bump changed each package.json, so a prepack would only rebuild the same files.
  await timed('changeset publish', () =>
    sh(copy, 'pnpm', ['changeset', 'publish', '--no-git-tag'], { npm_config_ignore_scripts: 'true' }),
  );
  published = original.map((pkg) => readManifest(pkg.folder));
  // Awaited by the Next.js app's suite; marked handled here so a failure is reported there, not as unhandled.
  nextAppBuilt = buildNextApp();
  nextAppBuilt.catch(() => {});
}, 900_000);

afterAll(async () => {
  await nextAppBuilt?.catch(() => {}); // never remove the folder under a running install or build
  await Promise.all(processes.map((tree) => tree.stop()));
  await fake?.close();
  rmSync(work, { recursive: true, force: true });
  console.log(`release rehearsal step timings (ms): ${JSON.stringify(timings)}`);
});

describe('changeset version and publish', () => {
  it('packs a package that was never built: its prepack builds dist/ first', () => {
    expect(packedFiles).toContain('package/dist/index.js');
    expect(packedFiles).toContain('package/dist/index.d.ts');
  });

  it('consumes the pending changesets, bumps the versions they name and writes changelogs', () => {
    expect(changesetsBefore.length).toBeGreaterThan(0);
    expect(readdirSync(join(copy, '.changeset')).filter((file) => file.endsWith('.md'))).toEqual([
      'README.md',
    ]);
    for (const pkg of original) {
      const bumped = readManifest(pkg.folder);
      expect(bumped.version, pkg.manifest.name).not.toBe(pkg.manifest.version);
      const changelog = readFileSync(join(copy, 'packages', pkg.folder, 'CHANGELOG.md'), 'utf8');
      expect(changelog).toContain(`## ${bumped.version}`);
    }
    // The real repository is untouched.
    expect(readdirSync(join(repoRoot, '.changeset')).filter((file) => file.endsWith('.md'))).toEqual(
      expect.arrayContaining(changesetsBefore),
    );
  });

  it('published every package at its new version, with internal dependencies at the released ranges', async () => {
    for (const manifest of published) {
      const response = await fetch(`${registry.url}${manifest.name.replace('/', '%2f')}`);
      expect(response.status, manifest.name).toBe(200);
      const document = (await response.json()) as {
        'dist-tags': { latest: string };
        versions: Record<string, { dependencies?: Record<string, string> }>;
      };
      expect(document['dist-tags'].latest).toBe(manifest.version);
      for (const [name, range] of Object.entries(document.versions[manifest.version]?.dependencies ?? {})) {
        expect(range, `${manifest.name} → ${name}`).not.toMatch(/^workspace:/);
      }
    }
  });
});

describe('a Node consumer installing from the registry only', () => {
  const dir = join(work, 'node-consumer');

  beforeAll(async () => {
    const dependencies: Record<string, string> = {};
    for (const manifest of published) {
      dependencies[manifest.name] = manifest.version;
      // Every peer, optional ones too (each subpath is imported), at the versions the workspace develops against.
      for (const name of Object.keys(manifest.peerDependencies ?? {})) {
        dependencies[name] = manifest.devDependencies?.[name] ?? manifest.peerDependencies![name]!;
      }
    }
    await timed('node consumer install', () => {
      writeConsumer(dir, dependencies);
      return install(dir);
    });
  }, 600_000);

  it.each(original)(
    '$manifest.name imports in plain Node ESM with the same exported names as the source',
    async ({ manifest, path }) => {
      const script = `const m = await import(${JSON.stringify(manifest.name)}); console.log(JSON.stringify(Object.keys(m).sort()));`;
      const output = sh(dir, process.execPath, ['--input-type=module', '-e', script]);
      const source = await import(join(path, 'src', 'index.ts'));
      expect(JSON.parse(output)).toEqual(Object.keys(source).sort());
    },
  );

  it('imports every subpath in ESM, and require() gives the same names (Node ≥ 22 requires ES modules)', () => {
    const entries = published.flatMap(entryPoints);
    const esm = `const out = {}; for (const name of ${JSON.stringify(entries)}) out[name] = Object.keys(await import(name)).sort(); console.log(JSON.stringify(out));`;
    const cjs = `const out = {}; for (const name of ${JSON.stringify(entries)}) out[name] = Object.keys(require(name)).filter((key) => key !== '__esModule' && key !== 'module.exports').sort(); console.log(JSON.stringify(out));`;
    const imported = JSON.parse(sh(dir, process.execPath, ['--input-type=module', '-e', esm]));
    const required = JSON.parse(sh(dir, process.execPath, ['--input-type=commonjs', '-e', cjs]));
    expect(Object.keys(imported).sort()).toEqual([...entries].sort());
    for (const entry of entries) expect(imported[entry].length, entry).toBeGreaterThan(0);
    expect(required).toEqual(imported);
  });

  it('resolves every exported stylesheet to a non-empty CSS file', () => {
    const sheets = published.flatMap(stylesheets);
    expect(sheets).toContain('@relaykit/chat-ui/styles.css');
    const script = `const { readFileSync } = require('node:fs'); const out = {}; for (const name of ${JSON.stringify(sheets)}) out[name] = readFileSync(require.resolve(name), 'utf8').length; console.log(JSON.stringify(out));`;
    const sizes = JSON.parse(sh(dir, process.execPath, ['--input-type=commonjs', '-e', script])) as Record<
      string,
      number
    >;
    for (const sheet of sheets) expect(sizes[sheet], sheet).toBeGreaterThan(0);
  });

  it.each(original)('$manifest.name ships only what it declares', ({ manifest }) => {
    const installed = join(dir, 'node_modules', ...manifest.name.split('/'));
    const shipped = readdirSync(installed)
      .filter((file) => file !== 'node_modules') // pnpm links the package's own dependencies there
      .sort();
    expect(shipped).toContain('dist');
    expect(shipped).toContain('package.json');
    expect(shipped).not.toContain('src');
    expect(shipped).not.toContain('tsconfig.json');
    for (const file of shipped)
      expect([
        'dist',
        'sql',
        'bin',
        'fixtures',
        'package.json',
        'README.md',
        'LICENSE',
        'CHANGELOG.md',
      ]).toContain(file);
  });

  it.each([
    ['bundler', { module: 'ESNext', moduleResolution: 'Bundler' }],
    ['node16', { module: 'Node16', moduleResolution: 'Node16' }],
  ])('type-checks a consumer importing every subpath with moduleResolution %s', (name, options) => {
    const entries = published.flatMap(entryPoints);
    const imports = entries.map((entry, index) => `import * as entry${index} from '${entry}';`).join('\n');
    const typed = `import { RelayKitError, type RelayKitErrorCode } from '@relaykit/sse-protocol';\nconst code: RelayKitErrorCode = 'not_found';\nexport const error = new RelayKitError(code, 'x');`;
    writeFileSync(
      join(dir, `consumer-${name}.ts`),
      `${imports}\nexport const entries = [${entries.map((_, index) => `entry${index}`).join(', ')}];\n${typed}\n`,
    );
    writeFileSync(
      join(dir, `tsconfig.${name}.json`),
      JSON.stringify({
        compilerOptions: {
          ...options,
          target: 'ES2023',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: [],
        },
        files: [`consumer-${name}.ts`],
      }),
    );
    expect(() => sh(dir, process.execPath, [tsc, '-p', `tsconfig.${name}.json`])).not.toThrow();
  });
});

describe('a Next.js App Router app on @relaykit/next, installed from the registry', () => {
  const dir = nextAppDirectory;
  let base = '';

  beforeAll(async () => {
    await nextAppBuilt;
    fake = await createFakeOpenAI({ script: { rules: [{ reply: { text: 'Hello from the rehearsal.' } }] } });
    const port = await freePort();
    const server = spawnProcessTree(
      join(dir, 'node_modules', '.bin', 'next'),
      ['start', '--port', String(port), '--hostname', '127.0.0.1'],
      {
        cwd: dir,
        env: cleanEnvironment({
          SUPABASE_JWT_SECRET: SECRET,
          OPENAI_API_KEY: 'sk-rehearsal',
          OPENAI_BASE_URL: fake.url,
          OPENAI_AGENTS_DISABLE_TRACING: '1',
        }),
        ready: /ready/i,
      },
    );
    processes.push(server);
    await timed('next start', () => server.ready);
    base = `http://127.0.0.1:${port}`;
  }, 600_000);

  it('built without any secret, then answers threads.create (streamed from the model) and threads.list', async () => {
    const token = await mintSupabaseJwt({ sub: crypto.randomUUID(), secret: SECRET });
    const post = (body: unknown) =>
      fetch(`${base}/api/chatkit`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const created = await post({
      type: 'threads.create',
      params: {
        input: { content: [{ type: 'input_text', text: 'Hi' }], attachments: [], inference_options: {} },
      },
    });
    expect(created.status).toBe(200);
    expect(created.headers.get('content-type')).toContain('text/event-stream');
    const stream = await created.text();
    expect(stream).toContain('thread.created');
    expect(stream).toContain('Hello from the rehearsal.');
    const listed = await post({ type: 'threads.list', params: {} });
    expect(listed.status).toBe(200);
    expect((await listed.json()).data).toHaveLength(1);
    const anonymous = await fetch(`${base}/api/chatkit`, { method: 'POST', body: '{"type":"threads.list"}' });
    expect(anonymous.status).toBe(401);
  });

  it('server-renders the chat-ui <Chat> page with its stylesheet bundled', async () => {
    const page = await fetch(base);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Rehearsal chat');
    expect(html).toContain('aria-label="Conversation"');
    const sheets = [...html.matchAll(/<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"/g)].map(
      (match) => match[1]!,
    );
    expect(sheets.length).toBeGreaterThan(0);
    const css = (
      await Promise.all(sheets.map(async (href) => (await fetch(new URL(href, base))).text()))
    ).join('\n');
    expect(css).toContain('--rk-accent');
  });
});

describe('Deno with npm: specifiers from the registry', () => {
  const dir = join(work, 'deno-app');
  // Deno refuses npm versions younger than its minimum dependency age (24 hours by default); these were published a
  // minute ago, so the rehearsal lowers it to 0 for its own commands only.
  const deno = (cwd: string, command: string, ...args: string[]) =>
    sh(cwd, denoBin, [command, '--min-dep-age=0', ...args], { DENO_DIR: denoDir, HOME: home });

  beforeAll(() => {
    // The registry's port changes every run: drop Deno's copies of packages from earlier local registries.
    const npmCache = join(denoDir, 'npm');
    if (existsSync(npmCache))
      for (const host of readdirSync(npmCache))
        if (host.startsWith('127.0.0.1')) rmSync(join(npmCache, host), { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '.npmrc'), registry.npmrc);
    writeFileSync(join(dir, 'deno.json'), JSON.stringify({ nodeModulesDir: 'none' }));
  });

  it('type-checks and runs a script importing npm:@relaykit/*', async () => {
    const version = (name: string) => published.find((manifest) => manifest.name === name)!.version;
    writeFileSync(
      join(dir, 'main.ts'),
      `import { isRelayKitError, RelayKitError } from 'npm:@relaykit/sse-protocol@${version('@relaykit/sse-protocol')}';
import { createMemoryStore } from 'npm:@relaykit/chatkit-store@${version('@relaykit/chatkit-store')}';
import { createEdgeHandler, createEnvironmentAuthenticator } from 'npm:@relaykit/supabase-edge@${version('@relaykit/supabase-edge')}';

const handler = createEdgeHandler({
  auth: createEnvironmentAuthenticator({ env: { get: () => undefined }, onConfigurationError: () => {} }),
  cors: { allowedOrigins: [] },
  handler: async () => Response.json({ ok: true }),
});
const response = await handler(new Request('http://127.0.0.1/', { method: 'POST', body: '{}' }));
const body = (await response.json()) as { error: { code: string } };
console.log(JSON.stringify({
  status: response.status,
  code: body.error.code,
  typed: isRelayKitError(new RelayKitError('not_found', 'x')),
  store: typeof createMemoryStore().loadThreads,
}));
`,
    );
    const output = await timed('deno script', () => {
      deno(dir, 'check', 'main.ts');
      return deno(dir, 'run', '--allow-env', '--allow-read', '--allow-net', 'main.ts');
    });
    expect(JSON.parse(output.trim().split('\n').at(-1) ?? '{}')).toEqual({
      status: 500,
      code: 'configuration',
      typed: true,
      store: 'function',
    });
  });

  it('type-checks every Edge Function with its deploy import map against the published packages', async () => {
    const functionsDir = join(copy, 'supabase', 'functions');
    sh(copy, process.execPath, ['scripts/functions.mjs', 'importmap', '--deploy']);
    const names = readdirSync(functionsDir).filter((name) =>
      existsSync(join(functionsDir, name, 'index.ts')),
    );
    expect(names.length).toBeGreaterThanOrEqual(3);
    for (const name of names) {
      const { imports, nodeModulesDir } = JSON.parse(
        readFileSync(join(functionsDir, name, 'deno.json'), 'utf8'),
      );
      expect(nodeModulesDir).toBe('none');
      const agentCore = published.find((manifest) => manifest.name === '@relaykit/agent-core')!;
      expect(imports['@relaykit/agent-core']).toBe(`npm:@relaykit/agent-core@^${agentCore.version}`);
    }
    writeFileSync(join(functionsDir, '.npmrc'), registry.npmrc);
    const output = await timed('deno check functions (deploy)', () =>
      deno(
        functionsDir,
        'check',
        '--config',
        `${names[0]}/deno.json`,
        ...names.map((name) => `${name}/index.ts`),
      ),
    );
    expect(output).not.toMatch(/error/i);
  });
});
