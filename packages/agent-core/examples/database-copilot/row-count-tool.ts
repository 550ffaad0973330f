/** Adding a tool to the copilot: one file with a `defineTool`, then `register()` it next to the pack. */
import { defineTool, RequestError } from '@relaykit/tool-registry';
import { runAsCaller, type SqlConnection } from '@relaykit/tool-registry/postgres';
import { z } from 'zod';

/**
 * `table_row_count`: the planner's row estimate of a public table the caller can read (cheap, no table scan). It runs
 * on the same {@link SqlConnection} as the Postgres tool pack (`postgresJsConnection(sql)` or `pgliteConnection(db)`)
 * and, like the pack, as the caller (`runAsCaller`: role `authenticated` with the run context's `userId` and
 * `claims`) in a read-only transaction that is cancelled when the call is. The estimate counts every row of the
 * table, not only the caller's.
 */
export function tableRowCount(connection: SqlConnection) {
  return defineTool({
    name: 'table_row_count',
    description:
      'Estimated number of rows of a table in the public schema (from the planner statistics; all rows, not only yours).',
    risk: 'read',
    input: z.object({ table: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/) }),
    execute: async ({ table }, context) => {
      const { rows } = await runAsCaller(
        connection,
        context,
        (tx) =>
          tx.query(
            `select greatest(c.reltuples, 0)::int8::int as estimate from pg_catalog.pg_class c
             join pg_catalog.pg_namespace n on n.oid = c.relnamespace
             where n.nspname = 'public' and c.relname = $1 and c.relkind = 'r'
               and has_table_privilege(c.oid, 'SELECT')`,
            [table],
          ),
        { signal: context.signal, statementTimeoutMs: 3_000 },
      );
      const [row] = rows as { estimate: number }[];
      if (!row) throw new RequestError('not_found', `There is no table "public.${table}" you can read.`);
      return { table, estimate: row.estimate };
    },
  });
}
