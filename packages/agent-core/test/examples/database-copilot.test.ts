import { Runner } from '@openai/agents';
import {
  createPGliteTestDatabase,
  createTestDatabase,
  type PGliteTestDatabase,
  postgresAvailability,
  type TestDatabase,
} from '@relaykit/testing/postgres';
import { pgliteConnection } from '@relaykit/tool-registry/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabaseCopilotAgents } from '../../examples/database-copilot/index.ts';
import { runTurn } from '../../examples/run-turn.ts';
import { offeredTools, startFake, toolOutputs } from './harness.ts';

const pg = await postgresAvailability();
const alice = '00000000-0000-4000-8000-00000000000a';
const bob = '00000000-0000-4000-8000-00000000000b';

describe.skipIf(!pg.available)('scenario C: database copilot (real Postgres)', () => {
  let db: TestDatabase;
  let agents: ReturnType<typeof createDatabaseCopilotAgents>;
  const snapshot = async () =>
    db.sql`select owner::text, name, active from projects order by name`.then((rows) =>
      rows.map((r) => ({ ...r })),
    );

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql`create table projects (id serial primary key, owner uuid not null, name text not null, active boolean not null)`;
    await db.sql`alter table projects enable row level security`;
    await db.sql`create policy own on projects for select to authenticated using (owner = auth.uid())`;
    await db.sql`grant select on projects to authenticated`;
    await db.sql`insert into projects (owner, name, active) values
      (${alice}, 'apollo', true), (${alice}, 'gemini', false), (${bob}, 'mercury', true)`;
    await db.sql`analyze projects`;
    agents = createDatabaseCopilotAgents({ sql: db.sql });
  });
  afterAll(() => db?.close());

  it('reads through run_sql as the caller (RLS applies); drop_table is never offered', async () => {
    const { fake, modelProvider } = await startFake([
      {
        match: { hasToolOutput: false },
        reply: {
          toolCalls: [
            { name: 'list_tables', arguments: {} },
            { name: 'run_sql', arguments: { sql: 'select name from projects where active order by name' } },
            { name: 'table_row_count', arguments: { table: 'projects' } },
          ],
        },
      },
      { match: { hasToolOutput: true }, reply: { text: 'You have one active project: apollo.' } },
    ]);
    try {
      const { result } = await runTurn({
        ...agents,
        modelProvider,
        text: 'Which projects are active?',
        userId: alice,
      });
      expect(result.lastAgent?.name).toBe('database_copilot');
      expect(result.finalOutput).toBe('You have one active project: apollo.');
      const [tables, query, count] = toolOutputs(fake).map((o) => o.output);
      expect(tables).toEqual({
        tables: [{ schema: 'public', name: 'projects', kind: 'table', rlsEnabled: true }],
      });
      expect(query).toMatchObject({ rows: [{ name: 'apollo' }], rowCount: 1, truncated: false });
      expect(count).toEqual({ table: 'projects', estimate: 3 });
      expect(offeredTools(fake)[0]!.sort()).toEqual([
        'create_table',
        'get_schema',
        'list_tables',
        'run_sql',
        'table_row_count',
      ]);
    } finally {
      await fake.close();
    }
  });

  it('refuses hostile run_sql with the parser-based guard; the database is unchanged', async () => {
    const before = await snapshot();
    const hostile = [
      'select 1; drop table projects',
      'with gone as (delete from projects returning *) select * from gone',
      "select pg_read_file('/etc/passwd')",
    ];
    const { fake, modelProvider } = await startFake([
      {
        match: { hasToolOutput: false },
        reply: { toolCalls: hostile.map((sql) => ({ name: 'run_sql', arguments: { sql } })) },
      },
      { match: { hasToolOutput: true }, reply: { text: 'I can only run read-only queries.' } },
    ]);
    try {
      const { result } = await runTurn({
        ...agents,
        modelProvider,
        text: 'Clean up my projects',
        userId: bob,
      });
      expect(result.finalOutput).toBe('I can only run read-only queries.');
      const outputs = toolOutputs(fake).map((o) => o.output as { error?: { code: string } });
      expect(outputs).toHaveLength(3);
      for (const output of outputs) expect(output.error?.code).toBe('forbidden');
      expect(await snapshot()).toEqual(before);
      expect(before).toHaveLength(3);
    } finally {
      await fake.close();
    }
  });

  it('create_table waits for approval, then creates the table with RLS on', async () => {
    const { fake, modelProvider } = await startFake([
      {
        match: { hasToolOutput: false },
        reply: {
          toolCalls: [
            {
              name: 'create_table',
              arguments: {
                name: 'notes',
                columns: [
                  { name: 'id', type: 'uuid', primaryKey: true },
                  { name: 'body', type: 'text' },
                ],
              },
            },
          ],
        },
      },
      { match: { hasToolOutput: true }, reply: { text: 'Created the notes table.' } },
    ]);
    try {
      const { result } = await runTurn({
        ...agents,
        modelProvider,
        text: 'Create a notes table',
        userId: alice,
      });
      expect(result.interruptions.map((i) => i.name)).toEqual(['create_table']);
      expect(await db.sql`select to_regclass('public.notes') as t`).toEqual([{ t: null }]);

      result.state.approve(result.interruptions[0]!);
      const resumed = await new Runner({ modelProvider }).run(result.lastAgent!, result.state, {
        context: { userId: alice, agentType: 'database_copilot' },
      });
      expect(resumed.finalOutput).toBe('Created the notes table.');
      const [table] = await db.sql`select relrowsecurity from pg_class where oid = 'public.notes'::regclass`;
      expect(table).toEqual({ relrowsecurity: true });
    } finally {
      await fake.close();
    }
  });
});

