import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Files known to take minutes (child processes, builds, browsers, PGlite workers), relative to the repository root,
 * longest first. They start before everything else so that they run alongside the many short files instead of
 * forming a tail at the end; on a fresh clone there are no earlier durations to go by.
 */
export const LONG_TEST_FILES: readonly string[] = [
  'tests/release-rehearsal.test.ts',
  'apps/web/e2e/browser.test.ts',
  'packages/tool-registry/test/pglite.test.ts',
  'packages/chat-ui/e2e/chat-ui.e2e.test.ts',
  'packages/tool-registry/test/caller.test.ts',
  'packages/tool-registry/test/postgres.test.ts',
];

/**
 * Longest first across projects: {@link LONG_TEST_FILES} in their order, then every other file by the duration of
 * its last run (Vitest's results cache; longest first), then Vitest's own order (by project, failed first, larger
 * files first). `sequence.groupOrder` still comes first: groups run one after the other.
 */
export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const root = this.ctx.config.root;
    const rank = (spec: TestSpecification) => {
      const hinted = LONG_TEST_FILES.indexOf(relative(root, spec.moduleId));
      if (hinted !== -1) return [0, hinted] as const;
      const duration = this.ctx.cache.getTestSpecificationResult(spec)?.duration;
      return duration === undefined ? ([2, 0] as const) : ([1, -duration] as const);
    };
    const ranks = new Map(sorted.map((spec, index) => [spec, [...rank(spec), index] as const]));
    return [...sorted].sort((a, b) => {
      const groupOrder = a.project.config.sequence.groupOrder - b.project.config.sequence.groupOrder;
      if (groupOrder !== 0) return groupOrder;
      const [ra, rb] = [ranks.get(a)!, ranks.get(b)!];
      return ra[0] - rb[0] || ra[1] - rb[1] || ra[2] - rb[2];
    });
  }
}
