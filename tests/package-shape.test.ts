import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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

const packages = workspacePackages();

describe.each(packages)('$manifest.name manifest', ({ folder, path, manifest }) => {
  it('is a publishable ESM package with the house fields', () => {
    expect(manifest.name).toBe(`@relaykit/${folder}`);
    expect(manifest.private).not.toBe(true);
    expect(manifest.type).toBe('module');
    expect(manifest.license).toBe('MIT');
    expect(manifest.sideEffects).toBe(false);
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
    const exported = Object.entries(manifest.exports ?? {}).filter(([key]) => key !== './package.json');
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
});
