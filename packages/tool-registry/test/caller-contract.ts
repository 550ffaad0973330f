/**
 * The contract of "SQL tools run as the caller", shared by every driver (PGlite in a worker, real Postgres): a table
 * with the RLS policy `owner = auth.uid()`, two users who each see only their own rows through the tools, the claims
 * set the way PostgREST sets them, a configurable role, writes refused in read-only tools with a typed code and no
 * SQL internals in any error, and the statement timeout and `maxResultBytes` still in force.
 */
import { Agent, run } from '@openai/agents';
import { assistantMessage, functionCall, ScriptedModel } from '@openai/agents/testing';
import { SUPABASE_PLATFORM_SQL } from '@relaykit/testing/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toAgentsTools } from '../src/agents';
import { createToolRegistry, defineTool, type ToolContext, type ToolResult } from '../src/index';
import { createPostgresTools, runAsCaller, type SqlConnection } from '../src/postgres';

export const CALLER_ALICE = 'aaaaaaaa-1111-4111-8111-111111111111';
export const CALLER_BOB = 'bbbbbbbb-2222-4222-8222-222222222222';

/**
 * The contract's schema. Like Supabase, it needs the roles `anon` and `authenticated` and the function `auth.uid()`:
 * `SUPABASE_PLATFORM_SQL` creates them when missing (a bare PGlite) and leaves them alone where they exist.
 * `caller_analyst` is the role of the configurable-role case.
 */
export const CALLER_SETUP_SQL = `${SUPABASE_PLATFORM_SQL}
do $caller_role$
begin
  create role caller_analyst nologin noinherit;
exception when duplicate_object or unique_violation then
  null; -- there already, or another test file created the cluster-wide role at the same moment
end
$caller_role$;
grant usage on schema auth, public to caller_analyst;
grant execute on function auth.uid() to caller_analyst;
create table public.caller_notes (
  id serial primary key,
  owner uuid not null default auth.uid(),
  body text not null
);
alter table public.caller_notes enable row level security;
create policy caller_notes_own on public.caller_notes for all to authenticated, caller_analyst
  using (owner = auth.uid()) with check (owner = auth.uid());
grant select, insert, delete on public.caller_notes to anon, authenticated, caller_analyst;
grant usage on sequence public.caller_notes_id_seq to authenticated, caller_analyst;
insert into public.caller_notes (owner, body) values
  ('${CALLER_ALICE}', 'alice one'), ('${CALLER_ALICE}', 'alice two'), ('${CALLER_BOB}', 'bob secret');
create function public.caller_bump() returns int language sql volatile as
  $$ insert into public.caller_notes (body) values ('bumped') returning id $$;
grant execute on function public.caller_bump() to anon, authenticated, caller_analyst;
`;

/** A database the contract runs on, with {@link CALLER_SETUP_SQL} applied. */
export interface CallerContractTarget {
  connection: SqlConnection;
  close(): Promise<void>;
}

const alice: ToolContext = {
  userId: CALLER_ALICE,
  claims: { email: 'alice@example.com', aal: 'aal1', app_metadata: { plan: 'pro' } },
};
const bob: ToolContext = { userId: CALLER_BOB, claims: { email: 'bob@example.com' } };

/** What no error may show: the tools' own SQL, settings, wrappers, driver text or stacks. */
const INTERNALS = /set_config|request\.jwt|statement_timeout|relaykit_|postgres:\/\/|\n\s+at |Error:/i;

function expectFailure(result: ToolResult, code: string): string {
  expect(result).toMatchObject({ ok: false, error: { code } });
  const text = JSON.stringify(result);
  expect(text).not.toMatch(INTERNALS);
  return result.ok ? '' : result.error.message;
}

const bodies = (result: ToolResult) =>
  result.ok ? (result.output as { rows: { body: string }[] }).rows.map((row) => row.body) : result;

