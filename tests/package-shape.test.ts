import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workspacePackages } from './workspace';

/**
 * The one-way dependency rule, as layers: a package may depend only on packages in a lower layer.
 * adapters → agent-core → (store, tools, usage, image-gen) → sse-protocol. `testing` stands apart.
 */
const LAYER: Record<string, number> = {
  '@relaykit/sse-protocol': 0,
  '@relaykit/testing': 0,
  '@relaykit/chatkit-store': 1,
  '@relaykit/tool-registry': 1,
  '@relaykit/usage-tracker': 1,
  '@relaykit/image-gen': 2,
  '@relaykit/agent-core': 3,
  '@relaykit/next': 4,
  '@relaykit/supabase-edge': 4,
  // A UI on React: an adapter of the protocol to a framework.
  '@relaykit/chat-ui': 4,
};

/** Libraries that must exist once in an app: always peers, never bundled dependencies. */
const SINGLE_COPY = ['zod', 'openai', '@openai/agents', '@supabase/supabase-js'];

/**
 * The one library file allowed to read the environment: the test harness's documented contract is to read
 * RELAYKIT_TEST_DATABASE_URL and RELAYKIT_REQUIRE_SERVICES, so test files need not pass them around.
 */
const ENVIRONMENT_READER = '@relaykit/testing/postgres/environment.ts';

/** Framework and runtime packages a core package must never import. */
const FRAMEWORKS = ['next', 'react', '@supabase/ssr'];

/** Backends a driver needs; a package has them as optional peers and exposes their drivers behind subpaths only. */
const DRIVER_PEERS = ['postgres', 'ioredis', '@electric-sql/pglite', '@supabase/supabase-js'];

/** The module specifiers a TypeScript source imports or re-exports, each with whether only types come from it. */
function importsOf(source: string): { specifier: string; typeOnly: boolean }[] {
  const found: { specifier: string; typeOnly: boolean }[] = [];
  const statement = /(?:^|\n)\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]/g;
  for (const match of source.matchAll(statement)) {
    const clause = match[3] ?? '';
    const names = /^\{([\s\S]*)\}$/.exec(clause.trim())?.[1];
    const onlyTypeNames =
      names
        ?.split(',')
        .map((name) => name.trim())
        .filter(Boolean)
        .every((name) => name.startsWith('type ')) ?? false;
    found.push({ specifier: match[4]!, typeOnly: match[2] !== undefined || onlyTypeNames });
  }
  for (const match of source.matchAll(/(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g))
    found.push({ specifier: match[1]!, typeOnly: false });
  for (const match of source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g))
    found.push({ specifier: match[1]!, typeOnly: false });
  // A package located at run time (`createRequire(import.meta.url).resolve('pkg/package.json')`) is used too.
  for (const match of source.matchAll(/\.resolve\(\s*['"]([^'"./][^'"]*)['"]\s*\)/g))
    found.push({ specifier: match[1]!, typeOnly: false });
  return found;
}

/** The package a bare specifier names (`@scope/name/sub` → `@scope/name`). */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** The module graph of `entry`: its files, and the bare packages they import at run time and for types only. */
function moduleGraphOf(entry: string): { files: Set<string>; runtime: Set<string>; types: Set<string> } {
  const files = new Set<string>();
  const runtime = new Set<string>();
  const types = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const { specifier, typeOnly } of importsOf(readFileSync(file, 'utf8'))) {
      if (!specifier.startsWith('.')) {
        if (!specifier.startsWith('node:')) (typeOnly ? types : runtime).add(packageOf(specifier));
        continue;
      }
      const base = resolve(dirname(file), specifier);
      const target = [`${base}.ts`, join(base, 'index.ts'), base].find(
        (candidate) => existsSync(candidate) && candidate.endsWith('.ts'),
      );
      if (target) visit(target);
    }
  };
  visit(entry);
  return { files, runtime, types };
}

