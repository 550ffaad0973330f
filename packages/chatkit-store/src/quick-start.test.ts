import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { quickStart } from '../examples/quick-start';

it('runs the README quick start on the memory and PGlite stores', async () => {
  for (const embedded of [false, true]) {
    const page = await quickStart(embedded);
    expect(page.has_more).toBe(false);
    expect(page.data).toHaveLength(1);
    expect(page.data[0]).toMatchObject({
      type: 'user_message',
      content: [{ type: 'input_text', text: 'Hello' }],
    });
  }
}, 240_000);

it('shows exactly examples/quick-start.ts in the README, in at most 20 lines', () => {
  const root = join(import.meta.dirname, '..');
  const example = readFileSync(join(root, 'examples', 'quick-start.ts'), 'utf8');
  expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain(`\`\`\`ts\n${example}\`\`\``);
  expect(example.trimEnd().split('\n').length).toBeLessThanOrEqual(20);
});
