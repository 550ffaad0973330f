/**
 * `pnpm docs:build` (scripts/docs-build.mjs, TypeDoc) builds the documentation site: the API reference of every
 * package with its README, the pages of docs/, and a home page. Built into a temporary folder here; every page must
 * exist and every link inside the site must lead to a file of the site.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { repoRoot, run, workspacePackages } from './workspace';

const out = mkdtempSync(join(tmpdir(), 'relaykit-docs-'));
let log = '';

beforeAll(() => {
  // The packages' .d.ts files are part of the input (cross-package types): a turbo cache hit after `pnpm build`.
  run('pnpm', ['turbo', 'run', 'build', '--filter=./packages/*', '--output-logs=errors-only'], {
    cwd: repoRoot,
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  log = run(process.execPath, [join(repoRoot, 'scripts', 'docs-build.mjs'), '--out', out], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}, 600_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.html'))
    .map((file) => join(dir, file));
}

it('has a home page, one page per package (opening with its README) and every page of docs/', () => {
  expect(log).toContain('docs site:');
  const home = readFileSync(join(out, 'index.html'), 'utf8');
  expect(home).toContain('RelayKit documentation');
  for (const { folder, manifest } of workspacePackages()) {
    const page = join(out, 'modules', `_relaykit_${folder}.html`);
    expect(existsSync(page), manifest.name).toBe(true);
    const firstHeading = /^# (.+)$/m.exec(
      readFileSync(join(repoRoot, 'packages', folder, 'README.md'), 'utf8'),
    );
    expect(readFileSync(page, 'utf8')).toContain(firstHeading?.[1] ?? manifest.name);
  }
  const documents = readdirSync(join(out, 'documents'));
  for (const doc of ['releasing', 'architecture_overview', 'specs_chatkit-protocol', 'specs_scenarios'])
    expect(documents).toContain(`${doc}.html`);
});

it('documents the public API: classes, functions and types of the packages', () => {
  expect(existsSync(join(out, 'classes', '_relaykit_sse-protocol.index.RelayKitError.html'))).toBe(true);
  const functions = readdirSync(join(out, 'functions'));
  for (const name of ['createChatKitServer', 'createPostgrestServer', 'createEnvironmentAuthenticator'])
    expect(
      functions.some((file) => file.endsWith(`.${name}.html`)),
      name,
    ).toBe(true);
});

it('every link inside the site leads to a file of the site', () => {
  const broken: string[] = [];
  const pages = htmlFiles(out);
  expect(pages.length).toBeGreaterThan(100);
  for (const page of pages) {
    const html = readFileSync(page, 'utf8');
    for (const match of html.matchAll(/(?:href|src)="([^"]+)"/g)) {
      const link = match[1] ?? '';
      if (/^(?:[a-z]+:|#|\/\/)/i.test(link)) continue; // external, mailto, in-page
      const target = resolve(dirname(page), decodeURIComponent(link.split('#')[0]?.split('?')[0] ?? ''));
      if (!target.startsWith(out) || !existsSync(target)) broken.push(`${relative(out, page)} → ${link}`);
    }
  }
  expect(broken).toEqual([]);
});
