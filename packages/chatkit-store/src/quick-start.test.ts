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
}, 30_000);
