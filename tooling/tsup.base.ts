import { defineConfig, type Options } from 'tsup';

/**
 * The one tsup configuration every RelayKit package builds with: ESM only, `.d.ts` next to each entry,
 * sourcemaps, runtime-neutral output. `entry` must name exactly the files the package's `exports` map
 * points at (`index` → `./dist/index.js`); a repo test keeps the two equal.
 */
export function relaykitTsup(entry: Record<string, string>, overrides: Options = {}) {
  return defineConfig({
    entry,
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2023',
    platform: 'neutral',
    splitting: true,
    ...overrides,
  });
}
