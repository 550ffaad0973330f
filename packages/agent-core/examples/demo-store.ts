/**
 * The in-memory demo stores of the scenarios live as long as the process that serves them (an Edge Function
 * instance, the reference app): each list keeps only its newest rows, so a long-lived demo never grows without end.
 */

/** How many rows each in-memory list keeps (the newest). */
export const MAX_DEMO_ROWS = 500;

/** Appends `row` to `rows`, dropping the oldest rows beyond `max` (default {@link MAX_DEMO_ROWS}). */
export function appendCapped<T>(rows: T[], row: T, max: number = MAX_DEMO_ROWS): void {
  rows.push(row);
  if (rows.length > max) rows.splice(0, rows.length - max);
}

/** `<prefix>-<n>`, one past the highest number in use, so ids stay unique after old rows are dropped. */
export function nextDemoId(rows: readonly { id: string }[], prefix: string): string {
  const pattern = new RegExp(`^${prefix}-(\\d+)$`);
  const numbers = rows.map((row) => Number(pattern.exec(row.id)?.[1] ?? 0));
  return `${prefix}-${Math.max(0, ...numbers) + 1}`;
}
