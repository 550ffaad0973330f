import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'tsup';
import { afterAll, describe, expect, it } from 'vitest';
import { workspacePackages } from './workspace';

/**
 * Error names survive minification: every error class a package exports (from any entry) reports its own name in
 * `name` and `toJSON().name` after the package's source is bundled with `minify: true`. A class that took
 * `new.target.name` would report the minifier's name (`"c3"`). Each class is minified in the build of the package that
 * defines it; imports of other packages stay external (a re-exported class is checked where it is defined). Needs the
 * built workspace packages (`pnpm build`), which the bundles import.
 */

/** Constructor arguments per exported class name; other classes get `('message')`. */
const ARGUMENTS: Record<string, unknown[]> = {
  RelayKitError: ['internal', 'message'],
  RequestError: ['invalid_request', 'message'],
  ProviderError: ['provider_error', 'message'],
  StoreError: ['store_error', 'message'],
  ConfigurationError: ['message'],
  RateLimitExceededError: ['message', { limit: 1, remaining: 0, reset: 0, retryAfterMs: 1000 }],
};

const outDirs: string[] = [];
afterAll(() => {
  for (const dir of outDirs) rmSync(dir, { recursive: true, force: true });
});

describe.each(workspacePackages())('$manifest.name error classes', ({ path, manifest }) => {
  it('keep their names when minified', async () => {
    const config = (await import(join(path, 'tsup.config.ts'))).default as { entry: Record<string, string> };
    // Inside the package, so the bundle's external imports (zod, openai, ...) resolve from its node_modules.
    const outDir = mkdtempSync(join(path, 'node_modules', '.minified-'));
    outDirs.push(outDir);
    await build({
      config: false,
      entry: Object.fromEntries(Object.entries(config.entry).map(([name, file]) => [name, join(path, file)])),
      outDir,
      format: ['esm'],
      platform: 'node',
      target: 'es2023',
      minify: true,
      splitting: false,
      dts: false,
      silent: true,
      external: [/^[^./]/],
    });
    const checked: string[] = [];
    for (const file of readdirSync(outDir).filter((name) => name.endsWith('.js'))) {
      const bundle = readFileSync(join(outDir, file), 'utf8');
      if (bundle.includes('RelayKitError'))
        expect(bundle, 'the bundle is minified (class names renamed)').not.toMatch(/class RelayKitError\b/);
      const module = (await import(pathToFileURL(join(outDir, file)).href)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(module)) {
        if (typeof value !== 'function' || !(value.prototype instanceof Error)) continue;
        const ErrorClass = value as new (...args: unknown[]) => Error & { toJSON?: () => { name: string } };
        const error = new ErrorClass(...(ARGUMENTS[name] ?? ['message']));
        expect(error.name, `${manifest.name} ${file}: ${name}`).toBe(name);
        if (typeof error.toJSON === 'function') expect(error.toJSON().name, `${name}.toJSON()`).toBe(name);
        checked.push(name);
      }
    }
    if (manifest.name === '@relaykit/sse-protocol')
      expect(checked).toEqual(
        expect.arrayContaining([
          'RelayKitError',
          'RequestError',
          'ConfigurationError',
          'ProviderError',
          'StoreError',
        ]),
      );
    if (manifest.name === '@relaykit/usage-tracker')
      expect(checked).toEqual(expect.arrayContaining(['RateLimitExceededError', 'BudgetExceededError']));
  });
});
