/**
 * The `supabase/functions/health-agent` Edge Function under a real Deno binary (npm package `deno`): the function's
 * files are copied into a temporary project where RelayKit is installed from packed tarballs (its `deno.json` import
 * map replaced by those node_modules, never workspace paths), against the fake OpenAI server and a real Postgres
 * database holding every migration of `supabase/migrations`.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFakeOpenAI, type FakeOpenAI } from '@relaykit/testing';
import { createTestDatabase, postgresAvailability, type TestDatabase } from '@relaykit/testing/postgres';
import { mintSupabaseJwt } from '@relaykit/testing/supabase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const packageDir = join(here, '..');
const packagesDir = join(packageDir, '..');
const supabaseDir = join(packagesDir, '..', 'supabase');
const denoBin = join(packageDir, 'node_modules', '.bin', 'deno');
const SECRET = 'a-functions-test-secret-of-32-chars!!';
const PACKED = [
  'sse-protocol',
  'usage-tracker',
  'chatkit-store',
  'image-gen',
  'tool-registry',
  'agent-core',
  'supabase-edge',
];
const REPLY = 'Six hours is a little short; most adults need seven to nine.';

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

describe.skipIf(!available || !pg.available)(
  'supabase/functions/health-agent under Deno from packed tarballs',
  () => {
    const workDir = mkdtempSync(join(tmpdir(), 'relaykit-functions-'));
    let child: ChildProcess | undefined;
    let fake: FakeOpenAI;
    let db: TestDatabase;
    let base = '';
    let stderr = '';

    beforeAll(async () => {
      db = await createTestDatabase();
      for (const file of readdirSync(join(supabaseDir, 'migrations')).sort()) {
        await db.sql.unsafe(readFileSync(join(supabaseDir, 'migrations', file), 'utf8'));
      }
      fake = await createFakeOpenAI({
        script: { rules: [{ match: { lastUserText: 'slept' }, reply: { text: REPLY } }] },
      });

      const tarballDir = join(workDir, 'tarballs');
      const appDir = join(workDir, 'app');
      mkdirSync(tarballDir);
      mkdirSync(appDir);
      const tarballs: Record<string, string> = {};
      const peers: Record<string, string> = {};
      for (const folder of PACKED) {
        const path = join(packagesDir, folder);
        const manifest = JSON.parse(readFileSync(join(path, 'package.json'), 'utf8'));
        const before = new Set(readdirSync(tarballDir));
        execFileSync('pnpm', ['pack', '--pack-destination', tarballDir], { cwd: path, stdio: 'pipe' });
        const created = readdirSync(tarballDir).find((file) => !before.has(file));
        if (!created) throw new Error(`pnpm pack produced no tarball for ${manifest.name}`);
        tarballs[manifest.name] = `file:${join(tarballDir, created)}`;
        for (const [name, range] of Object.entries<string>(manifest.peerDependencies ?? {})) {
          if (manifest.peerDependenciesMeta?.[name]?.optional && name !== 'postgres') continue;
          peers[name] = manifest.devDependencies?.[name] ?? range;
        }
      }
      writeFileSync(
        join(appDir, 'package.json'),
        JSON.stringify({
          name: 'relaykit-functions-consumer',
          private: true,
          type: 'module',
          dependencies: { ...peers, ...tarballs },
          pnpm: { overrides: tarballs },
        }),
      );
      // The functions' own files, unchanged; the import map of deno.json is replaced by the installed tarballs.
      const functionsDir = join(appDir, 'functions');
      cpSync(join(supabaseDir, 'functions', '_shared'), join(functionsDir, '_shared'), { recursive: true });
      cpSync(
        join(supabaseDir, 'functions', 'health-agent', 'index.ts'),
        join(functionsDir, 'health-agent', 'index.ts'),
      );
      writeFileSync(join(appDir, 'deno.json'), JSON.stringify({ nodeModulesDir: 'manual' }));
      execFileSync('pnpm', ['install', '--prefer-offline', '--config.confirmModulesPurge=false'], {
        cwd: appDir,
        stdio: 'pipe',
      });
      child = spawn(
        denoBin,
        [
          'run',
          '--allow-net',
          '--allow-env',
          '--allow-read',
          '--allow-sys',
          'functions/health-agent/index.ts',
        ],
        {
          cwd: appDir,
          env: {
            PATH: process.env.PATH ?? '',
            HOME: process.env.HOME ?? workDir,
            DENO_DIR: join(workDir, 'deno-cache'),
            NO_COLOR: '1',
            RELAYKIT_LOCAL_PORT: '0',
            SUPABASE_JWT_SECRET: SECRET,
            OPENAI_API_KEY: 'sk-fake-functions-test',
            OPENAI_BASE_URL: fake.url,
            DATABASE_URL: db.url,
            OPENAI_AGENTS_DISABLE_TRACING: '1',
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      child.stderr?.on('data', (chunk) => {
        stderr += String(chunk);
      });
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`deno did not start: ${stderr}`)), 90_000);
        let stdout = '';
        child?.stdout?.on('data', (chunk) => {
          stdout += String(chunk);
          const match = /LISTENING (\d+)/.exec(stdout);
          if (match) {
            clearTimeout(timer);
            resolve(Number(match[1]));
          }
        });
        child?.on('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`deno exited with ${code}: ${stderr}`));
        });
      });
      base = `http://127.0.0.1:${port}`;
    }, 240_000);

    afterAll(async () => {
      if (child && child.exitCode === null) {
        const exited = new Promise((resolve) => child?.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await fake?.close();
      await db?.close();
      rmSync(workDir, { recursive: true, force: true });
    });

    it('streams session, chunk…, text_done, response_done, done to a plain HTTP client and stores the thread in Postgres', async () => {
      const userId = crypto.randomUUID();
      const token = await mintSupabaseJwt({ sub: userId, secret: SECRET });
      const raw = await new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
        const request = httpRequest(
          `${base}/functions/v1/health-agent`,
          {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          },
          (response) => {
            let body = '';
            response.setEncoding('utf8');
            response.on('data', (chunk) => {
              body += chunk;
            });
            response.on('end', () =>
              resolve({
                status: response.statusCode ?? 0,
                type: String(response.headers['content-type']),
                body,
              }),
            );
          },
        );
        request.on('error', reject);
        request.end(
          JSON.stringify({ message: 'I slept 6 hours', user: 'ben', deviceId: 'watch-1', stream: true }),
        );
      });
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

      const threads = await db.sql<{ metadata: Record<string, unknown> }[]>`
      select metadata from public.chatkit_threads where user_id = ${userId}`;
      expect(threads).toHaveLength(1);
      const items = await db.sql<{ type: string }[]>`
      select type from public.chatkit_thread_items where user_id = ${userId} order by created_at, seq`;
      expect(items.map((item) => item.type)).toEqual(['user_message', 'assistant_message']);
      const call = fake.calls.find((c) => c.endpoint === 'responses');
      expect(JSON.stringify(call?.body)).toContain('I slept 6 hours');
    });

    it('answers one JSON body with stream: false', async () => {
      const token = await mintSupabaseJwt({ sub: crypto.randomUUID(), secret: SECRET });
      const response = await fetch(`${base}/functions/v1/health-agent`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: JSON.stringify({ message: 'Last night I slept badly', user: 'ben', stream: false }),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('application/json');
      const body = await response.json();
      expect(body.message).toBe(REPLY);
      expect(body.agent).toBe('health');
      expect(typeof body.threadId).toBe('string');
    });

    it('answers 400 with the zod issues for a body without message, and 401 on a bad JWT', async () => {
      const token = await mintSupabaseJwt({ sub: crypto.randomUUID(), secret: SECRET });
      const invalid = await fetch(`${base}/functions/v1/health-agent`, {
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
      const unauthorized = await fetch(`${base}/functions/v1/health-agent`, {
        method: 'POST',
        headers: { authorization: `Bearer ${forged}` },
        body: '{"message":"hi"}',
      });
      expect(unauthorized.status).toBe(401);
      expect((await unauthorized.json()).error.code).toBe('unauthorized');
    });
  },
);
