/** Adding a tool to the copilot: one file with a `defineTool`, then `register()` it next to the pack. */
import { defineTool, RequestError } from '@relaykit/tool-registry';
import type { Sql } from 'postgres';
import { z } from 'zod';

/** `table_row_count`: the planner's row estimate of a public table (cheap, no table scan). */
export function tableRowCount(sql: Sql) {
  return defineTool({
    name: 'table_row_count',
    description: 'Estimated number of rows of a table in the public schema (from the planner statistics).',
    risk: 'read',
    input: z.object({ table: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/) }),
    execute: async ({ table }) => {
      const [row] = await sql<{ estimate: number }[]>`
        select greatest(c.reltuples, 0)::int8::int as estimate from pg_catalog.pg_class c
        join pg_catalog.pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relname = ${table} and c.relkind = 'r'`;
      if (!row) throw new RequestError('not_found', `There is no table "public.${table}".`);
      return { table, estimate: row.estimate };
    },
  });
}