/** Every non-test TypeScript file under `src`. */
function librarySources(path: string): string[] {
  return readdirSync(join(path, 'src'), { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.tsx?$/.test(file) && !/\.test\.tsx?$/.test(file))
    .map((file) => join(path, 'src', file));
}

const packages = workspacePackages();

describe.each(packages)('$manifest.name manifest', ({ folder, path, manifest }) => {
  it('is a publishable ESM package with the house fields', () => {
    expect(manifest.name).toBe(`@relaykit/${folder}`);
    expect(manifest.private).not.toBe(true);
    expect(manifest.type).toBe('module');
    expect(manifest.license).toBe('MIT');
    // Only stylesheets a package exports are side effects (bundlers must keep `import '…/styles.css'`).
    const stylesheets = Object.keys(manifest.exports ?? {}).some((key) => key.endsWith('.css'));
    expect(manifest.sideEffects).toEqual(stylesheets ? ['*.css'] : false);
    expect(manifest.files).toContain('dist');
    expect(manifest.engines?.node).toBe('>=22');
    expect(manifest.publishConfig).toEqual({ access: 'public', provenance: true });
    // A pack or publish builds first (dependencies too, from turbo's cache), so a tarball never lacks dist/.
    expect(manifest.scripts?.prepack).toBe('turbo run build --filter={.}...');
    expect(manifest.exports?.['./package.json']).toBe('./package.json');
    expect(existsSync(join(path, 'README.md'))).toBe(true);
  });

  it('has one tsup entry per export, types first', async () => {
    const config = (await import(join(path, 'tsup.config.ts'))).default as { entry: Record<string, string> };
    // Stylesheets are shipped files (`./styles.css` → `./dist/styles.css`), not tsup entries.
    const exported = Object.entries(manifest.exports ?? {}).filter(
      ([key, target]) =>
        key !== './package.json' && !(key.endsWith('.css') && target === `./dist/${key.slice(2)}`),
    );
    const expectedEntries = exported.map(([key]) => (key === '.' ? 'index' : key.slice(2)));
    expect(Object.keys(config.entry).sort()).toEqual(expectedEntries.sort());
    for (const [key, target] of exported) {
      const entry = key === '.' ? 'index' : key.slice(2);
      // `default`, not `import`: ESM importers and `require()` (Node ≥ 22 loads ESM synchronously) both match it.
      expect(target).toEqual({ types: `./dist/${entry}.d.ts`, default: `./dist/${entry}.js` });
      expect(Object.keys(target as object)[0]).toBe('types');
      expect(existsSync(join(path, config.entry[entry]!))).toBe(true);
    }
  });

  it('keeps single-copy libraries as peers and links workspace packages with workspace:^', () => {
    for (const name of SINGLE_COPY) expect(manifest.dependencies?.[name]).toBeUndefined();
    for (const [name, range] of Object.entries(manifest.dependencies ?? {})) {
      if (name.startsWith('@relaykit/')) expect(range).toBe('workspace:^');
    }
    for (const name of Object.keys(manifest.peerDependencies ?? {})) {
      expect(
        manifest.devDependencies?.[name],
        `${name} is a peer, so it must be a devDependency too`,
      ).toBeDefined();
    }
  });

  it('depends only on lower layers (arrows point one way) and never on a framework unless an adapter', () => {
    const own = LAYER[manifest.name];
    expect(own, `${manifest.name} needs a layer in this test`).toBeDefined();
    for (const name of Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies })) {
      if (name in LAYER) expect(LAYER[name]!, `${manifest.name} → ${name}`).toBeLessThan(own!);
      if (own! < 4) expect(FRAMEWORKS).not.toContain(name);
    }
  });

  it.skipIf(LAYER[manifest.name] === 4)(
    'never reads the environment in core library source (adapters do)',
    () => {
      const sources = readdirSync(join(path, 'src'), { recursive: true, encoding: 'utf8' }).filter(
        (file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.startsWith('cli'),
      );
      expect(sources.length).toBeGreaterThan(0);
      for (const file of sources) {
        if (`${manifest.name}/${file}` === ENVIRONMENT_READER) continue;
        expect(readFileSync(join(path, 'src', file), 'utf8'), file).not.toMatch(/process\??\.env|Deno\.env/);
      }
    },
  );

  it('imports every runtime dependency it lists from its library source (no unused dependency)', () => {
    const imported = new Set<string>();
    for (const file of librarySources(path))
      for (const { specifier } of importsOf(readFileSync(file, 'utf8')))
        if (!specifier.startsWith('.') && !specifier.startsWith('node:')) imported.add(packageOf(specifier));
    const unused = Object.keys(manifest.dependencies ?? {}).filter((name) => !imported.has(name));
    expect(unused, `${manifest.name} lists dependencies its src never imports`).toEqual([]);
  });

  it.skipIf(!existsSync(join(path, 'src', 'server')) || !existsSync(join(path, 'src', 'http')))(
    'keeps the server free of HTTP: nothing under src/server imports src/http (the HTTP layer wraps the server)',
    () => {
      const serverDir = join(path, 'src', 'server');
      const httpDir = join(path, 'src', 'http');
      const offenders: string[] = [];
      // Shared test suites (`*.suite.ts`) drive the server through HTTP on purpose; they are not library code.
      const serverSources = librarySources(path).filter(
        (file) => file.startsWith(serverDir) && !file.endsWith('.suite.ts'),
      );
      expect(serverSources.length).toBeGreaterThan(0);
      for (const file of serverSources) {
        for (const { specifier } of importsOf(readFileSync(file, 'utf8'))) {
          if (!specifier.startsWith('.')) continue;
          const target = resolve(dirname(file), specifier);
          if (target === httpDir || target.startsWith(`${httpDir}/`))
            offenders.push(`${file.slice(path.length + 1)} → ${specifier}`);
        }
      }
      expect(offenders, `${manifest.name}: the server imports the HTTP layer`).toEqual([]);
    },
  );

  it('keeps drivers that need an optional peer out of the root entry (they live behind subpaths)', async () => {
    const config = (await import(join(path, 'tsup.config.ts'))).default as { entry: Record<string, string> };
    const optionalDrivers = Object.entries(manifest.peerDependenciesMeta ?? {})
      .filter(([name, meta]) => meta.optional && DRIVER_PEERS.includes(name))
      .map(([name]) => name);
    const graph = moduleGraphOf(join(path, config.entry.index!));
    expect(
      optionalDrivers.filter((name) => graph.runtime.has(name)),
      `the root entry of ${manifest.name} loads an optional driver peer`,
    ).toEqual([]);
    // A driver module (one file per backend under drivers/) for such a peer: only the memory driver may be at the root.
    const rootDrivers = [...graph.files]
      .filter((file) => /[\\/]drivers[\\/][^\\/]+\.ts$/.test(file))
      .filter((file) => {
        const driver = moduleGraphOf(file);
        return optionalDrivers.some((name) => driver.runtime.has(name) || driver.types.has(name));
      })
      .map((file) => file.slice(path.length + 1));
    expect(rootDrivers, `the root entry of ${manifest.name} exports drivers of optional peers`).toEqual([]);
  });
});
