/**
 * The `supabase/functions` Edge Functions (`health-agent`, `ai-chat-system`, `chatkit`) run from this checkout, as a
 * developer runs them: the test builds the packages they use (turbo, cached), runs `node scripts/functions.mjs check`
 * (`deno check` of every function, `@relaykit/*` resolved from the workspace through `supabase/functions/node_modules`)
 * and serves each function with a real Deno binary (npm package `deno`) on 127.0.0.1, against the fake OpenAI server
 * and a real Postgres database holding every migration of `supabase/migrations`. The functions run with
 * `OPENAI_KEY_SOURCE=vault`: the fake accepts only the project key kept in (the harness's stand-in for) Supabase Vault,
 * never the `OPENAI_API_KEY` secret, so every answer proves the Vault path. The same functions with published packages
 * (the deploy import map) are checked by `tests/release-rehearsal.test.ts` against a local registry.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFakeOpenAI, type FakeOpenAI, type ProcessTree } from '@relaykit/testing';
import { createTestDatabase, postgresAvailability, type TestDatabase } from '@relaykit/testing/postgres';
import { mintSupabaseJwt } from '@relaykit/testing/supabase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { denoBin, denoProcessesOf, postRaw, startDenoServer, stopDenoServers } from './deno-harness';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..', '..');
const supabaseDir = join(repoRoot, 'supabase');
/** Deno's cache kept between runs in this clone (type-check results), outside git. */
const DENO_DIR = join(repoRoot, 'node_modules', '.cache', 'deno');
const SECRET = 'a-functions-test-secret-of-32-chars!!';
const ORIGIN = 'https://workflows.example.com';
const FUNCTIONS = ['health-agent', 'ai-chat-system', 'chatkit'] as const;
type FunctionName = (typeof FUNCTIONS)[number];
const PER_MINUTE = 5;
const REPLY = 'Six hours is a little short; most adults need seven to nine.';
const STATUS_REPLY = 'Every service is up except the scheduler, which is degraded.';
const WORKFLOW_REPLY = 'Trigger at 02:00, query the orders, upload the CSV.';
const SCHEDULER_REPLY = 'The scheduler is degraded; the API and the queue are up.';
const HEART_REPLY = 'Logged 64 bpm from your watch.';
const VAULT_PROJECT_KEY = 'sk-vault-project-key-0123456789abcdef';
const USER_KEY = 'sk-users-own-key-0123456789abcdef';
const USER_KEY_REPLY = 'Answered with your own OpenAI key.';

const pg = await postgresAvailability();
const available = existsSync(denoBin);
if (!available) console.log(`skipping the Edge Function test: no deno binary at ${denoBin}`);

interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

function parseSse(body: string): SseEvent[] {
  const events: SseEvent[] = [];
  for (const block of body.split(/\n\n/)) {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
    }
    if (data.length > 0) events.push({ event, data: JSON.parse(data.join('\n')) });
  }
  return events;
}

