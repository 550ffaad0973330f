import { describe, expect, it } from 'vitest';
import { appendCapped, MAX_ROWS_PER_STORE } from '../../../supabase/functions/_shared/capped.ts';

describe('supabase/functions/_shared/agents.ts in-memory stores', () => {
  it('appendCapped keeps the newest rows only (500 by default)', () => {
    const rows: number[] = [];
    for (let i = 0; i < MAX_ROWS_PER_STORE + 20; i++) appendCapped(rows, i);
    expect(MAX_ROWS_PER_STORE).toBe(500);
    expect(rows).toHaveLength(500);
    expect(rows[0]).toBe(20);
    expect(rows.at(-1)).toBe(519);
    const small = [1, 2];
    appendCapped(small, 3, 2);
    expect(small).toEqual([2, 3]);
  });
});
