/**
 * Edge runtimes and users consume packed tarballs, not the workspace. This test packs every package, installs the
 * tarballs (and the peers they name) into a temporary project outside the repo, then imports each one in plain
 * Node ESM and type-checks a consumer against the emitted `.d.ts` with NodeNext resolution.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, run, workspacePackages } from './workspace';

const packages = workspacePackages();
const workDir = mkdtempSync(join(tmpdir(), 'relaykit-packed-'));
const tarballDir = join(workDir, 'tarballs');
const appDir = join(workDir, 'app');

beforeAll(() => {
  mkdirSync(tarballDir);
  mkdirSync(appDir);
  const tarballs: Record<string, string> = {};
  for (const pkg of packages) {
    const before = new Set(readdirSync(tarballDir));
    run('pnpm', ['pack', '--pack-destination', tarballDir], { cwd: pkg.path });
    const created = readdirSync(tarballDir).find((file) => !before.has(file));
    if (!created) throw new Error(`pnpm pack produced no tarball for ${pkg.manifest.name}`);
    tarballs[pkg.manifest.name] = `file:${join(tarballDir, created)}`;
  }
  // Peers the packages name, at the versions the workspace develops against.
  const peers: Record<string, string> = {};
  for (const pkg of packages) {
    for (const name of Object.keys(pkg.manifest.peerDependencies ?? {})) {
      peers[name] = pkg.manifest.devDependencies?.[name] ?? pkg.manifest.peerDependencies![name]!;
    }
  }
  writeFileSync(
    join(appDir, 'package.json'),
    JSON.stringify({
      name: 'relaykit-packed-consumer',
      private: true,
      type: 'module',
      dependencies: { ...peers, ...tarballs },
      pnpm: { overrides: tarballs },
    }),
  );
  // No stdin, and a time limit with one retry: a pnpm install that stalls (seen once on a loaded 2-core machine while
  // another pnpm process used the same store) must fail loudly or recover, never hang the run.
  const install = () =>
    run('pnpm', ['install', '--prefer-offline', '--config.confirmModulesPurge=false'], {
      cwd: appDir,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 150_000,
      killSignal: 'SIGKILL',
    });
  try {
    install();
  } catch {
    install();
  }
}, 330_000);

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe.each(packages)('$manifest.name from its packed tarball', ({ path, manifest }) => {
  it('imports cleanly in plain Node ESM with the same exported names as the source', async () => {
    const script = `const m = await import(${JSON.stringify(manifest.name)}); console.log(JSON.stringify(Object.keys(m).sort()));`;
    const output = run(process.execPath, ['--input-type=module', '-e', script], { cwd: appDir });
    const source = await import(join(path, 'src', 'index.ts'));
    expect(JSON.parse(output)).toEqual(Object.keys(source).sort());
  });

  it('ships only what it declares', () => {
    const installed = join(appDir, 'node_modules', ...manifest.name.split('/'));
    const shipped = readdirSync(installed).sort();
    expect(shipped).toContain('dist');
    expect(shipped).toContain('package.json');
    expect(shipped).not.toContain('src');
    expect(shipped).not.toContain('tsconfig.json');
  });
});

it('type-checks a consumer against the packed .d.ts files with NodeNext resolution', () => {
  const imports = packages
    .map((pkg, index) => `import * as package${index} from '${pkg.manifest.name}';`)
    .join('\n');
  const uses = `export const surfaces = [${packages.map((_, index) => `package${index}`).join(', ')}];`;
  const typed = `import { RelayKitError, type RelayKitErrorCode } from '@relaykit/sse-protocol';\nconst code: RelayKitErrorCode = 'not_found';\nexport const error = new RelayKitError(code, 'x');`;
  writeFileSync(join(appDir, 'consumer.ts'), `${imports}\n${uses}\n${typed}\n`);
  writeFileSync(
    join(appDir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        target: 'ES2023',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: [],
      },
      files: ['consumer.ts'],
    }),
  );
  const tsc = createRequire(join(repoRoot, 'package.json')).resolve('typescript/bin/tsc');
  expect(() => run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: appDir })).not.toThrow();
});