/** Defines the contract's tests for one driver; `open` is called once, before them. */
export function describeCallerContract(name: string, open: () => Promise<CallerContractTarget>) {
  describe(`SQL tools run as the caller on ${name}`, () => {
    let target: CallerContractTarget;
    const tools = (options: Parameters<typeof createPostgresTools>[0] = {}) =>
      createToolRegistry().register(
        ...createPostgresTools({
          connection: target.connection,
          statementTimeoutMs: 1_500,
          maxResultBytes: 300,
          ...options,
        }).all,
      );

    beforeAll(async () => {
      target = await open();
    }, 180_000);
    afterAll(async () => {
      await target?.close();
    });

    it('lets each of two users see only their own rows; without a user, none', async () => {
      const registry = tools();
      const sql = { sql: 'select body from caller_notes order by id' };
      expect(bodies(await registry.execute('run_sql', sql, alice))).toEqual(['alice one', 'alice two']);
      expect(bodies(await registry.execute('run_sql', sql, bob))).toEqual(['bob secret']);
      expect(bodies(await registry.execute('run_sql', sql, {}))).toEqual([]);
      // The caller from the claims alone (a context with the verified token's claims and no userId).
      expect(bodies(await registry.execute('run_sql', sql, { claims: { sub: CALLER_BOB } }))).toEqual([
        'bob secret',
      ]);
    }, 120_000);

    it('sets role, request.jwt.claims and request.jwt.claim.sub as PostgREST does; userId wins over a claimed sub', async () => {
      const registry = tools({ maxResultBytes: 65_536 });
      const whoami = {
        sql: `select current_user::text as role, auth.uid()::text as uid,
          current_setting('request.jwt.claim.sub', true) as sub,
          current_setting('request.jwt.claims', true)::jsonb as claims,
          current_setting('transaction_read_only') as read_only`,
      };
      expect(await registry.execute('run_sql', whoami, alice)).toMatchObject({
        ok: true,
        output: {
          rows: [
            {
              role: 'authenticated',
              uid: CALLER_ALICE,
              sub: CALLER_ALICE,
              claims: {
                sub: CALLER_ALICE,
                role: 'authenticated',
                email: 'alice@example.com',
                aal: 'aal1',
                app_metadata: { plan: 'pro' },
              },
              read_only: 'on',
            },
          ],
        },
      });
      const forged = { userId: CALLER_ALICE, claims: { sub: CALLER_BOB, role: 'service_role' } };
      expect(await registry.execute('run_sql', whoami, forged)).toMatchObject({
        ok: true,
        output: { rows: [{ role: 'authenticated', uid: CALLER_ALICE, claims: { role: 'authenticated' } }] },
      });
      expect(await registry.execute('run_sql', whoami, {})).toMatchObject({
        ok: true,
        output: { rows: [{ role: 'anon', uid: null, sub: '', claims: { role: 'anon' } }] },
      });
    }, 120_000);

    it('reads the caller from the Agents SDK run context ({ userId, claims }) in a real run()', async () => {
      const model = new ScriptedModel([
        [functionCall('run_sql', { sql: 'select body from caller_notes order by id' }, { callId: 'c1' })],
        [assistantMessage('Done.')],
      ]);
      const agent = new Agent({
        name: 'copilot',
        instructions: 'Answer.',
        model,
        tools: toAgentsTools(tools()),
      });
      await run(agent, 'My notes?', { context: { userId: CALLER_BOB, claims: { role: 'authenticated' } } });
      const toolOutput = JSON.stringify(model.calls[1]?.request.input);
      expect(toolOutput).toContain('bob secret');
      expect(toolOutput).not.toContain('alice');
    }, 120_000);

    it('runs as a configured role', async () => {
      const registry = tools({ authenticatedRole: 'caller_analyst' });
      const result = await registry.execute(
        'run_sql',
        { sql: 'select current_user::text as role, count(*)::int as n from caller_notes' },
        alice,
      );
      expect(result).toMatchObject({ ok: true, output: { rows: [{ role: 'caller_analyst', n: 2 }] } });
    }, 120_000);

    it('refuses a write in a read-only tool with a typed code and no SQL internals', async () => {
      const registry = tools();
      // The guard lets a function call through; the READ ONLY transaction refuses what it does.
      const bump = expectFailure(
        await registry.execute('run_sql', { sql: 'select public.caller_bump()' }, alice),
        'forbidden',
      );
      expect(bump).toMatch(/read-only/);
      // A tool of one's own that runs as the caller is read-only unless it says otherwise.
      const sneaky = defineTool({
        name: 'sneaky_note',
        description: 'Tries to write from a read tool.',
        risk: 'read',
        input: z.object({}),
        execute: (_input, context) =>
          runAsCaller(target.connection, context, (tx) =>
            tx.query("insert into caller_notes (body) values ('sneaky')"),
          ),
      });
      const own = createToolRegistry().register(sneaky);
      expectFailure(await own.execute('sneaky_note', {}, alice), 'forbidden');
      expect(
        bodies(await registry.execute('run_sql', { sql: 'select body from caller_notes' }, alice)),
      ).toEqual(['alice one', 'alice two']);
    }, 120_000);

    it('lets a write tool change only what the caller’s policies allow (readOnly: false)', async () => {
      const addNote = defineTool({
        name: 'add_note',
        description: 'Adds a note as the caller.',
        risk: 'write',
        input: z.object({ body: z.string(), owner: z.string().optional() }),
        execute: ({ body, owner }, context) =>
          runAsCaller(
            target.connection,
            context,
            async (tx) =>
              (
                await tx.query(
                  'insert into caller_notes (owner, body) values (coalesce($1::uuid, auth.uid()), $2) returning owner::text',
                  [owner ?? null, body],
                )
              ).rows[0],
            { readOnly: false, signal: context.signal },
          ),
      });
      const own = createToolRegistry().register(addNote);
      expect(await own.execute('add_note', { body: 'alice three' }, alice)).toEqual({
        ok: true,
        output: { owner: CALLER_ALICE },
      });
      // Alice writing a row as Bob breaks the policy's WITH CHECK: forbidden.
      expectFailure(await own.execute('add_note', { body: 'as bob', owner: CALLER_BOB }, alice), 'forbidden');
      const registry = tools();
      const sql = { sql: 'select body from caller_notes order by id' };
      expect(bodies(await registry.execute('run_sql', sql, bob))).toEqual(['bob secret']);
      expect(bodies(await registry.execute('run_sql', sql, alice))).toEqual([
        'alice one',
        'alice two',
        'alice three',
      ]);
      await runAsCaller(
        target.connection,
        alice,
        (tx) => tx.query("delete from caller_notes where body = 'alice three'"),
        {
          readOnly: false,
        },
      );
    }, 120_000);

    it('fails with configuration, not the database text, when the role cannot be switched to', async () => {
      const registry = tools({ authenticatedRole: 'caller_missing_role' });
      const message = expectFailure(
        await registry.execute('run_sql', { sql: 'select 1 as one' }, alice),
        'configuration',
      );
      expect(message).not.toMatch(/caller_missing_role|does not exist/);
    }, 120_000);

    it('keeps maxResultBytes and the statement timeout in force as the caller', async () => {
      const registry = tools();
      const big = await registry.execute(
        'run_sql',
        { sql: "select repeat('x', 200) as big from caller_notes order by id" },
        alice,
      );
      expect(big).toMatchObject({ ok: true, output: { rowCount: 1, truncated: true, truncatedBy: 'bytes' } });
      expect(await registry.execute('run_sql', { sql: 'show statement_timeout' }, alice)).toMatchObject({
        ok: true,
        output: { rows: [{ statement_timeout: '1500ms' }] },
      });
      expectFailure(await registry.execute('run_sql', { sql: 'select pg_sleep(60)' }, alice), 'timeout');
      // The next call runs as the caller again (a fresh worker on PGlite).
      expect(
        bodies(await registry.execute('run_sql', { sql: 'select body from caller_notes' }, bob)),
      ).toEqual(['bob secret']);
    }, 180_000);
  });
}
