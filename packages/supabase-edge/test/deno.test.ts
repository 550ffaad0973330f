/**
 * The edge handler under a real Deno binary (npm package `deno`), consuming RelayKit as packed tarballs installed
 * into a temporary project outside the repo (not workspace paths), with the real ChatKit server on the memory store.
 * Requests are made over HTTP on 127.0.0.1, the SSE body read with Node's plain `http` client.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isProcessTreeAlive, type ProcessTree } from '@relaykit/testing';
import { mintSupabaseJwt } from '@relaykit/testing/supabase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  denoBin,
  denoProcessesOf,
  installPackedApp,
  postRaw,
  startDenoServer,
  stopDenoServers,
} from './deno-harness';

const SECRET = 'a-deno-test-secret-of-at-least-32-chars';
const ORIGIN = 'https://health.example.com';

const SERVER_SOURCE = `
import { createChatKitServer, createChatStreamHandler } from '@relaykit/agent-core';
import { createMemoryStore } from '@relaykit/chatkit-store';
import { createEdgeHandler, readEdgeConfig } from '@relaykit/supabase-edge';
import { createMemoryRateLimitStore, createRateLimiter, fixedWindow } from '@relaykit/usage-tracker';

const config = readEdgeConfig();
const store = createMemoryStore();
const server = createChatKitServer({
  store,
  respond: async function* (thread, input, context) {
    const text = input?.content?.[0]?.text ?? '';
    yield {
      type: 'thread.item.done',
      item: {
        type: 'assistant_message',
        id: store.generateItemId('message', thread, context),
        thread_id: thread.id,
        created_at: new Date().toISOString(),
        content: [{ type: 'output_text', text: 'deno echo: ' + text, annotations: [] }],
      },
    };
  },
});
const handler = createEdgeHandler({
  server: createChatStreamHandler(server),
  auth: config.auth,
  cors: config.cors,
  rateLimiter: createRateLimiter({
    store: createMemoryRateLimitStore(),
    algorithm: fixedWindow(3, '1 m'),
    onStoreFailure: 'deny',
  }),
});
Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: ({ port }) => console.log('LISTENING ' + port) }, handler);
`;

const available = existsSync(denoBin);
if (!available) console.log(`skipping the Deno test: no deno binary at ${denoBin}`);

describe.skipIf(!available)('createEdgeHandler under Deno from packed tarballs', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'relaykit-deno-'));
  let child: ProcessTree | undefined;
  let base = '';

  beforeAll(async () => {
    const appDir = installPackedApp({ workDir, name: 'relaykit-deno-consumer' });
    writeFileSync(join(appDir, 'server.ts'), SERVER_SOURCE);
    const server = startDenoServer({
      appDir,
      workDir,
      entry: 'server.ts',
      env: { SUPABASE_JWT_SECRET: SECRET, ALLOWED_ORIGINS: ORIGIN, OPENAI_AGENTS_DISABLE_TRACING: '1' },
    });
    child = server.child;
    base = `http://127.0.0.1:${await server.port}`;
  }, 240_000);

  afterAll(async () => {
    if (child) await stopDenoServers([child]);
    rmSync(workDir, { recursive: true, force: true });
  });

  it('answers a CORS preflight 204 for the allowed origin and 403 for another', async () => {
    const preflight = (origin: string) =>
      fetch(`${base}/functions/v1/health-agent`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
    const allowed = await preflight(ORIGIN);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const denied = await preflight('https://evil.example.com');
    expect(denied.status).toBe(403);
    await denied.body?.cancel();
  });

  it('answers 401 JSON on a bad JWT', async () => {
    const forged = await mintSupabaseJwt({
      sub: crypto.randomUUID(),
      secret: 'some-other-secret-of-32-characters!!',
    });
    const response = await fetch(`${base}/functions/v1/health-agent`, {
      method: 'POST',
      headers: { authorization: `Bearer ${forged}`, origin: ORIGIN },
      body: '{"message":"hi"}',
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect((await response.json()).error.code).toBe('unauthorized');
  });

  it('streams the simple SSE events to a plain HTTP client, answers JSON with stream: false, then 429 with Retry-After', async () => {
    const token = await mintSupabaseJwt({ sub: crypto.randomUUID(), secret: SECRET });
    const raw = await postRaw(
      `${base}/functions/v1/health-agent`,
      { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      JSON.stringify({ message: 'I slept 6 hours', sessionId: 'ses_deno' }),
    );
    expect(raw.status).toBe(200);
    expect(raw.type).toContain('text/event-stream');
    expect(raw.body).toContain('deno echo: I slept 6 hours');
    expect(raw.body).toContain('ses_deno');
    const json = await fetch(`${base}/functions/v1/health-agent`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: JSON.stringify({ message: 'and walked 5 km', stream: false }),
    });
    expect(json.status).toBe(200);
    expect((await json.json()).message).toBe('deno echo: and walked 5 km');
    const third = await fetch(`${base}/functions/v1/health-agent`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: JSON.stringify({ message: 'third', stream: false }),
    });
    expect(third.status).toBe(200);
    expect(third.headers.get('ratelimit-remaining')).toBe('0');
    await third.body?.cancel();
    const limited = await fetch(`${base}/functions/v1/health-agent`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: JSON.stringify({ message: 'fourth', stream: false }),
    });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await limited.json()).error.code).toBe('rate_limited');
  });

  it('leaves no Deno process behind once stopped (the whole process tree, not the launcher)', async () => {
    expect(child).toBeDefined();
    expect(denoProcessesOf(workDir).length).toBeGreaterThan(0);
    await stopDenoServers(child ? [child] : []);
    expect(isProcessTreeAlive(child?.pid ?? 0)).toBe(false);
    expect(denoProcessesOf(workDir)).toEqual([]);
  });
});
