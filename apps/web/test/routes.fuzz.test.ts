/**
 * Fuzz: hostile requests against every API route module of the reference app (`app/api/**\/route.ts`, called as
 * Next.js calls them), on its embedded defaults (PGlite, the in-process fake OpenAI server with the offline script)
 * and on Postgres (`DATABASE_URL`). Properties: no answer ≥ 500; every error is JSON with a stable `code` and no
 * internals; a rejected request leaves the caller's threads as they were; no thread lacks its first user message.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RELAYKIT_ERROR_CODES } from '@relaykit/sse-protocol';
import {
  createPropertyChecker,
  createRouteChecks,
  describeFailure,
  hostileContentType,
  hostileJson,
  hostileNumber,
  hostileRequest,
  hostileString,
  malformedJsonText,
  mutated,
  percentEncode,
} from '@relaykit/testing/fuzz';
import { createTestDatabase, postgresAvailability, type TestDatabase } from '@relaykit/testing/postgres';
import fc from 'fast-check';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as agentsRoute from '../app/api/agents/route';
import * as authSignInRoute from '../app/api/auth/sign-in/route';
import * as chatRoute from '../app/api/chat/route';
import * as attachmentRoute from '../app/api/chatkit/attachments/[id]/route';
import * as chatkitRoute from '../app/api/chatkit/route';
import * as searchRoute from '../app/api/chatkit/search/route';
import * as devSignInRoute from '../app/api/dev/sign-in/route';
import * as healthRoute from '../app/api/health/route';
import * as imageBatchRoute from '../app/api/images/batch/route';
import * as imageFileRoute from '../app/api/images/file/[...path]/route';
import * as imagesRoute from '../app/api/images/route';
import * as usageRoute from '../app/api/usage/route';
import { SESSION_COOKIE } from '../src/server/auth';
import { DEFAULT_DEV_JWT_SECRET } from '../src/server/config';
import { type AppRuntime, getRuntime, resetRuntime } from '../src/server/runtime';

type Handler = (request: Request) => Promise<Response>;
type RouteModule = Partial<Record<'GET' | 'POST' | 'PUT' | 'DELETE', Handler>>;

const origin = 'http://localhost:3000';
const { checkAnswer, probeRoute } = createRouteChecks(RELAYKIT_ERROR_CODES);
const { checkProperty } = createPropertyChecker({ env: process.env });

/** Every API route module with the path it is served at (`<id>` and `<path>` are filled in per request). */
const ROUTES: [string, RouteModule][] = [
  ['/api/agents', agentsRoute],
  ['/api/auth/sign-in', authSignInRoute],
  ['/api/chat', chatRoute],
  ['/api/chatkit', chatkitRoute],
  ['/api/chatkit/attachments/<id>', attachmentRoute],
  ['/api/chatkit/search', searchRoute],
  ['/api/dev/sign-in', devSignInRoute],
  ['/api/health', healthRoute],
  ['/api/images', imagesRoute],
  ['/api/images/batch', imageBatchRoute],
  ['/api/images/file/<path>', imageFileRoute],
  ['/api/usage', usageRoute],
];

/** A signed-in caller of its own: a fresh user id, its token, and a thread, item and attachment it owns. */
interface Caller {
  userId: string;
  token: string;
  threadId: string;
  itemId: string;
  attachmentId: string;
}

const tokenFor = (sub: string, secret = DEFAULT_DEV_JWT_SECRET, expiresIn: string | number = '1h') =>
  new SignJWT({ role: 'authenticated' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setAudience('authenticated')
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(secret));

const input = (text: string, attachments: string[] = []) => ({
  content: [{ type: 'input_text', text }],
  attachments,
  inference_options: {},
});

const json = (body: unknown, headers: Record<string, string>) =>
  hostileRequest(`${origin}/api/chatkit`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

/** Reads an SSE body to its end, returning the first `thread.created` thread id (if any). */
async function createdThread(response: Response): Promise<string | undefined> {
  const text = await response.text();
  return /"thread":\{"id":"([^"]+)"/.exec(text)?.[1];
}

async function newCaller(): Promise<Caller> {
  const userId = crypto.randomUUID();
  const token = await tokenFor(userId);
  const headers = { authorization: `Bearer ${token}` };
  const run = await chatkitRoute.POST(
    json(
      { type: 'threads.create', params: { input: input('Hello') }, metadata: { agentType: 'orchestrator' } },
      headers,
    ),
  );
  expect(run.status).toBe(200);
  const threadId = await createdThread(run);
  expect(threadId).toBeDefined();
  const items = (await (
    await chatkitRoute.POST(
      json({ type: 'items.list', params: { thread_id: threadId, order: 'asc' } }, headers),
    )
  ).json()) as { data: { id: string }[] };
  const attachment = (await (
    await chatkitRoute.POST(
      json(
        { type: 'attachments.create', params: { name: 'notes.txt', size: 5, mime_type: 'text/plain' } },
        headers,
      ),
    )
  ).json()) as { id: string };
  return {
    userId,
    token,
    threadId: threadId as string,
    itemId: items.data[0]?.id as string,
    attachmentId: attachment.id,
  };
}

const AUTH_KINDS = [
  'none',
  'garbage-bearer',
  'garbage-cookie',
  'bad-cookie-escape',
  'other-secret',
  'expired',
  'sub-not-uuid',
  'huge-cookie',
] as const;
type AuthKind = 'bearer' | 'cookie' | (typeof AUTH_KINDS)[number];
const authKind: fc.Arbitrary<AuthKind> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('bearer' as const, 'cookie' as const) },
  { weight: 2, arbitrary: fc.constantFrom(...AUTH_KINDS) },
);

