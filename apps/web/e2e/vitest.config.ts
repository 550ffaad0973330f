import { defineProject } from 'vitest/config';

/**
 * The browser suite (`web (e2e)`): `next start` plus Chromium, long timeouts. One test file runs both variants
 * against one build; run it alone with `pnpm vitest run --project 'web (e2e)'`.
 */
export default defineProject({
  test: {
    name: 'e2e',
    include: ['**/*.test.ts'],
    // One file at a time: the quick-start test's build step must never rewrite `.next` under a running server.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
