import { createToolRegistry, defineTool, type ToolContext } from '@relaykit/tool-registry';
import { createPostgresTools, runAsCaller, type SqlConnection } from '@relaykit/tool-registry/postgres';
import { z } from 'zod';

// --- readme: run as the caller ---
/** The caller of a request: the verified JWT's user id and claims (`AuthenticatedUser` of @relaykit/agent-core). */
export type Caller = { userId: string; claims: Record<string, unknown> };

export function notesTools(connection: SqlConnection) {
  // run_sql, list_tables, get_schema: READ ONLY, as `authenticated` with the caller's claims (else `anon`).
  const pack = createPostgresTools({
    connection,
    statementTimeoutMs: 3_000,
    authenticatedRole: 'authenticated',
  });
  // A tool of your own runs as the caller too; `readOnly: false` only where the tool writes.
  const addNote = defineTool({
    name: 'add_note',
    description: 'Add a note for the signed-in user.',
    risk: 'write',
    input: z.object({ body: z.string().max(500) }),
    execute: ({ body }, context) =>
      runAsCaller(
        connection,
        context,
        async (tx) => (await tx.query('insert into notes (body) values ($1) returning id', [body])).rows[0],
        { readOnly: false, signal: context.signal },
      ),
  });
  return createToolRegistry().register(...pack.all, addNote);
}

// With the Agents SDK: run(agent, input, { context: { userId, claims } }) — toAgentsTools reads both from the run
// context. Without it, pass the same context to the registry:
export const myNotes = (tools: ReturnType<typeof notesTools>, caller: Caller) =>
  tools.execute('run_sql', { sql: 'select body from notes order by id' }, caller satisfies ToolContext);
// --- end readme ---
