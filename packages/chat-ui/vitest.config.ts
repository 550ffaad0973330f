import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { TEST_WORKERS } from '../../tooling/vitest.workers.ts';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Two projects: `chat-ui (unit)` (unit and component tests in happy-dom, with a real RelayKit ChatKit server in process)
 * and `chat-ui (e2e)` (the package in the system Chromium against a scripted RelayKit server; long timeouts). The e2e
 * file starts its own server on a free port and its own browser, so it runs alongside the other files.
 */
export default defineConfig({
  // The README's example imports the package by name: resolve it to the sources (styles are not loaded in tests).
  resolve: {
    alias: [
      { find: '@relaykit/chat-ui/styles.css', replacement: source('./src/styles.css') },
      { find: /^@relaykit\/chat-ui$/, replacement: source('./src/index.ts') },
    ],
  },
  test: {
    name: 'chat-ui',
    maxWorkers: TEST_WORKERS,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
