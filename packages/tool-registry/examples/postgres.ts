import { createToolRegistry } from '@relaykit/tool-registry';
import { toAgentsTools } from '@relaykit/tool-registry/agents';
import { createPostgresTools } from '@relaykit/tool-registry/postgres';
import postgres from 'postgres';

/** A database copilot's tools: reads run as the signed-in user (RLS applies); drop_table only for admins, with approval. */
export function databaseCopilotTools(connectionString: string) {
  const sql = postgres(connectionString);
  const pack = createPostgresTools({ sql, maxRows: 50, statementTimeoutMs: 3_000 });
  const registry = createToolRegistry({
    policies: [{ effect: 'allow', tools: ['drop_table'], roles: ['admin'] }],
  }).register(...pack.all);
  // Pass { userId, roles } as the run context: run(agent, input, { context: { userId, roles } }).
  return { tools: toAgentsTools(registry), close: () => sql.end() };
}