describe.skipIf(!available || !pg.available)('supabase/functions under Deno from this checkout', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'relaykit-functions-'));
  const children: ProcessTree[] = [];
  const bases = {} as Record<FunctionName, string>;
  let fake: FakeOpenAI;
  /** A second fake that accepts only USER_KEY, behind a second health-agent instance (`userKeyBase`). */
  let userKeyFake: FakeOpenAI;
  let userKeyBase = '';
  let db: TestDatabase;
  let checkOutput = '';

  function startFunction(name: FunctionName, openaiBaseUrl = fake.url): Promise<number> {
    const server = startDenoServer({
      appDir: join(supabaseDir, 'functions', name),
      workDir,
      entry: 'index.ts',
      env: {
        DENO_DIR,
        RELAYKIT_LOCAL_PORT: '0',
        RELAYKIT_RATE_LIMIT_PER_MINUTE: String(PER_MINUTE),
        SUPABASE_JWT_SECRET: SECRET,
        ALLOWED_ORIGINS: ORIGIN,
        OPENAI_API_KEY: 'sk-env-key-the-fake-refuses',
        OPENAI_KEY_SOURCE: 'vault',
        OPENAI_BASE_URL: openaiBaseUrl,
        DATABASE_URL: db.url,
        OPENAI_AGENTS_DISABLE_TRACING: '1',
      },
    });
    children.push(server.child);
    return server.port;
  }

  beforeAll(async () => {
    // What a clean clone needs before Deno can resolve the workspace packages: their dist/ (cached by turbo).
    execFileSync(
      'pnpm',
      ['turbo', 'run', 'build', '--filter=@relaykit/supabase-functions...', '--output-logs=errors-only'],
      {
        cwd: repoRoot,
        stdio: 'pipe',
        env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
      },
    );
    try {
      checkOutput = execFileSync(process.execPath, [join(repoRoot, 'scripts', 'functions.mjs'), 'check'], {
        cwd: repoRoot,
        env: { ...process.env, DENO_DIR, NO_COLOR: '1' },
        stdio: 'pipe',
        encoding: 'utf8',
      });
    } catch (error) {
      const failure = error as { stdout?: string; stderr?: string };
      checkOutput = `FAILED\n${failure.stdout ?? ''}${failure.stderr ?? ''}`;
    }
    db = await createTestDatabase();
    for (const file of readdirSync(join(supabaseDir, 'migrations')).sort()) {
      await db.sql.unsafe(readFileSync(join(supabaseDir, 'migrations', file), 'utf8'));
    }
    await db.sql`select vault.create_secret(${VAULT_PROJECT_KEY}, 'openai_api_key')`;
    fake = await createFakeOpenAI({
      apiKey: VAULT_PROJECT_KEY,
      script: {
        rules: [
          // Scripted tool calls: the model calls the function's tool, then answers from its output.
          {
            match: { lastUserText: 'scheduler', hasToolOutput: false },
            reply: { toolCalls: [{ name: 'system_status' }] },
          },
          { match: { lastUserText: 'scheduler', hasToolOutput: true }, reply: { text: SCHEDULER_REPLY } },
          {
            match: { lastUserText: 'heart rate', hasToolOutput: false },
            reply: { toolCalls: [{ name: 'log_measurement', arguments: { kind: 'heart_rate', value: 64 } }] },
          },
          { match: { lastUserText: 'heart rate', hasToolOutput: true }, reply: { text: HEART_REPLY } },
          { match: { lastUserText: 'slept' }, reply: { text: REPLY } },
          { match: { lastUserText: 'platform' }, reply: { text: STATUS_REPLY } },
          { match: { lastUserText: 'export' }, reply: { text: WORKFLOW_REPLY } },
        ],
      },
    });

    userKeyFake = await createFakeOpenAI({
      apiKey: USER_KEY,
      script: { rules: [{ match: { lastUserText: 'slept' }, reply: { text: USER_KEY_REPLY } }] },
    });

    const [userKeyPort, ...ports] = await Promise.all([
      startFunction('health-agent', userKeyFake.url),
      ...FUNCTIONS.map((name) => startFunction(name)),
    ]);
    userKeyBase = `http://127.0.0.1:${userKeyPort}`;
    for (const [index, name] of FUNCTIONS.entries()) bases[name] = `http://127.0.0.1:${ports[index]}`;
  }, 480_000);

  afterAll(async () => {
    await stopDenoServers(children);
    await fake?.close();
    await userKeyFake?.close();
    await db?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('type-checks every function with deno check, resolving @relaykit/* from the workspace', () => {
    expect(checkOutput).not.toMatch(/^FAILED/);
    for (const name of FUNCTIONS) expect(checkOutput).toContain(`supabase/functions/${name}/index.ts`);
  });

  it('health-agent streams session, chunk…, text_done, response_done, done to a plain HTTP client and stores the thread in Postgres', async () => {
    const userId = crypto.randomUUID();
    const token = await mintSupabaseJwt({ sub: userId, secret: SECRET });
    const raw = await postRaw(
      `${bases['health-agent']}/functions/v1/health-agent`,
      { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      JSON.stringify({ message: 'I slept 6 hours', user: 'ben', deviceId: 'watch-1', stream: true }),
    );
    expect(raw.status, raw.body).toBe(200);
    expect(raw.type).toContain('text/event-stream');
    const events = parseSse(raw.body);
    const names = events.map((event) => event.event);
    expect(names[0]).toBe('session');
    expect(names.slice(-3)).toEqual(['text_done', 'response_done', 'done']);
    const chunks = events.filter((event) => event.event === 'chunk');
    expect(chunks.length).toBeGreaterThanOrEqual(1);
    expect(names.slice(1, -3).every((name) => name === 'chunk')).toBe(true);
    expect(chunks.map((event) => event.data.text).join('')).toBe(REPLY);
    expect(events.find((event) => event.event === 'text_done')?.data.text).toBe(REPLY);
    const sessionId = events[0]?.data.sessionId;
    expect(typeof sessionId).toBe('string');
    for (const event of events) expect(event.data.sessionId).toBe(sessionId);
    expect(events[0]?.data.userId).toBe(userId);

    const threads = await db.sql<{ id: string }[]>`
      select id from public.chatkit_threads where user_id = ${userId}`;
    expect(threads).toHaveLength(1);
    const items = await db.sql<{ type: string }[]>`
      select type from public.chatkit_thread_items where user_id = ${userId} order by created_at, seq`;
    expect(items.map((item) => item.type)).toEqual(['user_message', 'assistant_message']);
    const call = fake.calls.find((c) => c.endpoint === 'responses');
    expect(JSON.stringify(call?.body)).toContain('I slept 6 hours');
    const usage = await db.sql<{ type: string; requests: number }[]>`
      select type, requests from public.openai_usage where user_id = ${userId}`;
    expect(usage).toEqual([{ type: 'chat', requests: 1 }]);
  });

  it('health-agent answers one JSON body with stream: false', async () => {
    const token = await mintSupabaseJwt({ sub: crypto.randomUUID(), secret: SECRET });
    const response = await fetch(`${bases['health-agent']}/functions/v1/health-agent`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: JSON.stringify({ message: 'Last night I slept badly', user: 'ben', stream: false }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    const body = await response.json();
    expect(body).toMatchObject({
      success: true,
      message: REPLY,
      agent: 'health',
      session: { id: body.sessionId, user: 'ben', threadId: body.threadId },
    });
    expect(typeof body.threadId).toBe('string');
    expect(typeof body.sessionId).toBe('string');
  });

  it('health-agent answers 400 with the zod issues for a body without message, and 401 on a bad JWT', async () => {
    const token = await mintSupabaseJwt({ sub: crypto.randomUUID(), secret: SECRET });
    const invalid = await fetch(`${bases['health-agent']}/functions/v1/health-agent`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: JSON.stringify({ user: 'ben', stream: false }),
    });
    expect(invalid.status).toBe(400);
    const error = (await invalid.json()).error;
    expect(error.code).toBe('invalid_request');
    expect(JSON.stringify(error.details)).toContain('message');
    const forged = await mintSupabaseJwt({
      sub: crypto.randomUUID(),
      secret: 'some-other-secret-of-32-characters!!',
    });
    const unauthorized = await fetch(`${bases['health-agent']}/functions/v1/health-agent`, {
      method: 'POST',
      headers: { authorization: `Bearer ${forged}` },
      body: '{"message":"hi"}',
    });
    expect(unauthorized.status).toBe(401);
    expect((await unauthorized.json()).error.code).toBe('unauthorized');

    // POST only: other methods are 405 before auth, the rate limit or the agent.
    for (const name of FUNCTIONS) {
      for (const method of ['PUT', 'PATCH', 'GET']) {
        const other = await fetch(`${bases[name]}/functions/v1/${name}`, {
          method,
          ...(method === 'GET' ? {} : { body: '{"message":"hi"}' }),
        });
        expect(other.status, `${method} ${name}`).toBe(405);
        expect(other.headers.get('allow')).toBe('POST, OPTIONS');
        await other.body?.cancel();
      }
    }
  });

  it('ai-chat-system answers JSON from the agent named by agentType, SSE on Accept: text/event-stream, and a CORS preflight', async () => {
    const url = `${bases['ai-chat-system']}/functions/v1/ai-chat-system`;
    const token = await mintSupabaseJwt({ sub: crypto.randomUUID(), secret: SECRET });
    const json = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, origin: ORIGIN },
      body: JSON.stringify({ message: 'Is the platform healthy?', agentType: 'system' }),
    });
    expect(json.status).toBe(200);
    expect(json.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const answer = await json.json();
    expect(answer).toMatchObject({ agent: 'system', message: STATUS_REPLY });

    const raw = await postRaw(
      url,
      { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
      JSON.stringify({ message: 'Design a nightly export', sessionId: answer.threadId }),
    );
    expect(raw.status, raw.body).toBe(200);
    expect(raw.type).toContain('text/event-stream');
    const events = parseSse(raw.body);
    expect(events.map((event) => event.event).slice(-3)).toEqual(['text_done', 'response_done', 'done']);
    expect(events.find((event) => event.event === 'text_done')?.data.text).toBe(WORKFLOW_REPLY);
    const [thread] = await db.sql<{ items: number }[]>`
      select count(*)::int as items from public.chatkit_thread_items where thread_id = ${answer.threadId}`;
    expect(thread?.items).toBe(4); // both turns went into the same thread

    const preflight = await fetch(url, {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const unknownAgent = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: JSON.stringify({ message: 'hi', agentType: 'billing' }),
    });
    expect(unknownAgent.status).toBe(400);
    expect((await unknownAgent.json()).error.code).toBe('invalid_request');
  });

  it('ai-chat-system: the system agent runs its system_status tool (scripted tool call) and answers from its output', async () => {
    const token = await mintSupabaseJwt({ sub: crypto.randomUUID(), secret: SECRET });
    const response = await fetch(`${bases['ai-chat-system']}/functions/v1/ai-chat-system`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: JSON.stringify({ message: 'How is the scheduler doing?', agentType: 'system' }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ agent: 'system', message: SCHEDULER_REPLY });
    const outputs = fake.calls
      .filter((call) => call.endpoint === 'responses')
      .flatMap((call) => (call.body as { input?: unknown[] }).input ?? [])
      .filter((item) => (item as { type?: string }).type === 'function_call_output')
      .map((item) => JSON.stringify(item));
    expect(outputs.some((output) => output.includes('degraded') && output.includes('scheduler'))).toBe(true);
  });

  it('health-agent: the health agent logs a measurement with its tool, from the device in the request', async () => {
    const token = await mintSupabaseJwt({ sub: crypto.randomUUID(), secret: SECRET });
    const response = await fetch(`${bases['health-agent']}/functions/v1/health-agent`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: JSON.stringify({
        message: 'My heart rate is 64',
        user: 'ben',
        deviceId: 'watch-7',
        stream: false,
      }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ success: true, message: HEART_REPLY });
    const outputs = fake.calls
      .filter((call) => call.endpoint === 'responses')
      .flatMap((call) => (call.body as { input?: unknown[] }).input ?? [])
      .filter((item) => (item as { type?: string }).type === 'function_call_output')
      .map((item) => JSON.stringify(item));
    expect(outputs.some((output) => output.includes('watch-7') && output.includes('heart_rate'))).toBe(true);
  });

  it('OPENAI_KEY_SOURCE=vault: a user who stored their own key is served with it, everyone else with the project key', async () => {
    const userId = crypto.randomUUID();
    await db.asUser(userId, (tx) => tx`select relaykit.set_my_openai_api_key(${USER_KEY})`);
    const token = await mintSupabaseJwt({ sub: userId, secret: SECRET });
    const ask = (base: string, bearer: string) =>
      fetch(`${base}/functions/v1/health-agent`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bearer}` },
        body: JSON.stringify({ message: 'I slept 6 hours', stream: false }),
      });
    // userKeyFake accepts only USER_KEY (not the project key, not the env key): a 200 proves the user's own key was sent.
    const before = { user: userKeyFake.calls.length, project: fake.calls.length };
    const own = await ask(userKeyBase, token);
    expect(own.status, await own.clone().text()).toBe(200);
    expect((await own.json()).message).toBe(USER_KEY_REPLY);
    expect(userKeyFake.calls.length).toBeGreaterThan(before.user);
    expect(fake.calls.length).toBe(before.project);

    await db.asUser(userId, (tx) => tx`select relaykit.delete_my_openai_api_key()`);
    // A user without their own key gets the project key, which userKeyFake refuses (401): exactly `configuration`.
    const other = await mintSupabaseJwt({ sub: crypto.randomUUID(), secret: SECRET });
    const refused = await ask(userKeyBase, other);
    const refusedText = await refused.text();
    expect(refused.status, refusedText).toBe(500);
    expect(JSON.parse(refusedText).error.code).toBe('configuration');
    expect(refusedText).not.toContain(VAULT_PROJECT_KEY);

    // The main fake accepts only the project key: that user is served with it there.
    const project = await ask(bases['health-agent'], other);
    expect(project.status).toBe(200);
    expect((await project.json()).message).toBe(REPLY);
  });

  it('chatkit speaks the ChatKit protocol: threads.create streams, threads.list answers JSON, another user gets 404', async () => {
    const url = `${bases.chatkit}/functions/v1/chatkit`;
    const owner = await mintSupabaseJwt({ sub: crypto.randomUUID(), secret: SECRET });
    const raw = await postRaw(
      url,
      { authorization: `Bearer ${owner}`, 'content-type': 'application/json' },
      JSON.stringify({
        type: 'threads.create',
        params: {
          input: {
            content: [{ type: 'input_text', text: 'Plan a nightly export' }],
            attachments: [],
            inference_options: {},
          },
        },
      }),
    );
    expect(raw.status, raw.body).toBe(200);
    expect(raw.type).toContain('text/event-stream');
    const events = parseSse(raw.body).map((event) => event.data);
    expect(events[0]?.type).toBe('thread.created');
    const threadId = (events[0]?.thread as { id: string } | undefined)?.id;
    const done = events
      .filter((event) => event.type === 'thread.item.done')
      .map((event) => event.item as { type: string; content: { text: string }[] });
    expect(done.map((item) => item.type)).toEqual(['user_message', 'assistant_message']);
    expect(done[1]?.content[0]?.text).toBe(WORKFLOW_REPLY);

    const list = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner}` },
      body: JSON.stringify({ type: 'threads.list', params: {} }),
    });
    expect(list.status).toBe(200);
    expect((await list.json()).data.map((thread: { id: string }) => thread.id)).toEqual([threadId]);

    const stranger = await mintSupabaseJwt({ sub: crypto.randomUUID(), secret: SECRET });
    const other = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${stranger}` },
      body: JSON.stringify({ type: 'threads.get_by_id', params: { thread_id: threadId } }),
    });
    expect(other.status).toBe(404);
    expect((await other.json()).error.code).toBe('not_found');
  });

  it('limits each user per minute in Postgres: 429 with Retry-After once the limit is spent', async () => {
    const userId = crypto.randomUUID();
    const token = await mintSupabaseJwt({ sub: userId, secret: SECRET });
    const call = () =>
      fetch(`${bases['health-agent']}/functions/v1/health-agent`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: JSON.stringify({ user: 'ben' }), // no message: 400 once admitted, no model call
      });
    for (let index = 0; index < PER_MINUTE; index++) {
      const admitted = await call();
      expect(admitted.status).toBe(400);
      // (the guard adds RateLimit-* only to answers the server produced, not to its own 400)
      await admitted.body?.cancel();
    }
    const limited = await call();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await limited.json()).error.code).toBe('rate_limited');
    const counters = await db.sql<{ key: string }[]>`
      select key from public.usage_rate_limit_counters where key like ${`%${userId}%`}`;
    expect(counters.length).toBeGreaterThanOrEqual(1);
  });

  it('boots without its secrets and answers 500 configuration (logged) until they are set', async () => {
    const server = startDenoServer({
      appDir: join(supabaseDir, 'functions', 'health-agent'),
      workDir,
      entry: 'index.ts',
      env: { DENO_DIR, RELAYKIT_LOCAL_PORT: '0', OPENAI_AGENTS_DISABLE_TRACING: '1' },
    });
    children.push(server.child);
    const base = `http://127.0.0.1:${await server.port}`;
    const response = await fetch(`${base}/functions/v1/health-agent`, {
      method: 'POST',
      headers: { authorization: 'Bearer x' },
      body: JSON.stringify({ message: 'I slept 6 hours' }),
    });
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({
      error: {
        code: 'configuration',
        message: 'Set SUPABASE_JWT_SECRET (or SUPABASE_URL for its JWKS) so the function can verify callers.',
      },
    });
    expect(server.child.output()).toContain('relaykit: the function could not start');
  });

  it('leaves no Deno process behind once stopped', async () => {
    expect(denoProcessesOf(workDir).length).toBeGreaterThan(0);
    await stopDenoServers(children);
    expect(denoProcessesOf(workDir)).toEqual([]);
  });
});
