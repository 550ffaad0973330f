/**
 * The audit's hostile requests against the app's routes (PGlite, offline model): every one is a 400 that names the
 * field, never a 5xx, and none leaves a thread behind.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAppConfig } from './config';
import { type AppRoutes, createAppRoutes } from './routes';
import { type AppRuntime, createAppRuntime } from './runtime';
import { signIn } from './sign-in-route';

const origin = 'http://localhost:3000';
let dataDir: string;
let runtime: AppRuntime;
let routes: AppRoutes;
let cookie: string;

/** A JSON POST; `body` is sent as given (a string) so lone surrogates travel as JSON `\ud800` escapes. */
const post = (path: string, body: string) =>
  new Request(`${origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body,
  });

const input = (text: string) => ({
  content: [{ type: 'input_text', text }],
  attachments: [],
  inference_options: {},
});

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'relaykit-web-hostile-'));
  runtime = await createAppRuntime(
    readAppConfig({ RELAYKIT_DATA_DIR: dataDir, RELAYKIT_OFFLINE_DELAY_MS: '0' }),
  );
  routes = createAppRoutes(runtime);
  const response = await signIn(new Request(`${origin}/api/dev/sign-in`, { method: 'POST', body: '{}' }));
  cookie = response.headers.get('set-cookie')?.split(';')[0] ?? '';
});

afterAll(async () => {
  await runtime?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const CHATKIT_CASES: [string, unknown, string][] = [
  [
    'NUL in message text',
    { type: 'threads.create', params: { input: input('a\u0000b') } },
    'params.input.content.0.text',
  ],
  [
    'lone surrogate in message text',
    { type: 'threads.create', params: { input: input('a\ud800b') } },
    'params.input.content.0.text',
  ],
  [
    'NUL in a thread id',
    { type: 'threads.get_by_id', params: { thread_id: 'thr_\u0000' } },
    'params.thread_id',
  ],
  [
    'NUL in a thread id (add message)',
    { type: 'threads.add_user_message', params: { thread_id: 'a\u0000', input: input('x') } },
    'params.thread_id',
  ],
  [
    'limit 1e12 on items.list',
    { type: 'items.list', params: { thread_id: 'thr_1', limit: 1e12 } },
    'params.limit',
  ],
  ['limit 1e12 on threads.list', { type: 'threads.list', params: { limit: 1e12 } }, 'params.limit'],
  [
    'a path as an id',
    { type: 'threads.delete', params: { thread_id: '../../etc/passwd' } },
    'params.thread_id',
  ],
];

describe('hostile requests', () => {
  it.each(CHATKIT_CASES)('/api/chatkit: %s → 400 naming the field', async (_name, body, path) => {
    const response = await routes.chatkit(post('/api/chatkit', JSON.stringify(body)));
    expect(response.status).toBe(400);
    const error = ((await response.json()) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain(path);
  });

  it.each([
    ['NUL in the message', { message: 'a\u0000b' }],
    ['lone surrogate in the message', { message: '\udc00' }],
    ['NUL in the thread id', { message: 'hi', threadId: 'thr_\u0000' }],
  ])('/api/chat: %s → 400', async (_name, body) => {
    const response = await routes.chat(post('/api/chat', JSON.stringify(body)));
    expect(response.status).toBe(400);
  });

  it('leaves no thread behind', async () => {
    const response = await routes.chatkit(
      post('/api/chatkit', JSON.stringify({ type: 'threads.list', params: {} })),
    );
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: unknown[] }).data).toEqual([]);
  });
});
