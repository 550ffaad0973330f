/**
 * Scenario C, the database copilot: one agent with the Postgres tool pack (`list_tables`, `get_schema`, `run_sql`,
 * `create_table`). `drop_table` stays disabled: it is destructive and no policy enables it, so the model never sees it.
 * `run_sql` is parsed by the SQL guard and runs read-only as the caller (RLS applies); `create_table` waits for a
 * human's approval (the run returns an interruption). Adding a tool is one `defineTool` file plus `register()`.
 */
import { createToolRegistry } from '@relaykit/tool-registry';
import { toAgentsTools } from '@relaykit/tool-registry/agents';
import { createPostgresTools } from '@relaykit/tool-registry/postgres';
import type { Sql } from 'postgres';
import { z } from 'zod';
import { createAgentRegistry, defineAgent } from '../../src/index.ts';
import { tableRowCount } from './row-count-tool.ts';

/** The agents of scenario C over a postgres.js connection (its user must be able to `SET ROLE authenticated`). */
export function createDatabaseCopilotAgents(deps: { sql: Sql }) {
  const pack = createPostgresTools({ sql: deps.sql, maxRows: 50, statementTimeoutMs: 3_000 });
  const tools = createToolRegistry().register(...pack.all, tableRowCount(deps.sql));
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