async function authHeaders(kind: AuthKind, caller: Caller): Promise<Record<string, string>> {
  const cookie = (value: string) => ({ cookie: `${SESSION_COOKIE}=${value}` });
  switch (kind) {
    case 'bearer':
      return { authorization: `Bearer ${caller.token}` };
    case 'cookie':
      return cookie(caller.token);
    case 'none':
      return {};
    case 'garbage-bearer':
      return { authorization: 'Bearer e30.e30.' };
    case 'garbage-cookie':
      return cookie('not.a.jwt');
    case 'bad-cookie-escape':
      return cookie('%E0%A4%A');
    case 'other-secret':
      return cookie(await tokenFor(caller.userId, 'another-secret-that-is-long-enough-to-use'));
    case 'expired':
      return cookie(
        await tokenFor(caller.userId, DEFAULT_DEV_JWT_SECRET, Math.floor(Date.now() / 1000) - 60),
      );
    case 'sub-not-uuid':
      return cookie(await tokenFor('not-a-uuid'));
    case 'huge-cookie':
      return { cookie: `${'a=b; '.repeat(3000)}${SESSION_COOKIE}=${caller.token}` };
  }
}

/** Valid bodies of the POST routes, pointing at the caller's own thread, item and attachment. */
function templates(caller: Caller): Record<string, unknown[]> {
  const { threadId, itemId, attachmentId } = caller;
  return {
    '/api/chatkit': [
      { type: 'threads.create', params: { input: input('hi') }, metadata: { agentType: 'orchestrator' } },
      {
        type: 'threads.create',
        params: { input: input('hi', [attachmentId]) },
        metadata: { agentType: 'client', clientId: 'client-1', eventId: 'event-1' },
      },
      {
        type: 'threads.add_user_message',
        params: { thread_id: threadId, input: input('more') },
        metadata: { agentType: 'orchestrator' },
      },
      { type: 'threads.retry_after_item', params: { thread_id: threadId, item_id: itemId } },
      {
        type: 'threads.custom_action',
        params: { thread_id: threadId, item_id: itemId, action: { type: 'x' } },
      },
      { type: 'threads.add_client_tool_output', params: { thread_id: threadId, result: { ok: 1 } } },
      { type: 'threads.get_by_id', params: { thread_id: threadId } },
      { type: 'threads.list', params: { limit: 5, order: 'asc', after: threadId } },
      { type: 'items.list', params: { thread_id: threadId, limit: 5, after: itemId } },
      { type: 'items.feedback', params: { thread_id: threadId, item_ids: [itemId], kind: 'negative' } },
      { type: 'attachments.create', params: { name: 'a.png', size: 10, mime_type: 'image/png' } },
      { type: 'attachments.delete', params: { attachment_id: attachmentId } },
      { type: 'threads.update', params: { thread_id: threadId, title: 'renamed' } },
      { type: 'threads.delete', params: { thread_id: threadId } },
      { type: 'input.transcribe', params: { audio_base64: 'AAAA', mime_type: 'audio/webm' } },
    ],
    '/api/chat': [
      { message: 'hello', stream: false },
      { message: 'hi', threadId, agent: 'workflow' },
      { message: 'hi', agent: 'venue_event', metadata: { venueId: 'v', eventId: 'e' } },
    ],
    '/api/images': [{ prompt: 'a fox', quality: 'low', size: '1024x1024' }],
    '/api/images/batch': [{ items: [{ id: 'a', prompt: 'one' }, { prompt: 'two' }], quality: 'low' }],
    '/api/dev/sign-in': [{}],
    '/api/auth/sign-in': [{ email: 'ada@relaykit.dev', password: 'x' }],
  };
}

