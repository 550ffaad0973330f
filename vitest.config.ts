import { defineConfig } from 'vitest/config';
import { LongestFirstSequencer } from './tooling/vitest.sequencer.ts';
import { TEST_WORKERS } from './tooling/vitest.workers.ts';

export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'apps/*/vitest.config.ts', 'tests/vitest.config.ts'],
    reporters: ['default'],
    // Each project config sets it too: a project's own file does not inherit it from here.
    maxWorkers: TEST_WORKERS,
    sequence: { sequencer: LongestFirstSequencer },
  },
});
