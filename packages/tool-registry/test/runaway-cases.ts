/**
 * Runaway SQL: statements that pass the guard (they only read) yet would run for minutes or return gigabytes. Each must
 * end within the pack's limits — `timeout` (statement_timeout on Postgres, the worker's deadline on PGlite), or a
 * result cut by `maxRows` or `maxResultBytes` — and the app's other database must answer while it runs. Shared by
 * the Postgres and PGlite suites.
 */
import { expect } from 'vitest';
import type { ToolRegistry, ToolResult } from '../src/index';

/** How a runaway may end: a typed error code, or a result truncated by rows or bytes. */
export type RunawayOutcome = 'timeout' | 'store_error' | 'rows' | 'bytes';

export interface RunawayCase {
  name: string;
  sql: string;
  /** The acceptable endings; the first is the expected one on an idle machine. */
  outcomes: readonly RunawayOutcome[];
}

const ENDLESS = 'with recursive t(n) as (select 1 union all select n + 1 from t)';

export const RUNAWAY_CASES: RunawayCase[] = [
  // Aggregating an endless recursive CTE never yields a row: only the deadline ends it. (Rejecting WITH RECURSIVE
  // without LIMIT in the parser would not help: a LIMIT outside does not bound an aggregate inside.)
  { name: 'endless recursive CTE, counted', sql: `${ENDLESS} select count(*) from t`, outcomes: ['timeout'] },
  // Read lazily, the same CTE stops at the row cap: the pack reads at most maxRows + 1 rows.
  { name: 'endless recursive CTE, listed', sql: `${ENDLESS} select n from t`, outcomes: ['rows'] },
  {
    name: 'generate_series(1, 1e8), summed',
    sql: 'select sum(g) from generate_series(1, 1e8) as g',
    outcomes: ['timeout'],
  },
  // In FROM, a set-returning function is materialized whole before the first row: only the deadline ends it.
  {
    name: 'generate_series(1, 1e8) in FROM',
    sql: 'select g from generate_series(1, 1e8) as g',
    outcomes: ['timeout', 'rows'],
  },
  // In the select list it is read lazily, so the row cap ends it.
  {
    name: 'generate_series(1, 1e8) in the select list',
    sql: 'select generate_series(1, 1e8) as g',
    outcomes: ['rows'],
  },
  { name: 'pg_sleep(60)', sql: 'select pg_sleep(60)', outcomes: ['timeout'] },
  // 100 rows of 500 kB: the database drops every row past maxResultBytes, so the 50 MB never reach the app.
  {
    name: 'a 50 MB result',
    sql: "select g, repeat('y', 500000) as filler from generate_series(1, 100) as g",
    outcomes: ['bytes'],
  },
  // One 500 MB value: dropped for its size, or (on a slow machine or a small memory) cut by the deadline.
  {
    name: "repeat('x', 5e8)",
    sql: "select repeat('x', 500000000) as big",
    outcomes: ['bytes', 'timeout', 'store_error'],
  },
];

/** The ending of a `run_sql` result, for comparison with {@link RunawayCase.outcomes}. */
export function outcomeOf(result: ToolResult): string {
  if (!result.ok) return result.error.code;
  const output = result.output as { truncated: boolean; truncatedBy?: string };
  return output.truncated ? (output.truncatedBy ?? 'truncated') : 'complete';
}

/**
 * Runs every case on `registry` and checks its ending. While a case that ends by its deadline is running (`started`
 * resolves once the statement reached the database), `probe` runs a `select 1` on the app's other database: it must
 * complete before the runaway ends. No timing is asserted: only the order of the two.
 */
export async function expectRunawaysBounded(
  registry: ToolRegistry,
  context: { userId: string },
  hooks: {
    /** Resolves once `sql` is running in the database the tool uses (or once `settled()` is true: stop waiting). */
    started(sql: string, settled: () => boolean): Promise<void>;
    /** A `select 1` on the app's other database. */
    probe(): Promise<unknown>;
  },
): Promise<void> {
  const failures: string[] = [];
  for (const entry of RUNAWAY_CASES) {
    let settled = false;
    const run = registry.execute('run_sql', { sql: entry.sql }, context).finally(() => {
      settled = true;
    });
    let probed: 'during' | 'after' | 'not needed' = 'not needed';
    if (entry.outcomes.includes('timeout')) {
      await Promise.race([hooks.started(entry.sql, () => settled), run]);
      if (!settled) {
        await hooks.probe();
        probed = settled ? 'after' : 'during';
      }
    }
    const result = await run;
    const outcome = outcomeOf(result);
    if (!entry.outcomes.includes(outcome as RunawayOutcome))
      failures.push(`${entry.name}: ended with ${outcome} ${JSON.stringify(result).slice(0, 300)}`);
    if (outcome === 'timeout' && probed !== 'during')
      failures.push(`${entry.name}: the other database did not answer while it ran (${probed})`);
    if (result.ok) expect(JSON.stringify(result.output).length).toBeLessThan(200_000);
  }
  expect(failures).toEqual([]);
}