/** A body: JSON of a (mutated) template, malformed text, any JSON value, a form, or more than the 1 MiB cap. */
function bodyFor(path: string, caller: Caller): fc.Arbitrary<BodyInit | undefined> {
  const valid = templates(caller)[path] ?? [{}];
  return fc.oneof(
    {
      weight: 8,
      arbitrary: fc
        .constantFrom(...valid)
        .chain(mutated)
        .map((value) => JSON.stringify(value) ?? ''),
    },
    { weight: 2, arbitrary: malformedJsonText },
    { weight: 1, arbitrary: hostileJson.map((value) => JSON.stringify(value) ?? '') },
    {
      weight: 1,
      arbitrary: fc.tuple(hostileString, hostileString).map(([email, password]) => {
        const form = new FormData();
        form.set('email', email);
        form.set('password', password);
        form.set('file', new File([email], 'x.txt', { type: 'text/plain' }));
        return form;
      }),
    },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constant(`{"message":"${'x'.repeat(1024 * 1024 + 16)}"}`) },
  );
}

/** A query string of hostile values for the keys the GET routes read. */
const hostileQuery = fc
  .dictionary(
    fc.constantFrom(
      'q',
      'limit',
      'after',
      'from',
      'to',
      'errors',
      'sessionId',
      'lastEventId',
      'attachment_id',
    ),
    fc.oneof(
      hostileString,
      hostileNumber.map(String),
      fc.constantFrom('2026-01-01', '+275760-09-13', '0001-01-01', '../../etc/passwd', 'images/x/y.png'),
    ),
    { maxKeys: 3 },
  )
  .map((params) =>
    Object.entries(params)
      .map(([key, value]) => `${key}=${percentEncode(value)}`)
      .join('&'),
  );

/** A path for the dynamic segments: the caller's own, or hostile (bad escapes, traversal, NUL, surrogates). */
function dynamicPath(caller: Caller): fc.Arbitrary<{ id: string; path: string }> {
  const segment = fc.oneof(
    { weight: 2, arbitrary: hostileString.map(percentEncode) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('%E0%A4%A', '%', '%00', '..', '..%2F..%2Fetc', 'x.png', caller.userId),
    },
  );
  return fc.record({
    id: fc.oneof(fc.constant(caller.attachmentId), segment),
    path: fc
      .array(fc.oneof(fc.constant('images'), fc.constant(caller.userId), segment), {
        minLength: 0,
        maxLength: 4,
      })
      .map((segments) => segments.join('/')),
  });
}