describe('scenario C: database copilot over a SqlConnection (embedded PGlite)', () => {
  let db: PGliteTestDatabase;
  let agents: ReturnType<typeof createDatabaseCopilotAgents>;

  beforeAll(async () => {
    db = await createPGliteTestDatabase();
    await db.exec(`
      create table projects (id serial primary key, owner uuid not null, name text not null, active boolean not null);
      alter table projects enable row level security;
      create policy own on projects for select to authenticated using (owner = auth.uid());
      grant select on projects to authenticated;
      insert into projects (owner, name, active) values
        ('${alice}', 'apollo', true), ('${alice}', 'gemini', false), ('${bob}', 'mercury', true);
      analyze projects;
    `);
    agents = createDatabaseCopilotAgents({ connection: pgliteConnection(db.db) });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('runs the pack and table_row_count on the same connection, as the caller', async () => {
    const { fake, modelProvider } = await startFake([
      {
        match: { hasToolOutput: false },
        reply: {
          toolCalls: [
            { name: 'run_sql', arguments: { sql: 'select name from projects order by name' } },
            { name: 'table_row_count', arguments: { table: 'projects' } },
            { name: 'table_row_count', arguments: { table: 'missing' } },
          ],
        },
      },
      { match: { hasToolOutput: true }, reply: { text: 'You have two projects.' } },
    ]);
    try {
      const { result } = await runTurn({
        ...agents,
        modelProvider,
        text: 'How many projects?',
        userId: alice,
      });
      expect(result.finalOutput).toBe('You have two projects.');
      const [query, count, missing] = toolOutputs(fake).map((o) => o.output);
      expect(query).toMatchObject({ rows: [{ name: 'apollo' }, { name: 'gemini' }], rowCount: 2 });
      expect(count).toEqual({ table: 'projects', estimate: 3 });
      expect(missing).toMatchObject({ error: { code: 'not_found' } });
      expect(offeredTools(fake)[0]!.sort()).toEqual([
        'create_table',
        'get_schema',
        'list_tables',
        'run_sql',
        'table_row_count',
      ]);
    } finally {
      await fake.close();
    }
  });
});
