/**
 * Scenario C, the database copilot: one agent with the Postgres tool pack (`list_tables`, `get_schema`, `run_sql`,
 * `create_table`). `drop_table` stays disabled: it is destructive and no policy enables it, so the model never sees it.
 * `run_sql` is parsed by the SQL guard and runs read-only as the caller (RLS applies); `create_table` waits for a
 * human's approval (the run returns an interruption). Adding a tool is one `defineTool` file plus `register()`.
 */
import { createToolRegistry } from '@relaykit/tool-registry';
import { toAgentsTools } from '@relaykit/tool-registry/agents';
import {
  createPostgresTools,
  postgresJsConnection,
  type SqlConnection,
} from '@relaykit/tool-registry/postgres';
import type { Sql } from 'postgres';
import { z } from 'zod';
import { createAgentRegistry, defineAgent } from '../../src/index.ts';
import { tableRowCount } from './row-count-tool.ts';

/**
 * Where the copilot's tools run: a postgres.js client (`{ sql }`, its user must be able to `SET ROLE authenticated`)
 * or any `SqlConnection` of `@relaykit/tool-registry/postgres` (`{ connection: pgliteConnection(db) }` for PGlite).
 */
export type DatabaseCopilotDeps = { sql: Sql } | { connection: SqlConnection };

/** The agents of scenario C; the pack and `table_row_count` share one connection. */
export function createDatabaseCopilotAgents(deps: DatabaseCopilotDeps) {
  const connection = 'connection' in deps ? deps.connection : postgresJsConnection(deps.sql);
  const pack = createPostgresTools({ connection, maxRows: 50, statementTimeoutMs: 3_000 });
  const tools = createToolRegistry().register(...pack.all, tableRowCount(connection));
  const copilot = defineAgent({
    type: 'database_copilot',
    description: 'Answers questions about the user’s database and creates tables on approval.',
    metadata: z.object({}),
    instructions:
      'You work on the user’s Postgres database. Call list_tables and get_schema before writing SQL. ' +
      'run_sql only accepts one read-only SELECT; explain refusals instead of retrying them.',
    tools: toAgentsTools(tools),
    model: 'gpt-4.1',
    modelSettings: { temperature: 0 },
    starterPrompts: ['Which tables do I have?', 'How many projects are active?'],
  });
  return { registry: createAgentRegistry([copilot]), tools };
}
