import { availableParallelism } from 'node:os';

/**
 * How many test files run at once, in every project (Vitest needs the same value in all projects that run together).
 * Vitest's default, one less than the cores, is a single worker on a 2-core CI machine: every file then ran after the
 * other while the long ones mostly wait on child processes (installs, builds, browsers, databases). Two at least.
 * Projects that need one file at a time set `fileParallelism: false` and run after the others, one file at a time.
 */
export const TEST_WORKERS = Math.max(2, availableParallelism() - 1);