function fuzzApp(
  mode: string,
  environment: () => Promise<Record<string, string>>,
  cleanup: () => Promise<void>,
) {
  describe(`the app's API routes under hostile input (${mode})`, () => {
    let runtime: AppRuntime;
    let caller: Caller;
    beforeAll(async () => {
      await resetRuntime();
      for (const [name, value] of Object.entries(await environment())) vi.stubEnv(name, value);
      runtime = await getRuntime();
      caller = await newCaller();
    });
    afterAll(async () => {
      await resetRuntime();
      vi.unstubAllEnvs();
      await cleanup();
    });

    it('every route module and method: hostile bodies, query strings, paths, auth and content types', async () => {
      const statuses = new Set<number>();
      // Each route module's exported methods, by name (the counterexample shows the path and method, not code).
      const handlers = new Map<string, Handler>();
      for (const [path, module] of ROUTES)
        for (const [method, handler] of Object.entries(module))
          if (['GET', 'POST', 'PUT', 'DELETE'].includes(method) && typeof handler === 'function')
            handlers.set(`${method} ${path}`, handler as Handler);
      const routes = fc.constantFrom(
        ...[...handlers.keys()].map((key) => {
          const [method, path] = key.split(' ') as [string, string];
          return { key, method, path };
        }),
      );
      await checkProperty(
        `app routes (${mode})`,
        fc.asyncProperty(
          routes.chain((route) =>
            fc.record({
              route: fc.constant(route),
              body: bodyFor(route.path, caller),
              query: hostileQuery,
              dynamic: dynamicPath(caller),
              contentType: hostileContentType,
              auth: authKind,
              // Next.js calls a handler with the method it is exported as; a mismatched one probes the handler itself.
              method: fc.oneof(
                { weight: 9, arbitrary: fc.constant(route.method) },
                { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH') },
              ),
            }),
          ),
          async ({ route, body, query, dynamic, contentType, auth, method }) => {
            const path = route.path.replace('<id>', dynamic.id).replace('<path>', dynamic.path);
            const headers: Record<string, string | undefined> = { ...(await authHeaders(auth, caller)) };
            if (typeof body === 'string') headers['content-type'] = contentType;
            const url = `${origin}${path}${query === '' ? '' : `?${query}`}`;
            const answer = await probeRoute(
              runtime.stores.chatkit,
              caller.userId,
              `${method} ${url} ${String(body).slice(0, 200)}`,
              () =>
                (handlers.get(route.key) as Handler)(
                  hostileRequest(url, { method, headers, body: body ?? null }),
                ),
            );
            statuses.add(Math.floor(answer.status / 100));
          },
        ),
        90,
      );
      // Inputs get past auth and the body checks: some are served, some redirected (sign-in), some refused.
      expect([...statuses].sort()).toEqual([2, 3, 4]);
    });

    it('attachments: hostile names and types through create, upload and download', async () => {
      const headers = { authorization: `Bearer ${caller.token}` };
      await checkProperty(
        `attachments (${mode})`,
        fc.asyncProperty(
          fc.oneof(
            hostileString,
            fc.constantFrom('😀.txt', 'naïve "quoted"\r\n.txt', 'ü.png', '\u0000.txt', 'a'.repeat(300)),
          ),
          fc.constantFrom(
            'text/plain',
            'image/png',
            'application/pdf',
            'text/html',
            'application/x-msdownload',
          ),
          fc.string({ unit: 'binary', minLength: 1, maxLength: 16 }),
          async (name, mimeType, content) => {
            const bytes = new TextEncoder().encode(content);
            const created = await probeRoute(
              runtime.stores.chatkit,
              caller.userId,
              `attachments.create ${JSON.stringify(name)} ${mimeType}`,
              () =>
                chatkitRoute.POST(
                  json(
                    {
                      type: 'attachments.create',
                      params: { name, size: bytes.byteLength, mime_type: mimeType },
                    },
                    headers,
                  ),
                ),
            );
            if (created.status !== 200) return;
            const { id } = created.json as { id: string };
            const form = new FormData();
            form.set('file', new File([bytes], 'upload', { type: mimeType }));
            const uploadUrl = `${origin}/api/chatkit/attachments/${id}`;
            const uploaded = await probeRoute(runtime.stores.chatkit, caller.userId, `upload ${id}`, () =>
              attachmentRoute.POST(hostileRequest(uploadUrl, { method: 'POST', headers, body: form })),
            );
            const file = await probeRoute(
              runtime.stores.chatkit,
              caller.userId,
              `download ${id} (${JSON.stringify(name)})`,
              () => attachmentRoute.GET(hostileRequest(uploadUrl, { method: 'GET', headers })),
            );
            if (uploaded.status === 200) expect(file.status, `download of ${JSON.stringify(name)}`).toBe(200);
          },
        ),
        20,
      );
    });

    it('a plain signed-out GET of every GET route is answered without a 5xx', async () => {
      for (const [path, module] of ROUTES) {
        if (!module.GET) continue;
        const answer = await checkAnswer(
          await module.GET(new Request(`${origin}${path.replace(/<\w+>/, 'x')}`)),
        );
        expect(answer.problems, describeFailure(`GET ${path}`, answer)).toEqual([]);
      }
    });
  });
}

const pg = await postgresAvailability();

let pgliteDir: string;
fuzzApp(
  'PGlite',
  async () => {
    pgliteDir = await mkdtemp(join(tmpdir(), 'relaykit-web-fuzz-'));
    return {
      RELAYKIT_DATA_DIR: pgliteDir,
      RELAYKIT_OFFLINE_DELAY_MS: '0',
      DATABASE_URL: '',
      OPENAI_API_KEY: '',
    };
  },
  async () => {
    if (pgliteDir) await rm(pgliteDir, { recursive: true, force: true });
  },
);

describe.skipIf(!pg.available)('on Postgres', () => {
  let db: TestDatabase | undefined;
  let dataDir: string;
  fuzzApp(
    'Postgres',
    async () => {
      db = await createTestDatabase();
      dataDir = await mkdtemp(join(tmpdir(), 'relaykit-web-fuzz-pg-'));
      return {
        RELAYKIT_DATA_DIR: dataDir,
        RELAYKIT_OFFLINE_DELAY_MS: '0',
        DATABASE_URL: db.url,
        RELAYKIT_BOOTSTRAP_SUPABASE_PLATFORM: '1',
        OPENAI_API_KEY: '',
      };
    },
    async () => {
      await db?.close();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  );
});
