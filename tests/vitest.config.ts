import { defineProject } from 'vitest/config';
import { TEST_WORKERS } from '../tooling/vitest.workers.ts';

export default defineProject({
  test: {
    name: 'repo',
    include: ['**/*.test.ts'],
    testTimeout: 240_000,
    hookTimeout: 240_000,
    maxWorkers: TEST_WORKERS,
  },
});
