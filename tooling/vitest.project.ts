import { defineProject } from 'vitest/config';
import { TEST_WORKERS } from './vitest.workers.ts';

/**
 * Vitest project settings shared by every package; the root `vitest.config.ts` runs them all at once.
 *
 * The timeouts are generous on purpose: many tests open PGlite (≈2 s on an idle machine, 35 s measured on a 2-core
 * machine at load 19) or start servers, and the whole suite must pass on a loaded CI runner. A timeout here only says
 * when to give up on a hung test; no test relies on one to pass, and speed is measured by benchmarks, not by tests.
 */
export function relaykitVitestProject(name: string) {
  return defineProject({
    test: {
      name,
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: 120_000,
      hookTimeout: 240_000,
      maxWorkers: TEST_WORKERS,
    },
  });
}
