import { defineProject } from 'vitest/config';
import { TEST_WORKERS } from '../../../tooling/vitest.workers.ts';

/**
 * The browser suite (`web (e2e)`): `next start` plus Chromium, long timeouts. `browser.test.ts` runs the suites
 * (`*.suite.ts`) one after the other in one file, beside the rest of the run; run it alone with
 * `pnpm vitest run --project 'web (e2e)'`.
 */
export default defineProject({
  test: {
    name: 'e2e',
    include: ['**/*.test.ts'],
    maxWorkers: TEST_WORKERS,
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
