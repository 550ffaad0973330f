/**
 * The in-memory demo stores of `agents.ts` live as long as a function instance (hours under load): each list keeps
 * only its newest rows. No imports, so Node tests can load it too.
 */

/** How many rows each in-memory list keeps (the newest). */
export const MAX_ROWS_PER_STORE = 500;

/** Appends `row` to `rows`, dropping the oldest rows beyond `max` (default {@link MAX_ROWS_PER_STORE}). */
export function appendCapped<T>(rows: T[], row: T, max: number = MAX_ROWS_PER_STORE): void {
  rows.push(row);
  if (rows.length > max) rows.splice(0, rows.length - max);
}
