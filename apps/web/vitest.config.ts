import { defineConfig } from 'vitest/config';
import { relaykitVitestProject } from '../../tooling/vitest.project.ts';

/**
 * Two projects under the name `web`: `web (unit)` (the app's unit tests) and `web (e2e)` (the browser suite in
 * `e2e/`, long timeouts). `--project web` runs both; `--project 'web (unit)'` or `--project 'web (e2e)'` one.
 */
export default defineConfig({
  test: {
    name: 'web',
    projects: [relaykitVitestProject('unit'), './e2e/vitest.config.ts'],
  },
});
