import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

it('the README quick start is examples/quick-start.ts verbatim (at most 20 lines)', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const example = readFileSync(new URL('../examples/quick-start.ts', import.meta.url), 'utf8');
  expect(readme).toContain(`\`\`\`ts\n${example}\`\`\``);
  expect(example.trimEnd().split('\n').length).toBeLessThanOrEqual(20);
});
