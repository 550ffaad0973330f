/**
 * Versions are independent: a changeset for one package bumps that package only. This runs the real
 * `changeset status` and `changeset version` in a throwaway git copy of the workspace manifests.
 */
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { type PackageManifest, repoRoot, run, workspacePackages } from './workspace';

const changesetBin = join(
  createRequire(join(repoRoot, 'package.json')).resolve('@changesets/cli/package.json'),
  '..',
  'bin.js',
);
const packages = workspacePackages();
let copy: string;

function changeset(...args: string[]): string {
  return run(process.execPath, [changesetBin, ...args], { cwd: copy, env: { ...process.env, CI: 'true' } });
}

function versionOf(folder: string): string {
  return (JSON.parse(readFileSync(join(copy, 'packages', folder, 'package.json'), 'utf8')) as PackageManifest)
    .version;
}

beforeEach(() => {
  copy = mkdtempSync(join(tmpdir(), 'relaykit-changesets-'));
  for (const file of ['package.json', 'pnpm-workspace.yaml'])
    copyFileSync(join(repoRoot, file), join(copy, file));
  mkdirSync(join(copy, '.changeset'));
  copyFileSync(join(repoRoot, '.changeset', 'config.json'), join(copy, '.changeset', 'config.json'));
  for (const pkg of packages) {
    mkdirSync(join(copy, 'packages', pkg.folder), { recursive: true });
    copyFileSync(join(pkg.path, 'package.json'), join(copy, 'packages', pkg.folder, 'package.json'));
  }
  const git = (...args: string[]) => run('git', args, { cwd: copy });
  git('init', '-q', '-b', 'main');
  git('-c', 'user.email=ci@relaykit.local', '-c', 'user.name=ci', 'add', '-A');
  git('-c', 'user.email=ci@relaykit.local', '-c', 'user.name=ci', 'commit', '-q', '-m', 'base');
});

afterEach(() => rmSync(copy, { recursive: true, force: true }));

it('reports pending changesets with `changeset status`', () => {
  writeFileSync(
    join(copy, '.changeset', 'one.md'),
    `---\n'@relaykit/usage-tracker': minor\n---\n\nfeat: x\n`,
  );
  const output = changeset('status');
  expect(output).toContain('@relaykit/usage-tracker');
});

it('bumps only the package a changeset names, and writes its changelog', () => {
  const before = Object.fromEntries(packages.map((pkg) => [pkg.folder, pkg.manifest.version]));
  writeFileSync(
    join(copy, '.changeset', 'brave-fix.md'),
    `---\n'@relaykit/chatkit-store': patch\n---\n\nfix: keep ties in keyset pagination\n`,
  );
  changeset('version');
  for (const pkg of packages) {
    if (pkg.folder === 'chatkit-store') {
      expect(versionOf(pkg.folder)).not.toBe(before[pkg.folder]);
      expect(readFileSync(join(copy, 'packages', pkg.folder, 'CHANGELOG.md'), 'utf8')).toContain(
        'fix: keep ties in keyset pagination',
      );
    } else {
      expect(versionOf(pkg.folder), `${pkg.manifest.name} must not move`).toBe(before[pkg.folder]);
    }
  }
  expect(versionOf('chatkit-store')).toBe(bumpPatch(before['chatkit-store']!));
});

function bumpPatch(version: string): string {
  const [major, minor, patch] = version.split('.').map(Number);
  return `${major}.${minor}.${patch! + 1}`;
}

it('every pending changeset parses and names workspace packages (what `changeset version` will read)', async () => {
  // @changesets/parse, as the installed CLI resolves it.
  const parseUrl = createRequire(changesetBin).resolve('@changesets/parse');
  const { default: parse } = (await import(parseUrl)) as {
    default: (content: string) => { releases: { name: string; type: string }[]; summary: string };
  };
  const apps = readdirSync(join(repoRoot, 'apps')).map(
    (folder) =>
      (JSON.parse(readFileSync(join(repoRoot, 'apps', folder, 'package.json'), 'utf8')) as PackageManifest)
        .name,
  );
  const names = new Set([...packages.map((pkg) => pkg.manifest.name), ...apps]);
  const files = readdirSync(join(repoRoot, '.changeset')).filter(
    (file) => file.endsWith('.md') && file !== 'README.md',
  );
  expect(files.length).toBeGreaterThan(0);
  for (const file of files) {
    const changeset = parse(readFileSync(join(repoRoot, '.changeset', file), 'utf8'));
    expect(changeset.releases.length, file).toBeGreaterThan(0);
    expect(changeset.summary.trim(), file).not.toBe('');
    for (const release of changeset.releases) {
      expect(
        names.has(release.name) || release.name.startsWith('@relaykit/'),
        `${file}: ${release.name}`,
      ).toBe(true);
      expect(['patch', 'minor', 'major'], `${file}: ${release.type}`).toContain(release.type);
    }
  }
});
