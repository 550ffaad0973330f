import { readFileSync } from 'node:fs';
import { Agent, run, setTracingDisabled } from '@openai/agents';
import { assistantMessage, functionCall, ScriptedModel } from '@openai/agents/testing';
import { SUPABASE_PLATFORM_SQL } from '@relaykit/testing/postgres';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { myNotes, notesTools } from '../examples/run-as-caller';
import { toAgentsTools } from './agents';
import { pgliteWorkerConnection } from './postgres';

const ALICE = '0a0a0a0a-0000-4000-8000-00000000000a';
const BOB = '0b0b0b0b-0000-4000-8000-00000000000b';
const alice = { userId: ALICE, claims: { sub: ALICE, role: 'authenticated', email: 'alice@example.com' } };
const bob = { userId: BOB, claims: { sub: BOB, role: 'authenticated' } };

const connection = pgliteWorkerConnection({
  database: {
    pgliteModule: import.meta.resolve('@electric-sql/pglite'),
    setupSql: `${SUPABASE_PLATFORM_SQL}
create table public.notes (id serial primary key, owner uuid not null default auth.uid(), body text not null);
alter table public.notes enable row level security;
create policy own_notes on public.notes for all to authenticated using (owner = auth.uid()) with check (owner = auth.uid());
insert into public.notes (owner, body) values ('${BOB}', 'bob''s note');`,
  },
});

beforeAll(() => setTracingDisabled(true));
afterAll(() => connection.close());

it('README: the example of "Run as the caller" is the one this test runs', () => {
  const example = readFileSync(new URL('../examples/run-as-caller.ts', import.meta.url), 'utf8');
  const snippet = example
    .split('// --- readme: run as the caller ---\n')[1]
    ?.split('// --- end readme ---')[0];
  expect(snippet?.length).toBeGreaterThan(100);
  expect(readFileSync(new URL('../README.md', import.meta.url), 'utf8')).toContain(snippet);
});

it('README: each caller reads and writes only their own rows, directly and through run()', async () => {
  const tools = notesTools(connection);
  // Bob first: the pack's deadlines include opening the worker's database (add_note's default 30 s does not).
  expect(await myNotes(tools, bob)).toMatchObject({ ok: true, output: { rows: [{ body: "bob's note" }] } });
  expect(await tools.execute('add_note', { body: 'alice was here' }, alice)).toEqual({
    ok: true,
    output: { id: 2 },
  });
  expect(await myNotes(tools, alice)).toMatchObject({
    ok: true,
    output: { rows: [{ body: 'alice was here' }] },
  });
  expect(await myNotes(tools, bob)).toMatchObject({ ok: true, output: { rows: [{ body: "bob's note" }] } });
  // A read tool cannot write, whatever the SQL does.
  expect(
    await tools.execute('run_sql', { sql: 'select count(*) from notes for update' }, alice),
  ).toMatchObject({ ok: false, error: { code: 'forbidden' } });

  const model = new ScriptedModel([
    [functionCall('run_sql', { sql: 'select body from notes' }, { callId: 'c1' })],
    [assistantMessage('You have one note.')],
  ]);
  const agent = new Agent({ name: 'notes', instructions: 'Answer.', model, tools: toAgentsTools(tools) });
  const result = await run(agent, 'What are my notes?', { context: alice });
  expect(result.finalOutput).toBe('You have one note.');
  const seen = JSON.stringify(model.calls[1]?.request.input);
  expect(seen).toContain('alice was here');
  expect(seen).not.toContain("bob's note");
}, 300_000);
