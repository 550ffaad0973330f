import { defineProject } from 'vitest/config';

/** Vitest project settings shared by every package; the root `vitest.config.ts` runs them all at once. */
export function relaykitVitestProject(name: string) {
  return defineProject({
    test: {
      name,
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: 30_000,
      hookTimeout: 60_000,
    },
  });
}
