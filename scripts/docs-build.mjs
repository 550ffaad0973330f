#!/usr/bin/env node
/**
 * `pnpm docs:build [--out <dir>]`: the documentation site (default `docs-site/`, not in git), built with TypeDoc
 * (pinned in the root devDependencies) and nothing else:
 *
 * - one API reference per package, for every entry point its `exports` (and tsup config) name, with the package's
 *   README as its front page;
 * - the pages of `docs/` (architecture notes, specs, the release guide) as TypeDoc documents;
 * - `docs/index.md` as the home page.
 *
 * Each package is converted on its own (its tsconfig, its sources; other `@relaykit/*` packages come from their built
 * `.d.ts`, so build first: `pnpm build`), then the JSON models are merged into one site. TypeDoc's link validation
 * runs on every page; a warning fails the build.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Application, LogLevel } from 'typedoc';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { out: { type: 'string' } } });
const out = values.out ?? join(root, 'docs-site');
const jsonDir = join(out, '.models');

/** Options both steps share: strict about what the site shows and about its links. */
const common = {
  logLevel: LogLevel.Warn,
  treatWarningsAsErrors: true,
  excludePrivate: true,
  excludeInternal: true,
  disableSources: true,
  highlightLanguages: [
    'bash',
    'css',
    'diff',
    'html',
    'http',
    'js',
    'json',
    'jsonc',
    'jsx',
    'md',
    'sh',
    'sql',
    'text',
    'toml',
    'ts',
    'tsx',
    'yaml',
  ],
  validation: { notExported: false, invalidLink: true, rewrittenLink: true, notDocumented: false },
};

/** The source files of a package's entry points, from its tsup config (a repo test keeps it equal to `exports`). */
async function entryPointsOf(folder) {
  const config = (await import(pathToFileURL(join(root, 'packages', folder, 'tsup.config.ts')).href)).default;
  return Object.values(config.entry).map((file) => join(root, 'packages', folder, file));
}

async function convertPackage(folder) {
  const dir = join(root, 'packages', folder);
  const app = await Application.bootstrap({
    ...common,
    name: `@relaykit/${folder}`,
    entryPoints: await entryPointsOf(folder),
    entryPointStrategy: 'resolve',
    tsconfig: join(dir, 'tsconfig.json'),
    readme: join(dir, 'README.md'),
    alwaysCreateEntryPointModule: true,
    skipErrorChecking: true,
  });
  const project = await app.convert();
  if (!project || app.logger.hasErrors() || app.logger.hasWarnings())
    throw new Error(`TypeDoc could not convert @relaykit/${folder}`);
  await app.generateJson(project, join(jsonDir, `${folder}.json`));
}

rmSync(out, { recursive: true, force: true });
mkdirSync(jsonDir, { recursive: true });
const folders = readdirSync(join(root, 'packages'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();
const started = performance.now();
for (const folder of folders) {
  console.log(`api reference: @relaykit/${folder}`);
  await convertPackage(folder);
}

const site = await Application.bootstrap({
  ...common,
  name: 'RelayKit',
  entryPointStrategy: 'merge',
  entryPoints: folders.map((folder) => join(jsonDir, `${folder}.json`)),
  readme: join(root, 'docs', 'index.md'),
  projectDocuments: [
    join(root, 'docs', 'releasing.md'),
    join(root, 'docs', 'architecture', '*.md'),
    join(root, 'docs', 'specs', '*.md'),
  ],
  out,
});
const project = await site.convert();
if (!project || site.logger.hasErrors() || site.logger.hasWarnings())
  throw new Error('TypeDoc could not merge the site');
await site.generateDocs(project, out);
if (site.logger.hasErrors() || site.logger.hasWarnings())
  throw new Error('TypeDoc reported problems while rendering');
rmSync(jsonDir, { recursive: true, force: true });
console.log(
  `docs site: ${relative(process.cwd(), join(out, 'index.html')) || 'index.html'} (${((performance.now() - started) / 1000).toFixed(1)} s)`,
);
