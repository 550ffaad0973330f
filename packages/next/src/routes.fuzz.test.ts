/**
 * Fuzz: hostile requests against every route of `@relaykit/next` (ChatKit, chat stream, images, image batch, usage,
 * health, thread search, attachment upload) wired to the real ChatKit server with agents on the fake OpenAI server,
 * on PGlite and on Postgres. Properties: no answer ≥ 500; every error is JSON with a stable `code` and no internals;
 * a rejected request leaves the caller's threads and items as they were, and no thread lacks its first user message.
 */

import {
  type AdapterContext,
  createAgentRegistry,
  createBlobAttachmentStore,
  createChatKitServer,
  createModelAccess,
  defineAgent,
} from '@relaykit/agent-core';
import { type ChatKitStore, type ChatKitStoreContext, migrate } from '@relaykit/chatkit-store';
import { createPGliteStore } from '@relaykit/chatkit-store/pglite';
import { createPostgresStore } from '@relaykit/chatkit-store/postgres';
import { makeItem, makeThread } from '@relaykit/chatkit-store/testing';
import { createMemoryBlobStore } from '@relaykit/image-gen';
import { createMemoryStreamLog, RELAYKIT_ERROR_CODES } from '@relaykit/sse-protocol';
import { createFakeOpenAI, type FakeOpenAI } from '@relaykit/testing';
import {
  createPropertyChecker,
  createRouteChecks,
  hostileContentType,
  hostileJson,
  hostileMethod,
  hostileNumber,
  hostileRequest,
  hostileString,
  malformedJsonText,
  mutated,
  percentEncode,
} from '@relaykit/testing/fuzz';
import { createTestDatabase, postgresAvailability, type TestDatabase } from '@relaykit/testing/postgres';
import { mintSupabaseJwt } from '@relaykit/testing/supabase';
import { createPriceTable, createUsageRecorder, type UsageStore } from '@relaykit/usage-tracker';
import { createPGliteStores, migratePGlite } from '@relaykit/usage-tracker/pglite';
import { createPostgresStores, migratePostgres } from '@relaykit/usage-tracker/postgres';
import fc from 'fast-check';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAttachmentUploadRoute } from './attachment-upload-route';
import { createChatStreamRoute } from './chat-stream-route';
import { createChatKitRoute, type RouteHandler } from './chatkit-route';
import { createHealthRoute } from './health-route';
import { createImageRoutes } from './image-routes';
import { createThreadSearchRoute } from './thread-search-route';
import { createUsageRoute } from './usage-route';

process.env.OPENAI_AGENTS_DISABLE_TRACING = '1';

const SECRET = 'a-fuzz-secret-of-at-least-32-characters';
const MAX_BODY_BYTES = 64 * 1024;
const origin = 'http://localhost:3000';
const { probeRoute } = createRouteChecks(RELAYKIT_ERROR_CODES);
const { checkProperty } = createPropertyChecker({ env: process.env });

/** One storage mode: the routes over it, and the store to check afterwards. */
interface Subject {
  routes: {
    chatkit: RouteHandler;
    chat: { POST: RouteHandler; GET: RouteHandler; DELETE: RouteHandler };
    images: RouteHandler;
    imageBatch: RouteHandler;
    usage: RouteHandler;
    health: RouteHandler;
    search: RouteHandler;
    upload: RouteHandler;
  };
  store: ChatKitStore<ChatKitStoreContext>;
  close(): Promise<void>;
}

const helper = defineAgent({
  type: 'helper',
  description: 'A brief helper',
  metadata: z.object({}),
  instructions: 'Be brief.',
});
const venue = defineAgent({
  type: 'venue',
  description: 'Needs a venue id',
  metadata: z.object({ venueId: z.string().max(64) }),
  instructions: (context) => `Venue ${context.metadata.venueId}.`,
});

async function openSubject(
  fake: FakeOpenAI,
  store: Subject['store'],
  usage: UsageStore,
  ping: () => Promise<unknown>,
  close: () => Promise<void>,
): Promise<Subject> {
  const auth = { jwtSecret: SECRET };
  const recorder = createUsageRecorder({ store: usage, prices: createPriceTable() });
  const modelAccess = createModelAccess<AdapterContext>({ apiKey: 'test', baseURL: fake.url, maxRetries: 0 });
  const blobs = createMemoryBlobStore({
    allowedContentTypes: ['text/plain', 'image/png', 'application/pdf'],
  });
  const server = createChatKitServer<AdapterContext>({
    store,
    maxBodyBytes: MAX_BODY_BYTES,
    agents: {
      registry: createAgentRegistry([helper, venue], { defaultAgent: 'helper' }),
      modelAccess,
      usage: recorder,
    },
    attachments: createBlobAttachmentStore({
      blobs,
      store,
      uploadUrl: (id) => `${origin}/api/attachments/${id}`,
      maxBytes: 4096,
    }),
  });
  const shared = { auth, maxBodyBytes: MAX_BODY_BYTES };
  const chat = createChatStreamRoute<AdapterContext>({
    ...shared,
    server,
    streamLog: createMemoryStreamLog(),
    heartbeatMs: 0,
  });
  const images = createImageRoutes({
    auth,
    client: new OpenAI({ apiKey: 'test', baseURL: fake.url, maxRetries: 0 }),
    blobs: createMemoryBlobStore(),
    publicUrl: (path) => `${origin}/files/${path}`,
    usage: recorder,
    maxBatchSize: 4,
  });
  return {
    routes: {
      chatkit: createChatKitRoute<AdapterContext>({ ...shared, server }).POST,
      chat,
      images: images.generate.POST,
      imageBatch: images.batch.POST,
      usage: createUsageRoute({
        auth,
        getUsageSummary: (userId, range) => recorder.getUsageSummary(userId, range),
        getDailyStats: (userId, range) => recorder.getDailyStats(range, { userId }),
        getRecentErrors: (userId, limit, options) => recorder.getRecentErrors(userId, limit, options),
      }).GET,
      health: createHealthRoute({
        checks: { database: async () => void (await ping()) },
        detailsToken: 'a-health-details-token',
      }).GET,
      search: createThreadSearchRoute<AdapterContext>({ server, auth }).GET,
      upload: createAttachmentUploadRoute<AdapterContext>({ server, blobs, auth }).POST,
    },
    store,
    close,
  };
}

/** A caller: a fresh user with one thread (a user message and a reply) and one pending attachment. */
interface Caller {
  userId: string;
  token: string;
  threadId: string;
  itemId: string;
  attachmentId: string;
}

async function newCaller(subject: Subject): Promise<Caller> {
  const userId = crypto.randomUUID();
  const context = { userId };
  const thread = makeThread(0);
  const user = makeItem(thread.id, 0);
  const reply = makeItem(thread.id, 1, {
    type: 'assistant_message',
    content: [{ type: 'output_text', text: 'hello', annotations: [] }],
  });
  await subject.store.createThreadWithItems(thread, [user, reply], [], context);
  const token = await mintSupabaseJwt({ sub: userId, secret: SECRET });
  const created = await subject.routes.chatkit(
    hostileRequest(`${origin}/api/chatkit`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'attachments.create',
        params: { name: 'notes.txt', size: 5, mime_type: 'text/plain' },
      }),
    }),
  );
  expect(created.status).toBe(200);
  const attachment = (await created.json()) as { id: string };
  return { userId, token, threadId: thread.id, itemId: user.id, attachmentId: attachment.id };
}

/** How a request is signed: the caller's own token (mostly), none, garbage, another secret, expired, odd claims. */
const AUTH_KINDS = [
  'none',
  'garbage',
  'basic',
  'tampered',
  'huge',
  'other-secret',
  'expired',
  'sub-not-uuid',
  'sub-empty',
  'service-role',
  'anon-role',
  'anon-no-sub',
  'alg-none',
] as const;
type AuthKind = 'own' | (typeof AUTH_KINDS)[number];

const authKind: fc.Arbitrary<AuthKind> = fc.oneof(
  { weight: 8, arbitrary: fc.constant('own' as const) },
  { weight: 2, arbitrary: fc.constantFrom(...AUTH_KINDS) },
);

/** The headers of an {@link AuthKind} for `caller`. */
async function authHeaders(kind: AuthKind, caller: Caller): Promise<Record<string, string>> {
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const sub = caller.userId;
  const base64 = (value: string) => Buffer.from(value).toString('base64url');
  switch (kind) {
    case 'own':
      return bearer(caller.token);
    case 'none':
      return {};
    case 'garbage':
      return bearer('garbage');
    case 'basic':
      return { authorization: 'Basic dXNlcjpwYXNz' };
    case 'tampered':
      return bearer(`${caller.token}x`);
    case 'huge':
      return { authorization: `bearer  ${'a'.repeat(9000)}` };
    case 'other-secret':
      return bearer(await mintSupabaseJwt({ sub, secret: 'another-secret-long-enough-to-sign-xx' }));
    case 'expired':
      return bearer(
        await mintSupabaseJwt({ sub, secret: SECRET, now: Math.floor(Date.now() / 1000) - 7200 }),
      );
    case 'sub-not-uuid':
      return bearer(await mintSupabaseJwt({ sub: 'not-a-uuid', secret: SECRET }));
    case 'sub-empty':
      return bearer(await mintSupabaseJwt({ sub: '', secret: SECRET }));
    case 'service-role':
      return bearer(await mintSupabaseJwt({ sub, secret: SECRET, role: 'service_role' }));
    case 'anon-role':
      return bearer(await mintSupabaseJwt({ sub, secret: SECRET, role: 'anon' }));
    case 'anon-no-sub':
      return bearer(await mintSupabaseJwt({ secret: SECRET, role: 'anon' }));
    case 'alg-none':
      return bearer(
        `${base64('{"alg":"none","typ":"JWT"}')}.${base64(`{"sub":"${sub}","role":"authenticated"}`)}.`,
      );
  }
}

const input = (text: string, attachments: string[] = []) => ({
  content: [{ type: 'input_text', text }],
  attachments,
  inference_options: {},
});

/** Valid ChatKit bodies of every request type, pointing at the caller's own thread, item and attachment. */
function chatKitTemplates(caller: Caller): unknown[] {
  const { threadId, itemId, attachmentId } = caller;
  return [
    { type: 'threads.create', params: { input: input('hello') }, metadata: {} },
    {
      type: 'threads.create',
      params: { input: input('hi', [attachmentId]) },
      metadata: { agentType: 'venue', venueId: 'v1' },
    },
    { type: 'threads.add_user_message', params: { thread_id: threadId, input: input('more') } },
    { type: 'threads.add_client_tool_output', params: { thread_id: threadId, result: { ok: true } } },
    {
      type: 'threads.add_structured_input',
      params: { thread_id: threadId, item_id: itemId, input: { answers: {} } },
    },
    { type: 'threads.retry_after_item', params: { thread_id: threadId, item_id: itemId } },
    {
      type: 'threads.custom_action',
      params: { thread_id: threadId, item_id: itemId, action: { type: 'x' } },
    },
    {
      type: 'threads.sync_custom_action',
      params: { thread_id: threadId, action: { type: 'x', payload: {} } },
    },
    { type: 'threads.get_by_id', params: { thread_id: threadId } },
    { type: 'threads.list', params: { limit: 5, order: 'asc', after: threadId } },
    { type: 'items.list', params: { thread_id: threadId, limit: 5, order: 'desc', after: itemId } },
    { type: 'items.feedback', params: { thread_id: threadId, item_ids: [itemId], kind: 'positive' } },
    { type: 'attachments.create', params: { name: 'a.txt', size: 3, mime_type: 'text/plain' } },
    { type: 'attachments.delete', params: { attachment_id: attachmentId } },
    { type: 'threads.update', params: { thread_id: threadId, title: 'renamed' } },
    { type: 'threads.delete', params: { thread_id: threadId } },
    { type: 'input.transcribe', params: { audio_base64: 'AAAA', mime_type: 'audio/webm' } },
    { type: 'threads.explode', params: {} },
  ];
}

/** A body as sent: JSON of a (mutated) template, a malformed text, or an oversized one. */
function bodyArbitrary(templates: unknown[]): fc.Arbitrary<string> {
  return fc.oneof(
    {
      weight: 8,
      arbitrary: fc
        .constantFrom(...templates)
        .chain(mutated)
        .map((value) => JSON.stringify(value) ?? ''),
    },
    { weight: 2, arbitrary: malformedJsonText },
    { weight: 1, arbitrary: hostileJson.map((value) => JSON.stringify(value) ?? '') },
    {
      weight: 1,
      arbitrary: fc.constant(
        JSON.stringify({ type: 'threads.create', params: { input: input('x'.repeat(MAX_BODY_BYTES)) } }),
      ),
    },
  );
}

/** Sends one hostile request and checks the answer and the caller's threads. */
const probe = (subject: Subject, caller: Caller, label: string, send: () => Promise<Response>) =>
  probeRoute(subject.store, caller.userId, label, send);

function fuzzRoutes(mode: string, open: () => Promise<Subject>) {
  describe(`@relaykit/next routes under hostile input (${mode})`, () => {
    let subject: Subject;
    let caller: Caller;
    beforeAll(async () => {
      subject = await open();
      caller = await newCaller(subject);
    });
    afterAll(async () => {
      await subject?.close();
    });

    it('ChatKit: every request type, mutated, malformed or oversized, with any auth, method and content type', async () => {
      const statuses = new Set<number>();
      await checkProperty(
        `chatkit (${mode})`,
        fc.asyncProperty(
          fc
            .constant(null)
            .chain(() =>
              fc.tuple(bodyArbitrary(chatKitTemplates(caller)), hostileMethod, hostileContentType, authKind),
            ),
          async ([body, method, contentType, auth]) => {
            const headers = {
              ...(await authHeaders(auth, caller)),
              ...(contentType ? { 'content-type': contentType } : {}),
            };
            const answer = await probe(subject, caller, `${method} /api/chatkit ${body.slice(0, 200)}`, () =>
              subject.routes.chatkit(hostileRequest(`${origin}/api/chatkit`, { method, headers, body })),
            );
            statuses.add(Math.floor(answer.status / 100));
          },
        ),
        60,
      );
      // The inputs reach the server behind the checks: some are served, some refused.
      expect([...statuses].sort()).toEqual([2, 4]);
    });

    it('chat stream: POST bodies, GET resume and DELETE stop with hostile session ids', async () => {
      const templates = [
        { message: 'hello', stream: false },
        { message: 'hi', threadId: caller.threadId, agent: 'helper', metadata: {}, stream: true },
        { message: 'hi', agent: 'venue', metadata: { venueId: 'v' } },
        { message: 'x', sessionId: 'sess_1' },
      ];
      await checkProperty(
        `chat (${mode})`,
        fc.asyncProperty(
          fc.oneof(
            fc.tuple(
              fc.constant('POST' as const),
              bodyArbitrary(templates),
              fc.constant(''),
              fc.constant(''),
            ),
            fc.tuple(
              fc.constantFrom('GET' as const, 'DELETE' as const),
              fc.constant(''),
              // `sess_1` is a real session once a POST above started it.
              fc.oneof(fc.constant('sess_1'), hostileString),
              fc.oneof(hostileString, fc.constantFrom('0', '1', '-1', '999999999999', '1e12', 'sess_1:3')),
            ),
          ),
          hostileContentType,
          authKind,
          async ([method, body, sessionId, lastEventId], contentType, auth) => {
            const headers = {
              ...(await authHeaders(auth, caller)),
              ...(contentType ? { 'content-type': contentType } : {}),
              // A header carries bytes only: the ASCII part of the hostile id.
              ...(lastEventId ? { 'last-event-id': lastEventId.replace(/[^\x20-\x7e]/g, '') } : {}),
            };
            const url = `${origin}/api/chat?sessionId=${percentEncode(sessionId)}&lastEventId=${percentEncode(lastEventId)}`;
            await probe(
              subject,
              caller,
              `${method} /api/chat ${sessionId} ${lastEventId} ${body.slice(0, 200)}`,
              () => subject.routes.chat[method](hostileRequest(url, { method, headers, body })),
            );
          },
        ),
        30,
      );
    });

    it('images and image batches: hostile prompts, sizes, models, item ids and batch sizes', async () => {
      const single = [{ prompt: 'a lighthouse', quality: 'low', size: '1024x1024', model: 'gpt-image-1' }];
      const batch = [
        { items: [{ id: 'one', prompt: 'a' }, { prompt: 'b' }], quality: 'low', concurrency: 2 },
        { items: Array.from({ length: 5 }, (_, index) => ({ prompt: `p${index}` })) },
      ];
      await checkProperty(
        `images (${mode})`,
        fc.asyncProperty(
          fc.oneof(
            fc.tuple(fc.constant('images' as const), bodyArbitrary(single)),
            fc.tuple(fc.constant('imageBatch' as const), bodyArbitrary(batch)),
          ),
          hostileMethod,
          hostileContentType,
          authKind,
          async ([route, body], method, contentType, auth) => {
            const headers = {
              ...(await authHeaders(auth, caller)),
              ...(contentType ? { 'content-type': contentType } : {}),
            };
            await probe(subject, caller, `${method} ${route} ${body.slice(0, 200)}`, () =>
              subject.routes[route](hostileRequest(`${origin}/api/images`, { method, headers, body })),
            );
          },
        ),
        25,
      );
    });

    it('usage, health and thread search: hostile query strings and headers', async () => {
      const query = fc.oneof(
        hostileString,
        hostileNumber.map(String),
        fc.constantFrom(
          '2026-01-01',
          '+275760-09-13',
          '-271821-04-20T00:00:00Z',
          '0001-01-01',
          '9999-12-31T23:59:59Z',
          '1e12',
          'Infinity',
        ),
      );
      await checkProperty(
        `usage/health/search (${mode})`,
        fc.asyncProperty(
          fc.constantFrom('usage' as const, 'health' as const, 'search' as const),
          fc.dictionary(
            fc.constantFrom('from', 'to', 'errors', 'requestId', 'q', 'limit', 'after', 'x'),
            query,
            {
              maxKeys: 4,
            },
          ),
          fc.oneof({ weight: 5, arbitrary: fc.constant('GET') }, { weight: 1, arbitrary: hostileMethod }),
          fc.oneof(authKind, fc.constant('health-token' as const)),
          async (route, params, method, auth) => {
            const search = new URLSearchParams(params).toString();
            const headers =
              auth === 'health-token'
                ? { authorization: 'Bearer a-health-details-token' }
                : await authHeaders(auth, caller);
            await probe(subject, caller, `${method} ${route}?${search}`, () =>
              subject.routes[route](hostileRequest(`${origin}/api/${route}?${search}`, { method, headers })),
            );
          },
        ),
        40,
      );
    });

    it('attachment upload: hostile ids, sizes, types and multipart bodies', async () => {
      await checkProperty(
        `upload (${mode})`,
        fc.asyncProperty(
          fc.oneof(
            { weight: 3, arbitrary: fc.constant('own') },
            { weight: 2, arbitrary: hostileString.map(percentEncode) },
            { weight: 1, arbitrary: fc.constantFrom('%E0%A4%A', '%00', '..%2F..', '%ZZ', '') },
          ),
          fc.oneof(
            fc.constantFrom('hello', '', 'hello world, too long', '\u0000\u0000\u0000\u0000\u0000'),
            fc.string({ unit: 'binary', maxLength: 12 }),
          ),
          fc.constantFrom('raw', 'multipart', 'multipart-no-file', 'multipart-broken'),
          fc.constantFrom('POST', 'PUT', 'POST', 'GET', 'DELETE'),
          fc.constantFrom(
            undefined,
            'text/plain',
            'image/png',
            'application/octet-stream',
            'text/plain; charset=x',
          ),
          authKind,
          async (idPart, content, shape, method, fileType, auth) => {
            // A fresh pending attachment per run, so an upload that succeeds does not turn the rest into 409s.
            const created = await subject.routes.chatkit(
              hostileRequest(`${origin}/api/chatkit`, {
                method: 'POST',
                headers: { authorization: `Bearer ${caller.token}` },
                body: JSON.stringify({
                  type: 'attachments.create',
                  params: { name: 'notes.txt', size: 5, mime_type: 'text/plain' },
                }),
              }),
            );
            expect(created.status).toBe(200);
            const id = idPart === 'own' ? ((await created.json()) as { id: string }).id : idPart;
            let body: BodyInit = content;
            const headers: Record<string, string | undefined> = { ...(await authHeaders(auth, caller)) };
            if (shape === 'raw') headers['content-type'] = fileType;
            else if (shape === 'multipart-broken') {
              headers['content-type'] = 'multipart/form-data; boundary=zz';
              body = `--zz\r\nContent-Disposition: form-data; name="file"\r\n\r\n${content}`;
            } else {
              const form = new FormData();
              if (shape === 'multipart')
                form.set('file', new File([content], 'notes.txt', fileType ? { type: fileType } : {}));
              else form.set('other', content);
              body = form;
            }
            await probe(subject, caller, `${method} upload ${id} ${shape} ${JSON.stringify(content)}`, () =>
              subject.routes.upload(
                hostileRequest(`${origin}/api/attachments/${id}`, { method, headers, body }),
              ),
            );
          },
        ),
        25,
      );
    });
  });
}

const pg = await postgresAvailability();
let fake: FakeOpenAI;

beforeAll(async () => {
  fake = await createFakeOpenAI();
});
afterAll(async () => {
  await fake?.close();
});

fuzzRoutes('PGlite', async () => {
  const store = await createPGliteStore();
  await migratePGlite(store.db);
  const usage = createPGliteStores({ db: store.db });
  return openSubject(
    fake,
    store,
    usage.usage,
    () => store.db.query('select 1'),
    () => store.close(),
  );
});

describe.skipIf(!pg.available)('on Postgres', () => {
  let db: TestDatabase;
  fuzzRoutes('Postgres', async () => {
    db = await createTestDatabase();
    await migrate(db.sql);
    await migratePostgres(db.sql);
    const usage = createPostgresStores({ sql: db.sql });
    const store = createPostgresStore({ sql: db.sql });
    return openSubject(
      fake,
      store,
      usage.usage,
      () => db.sql`select 1`,
      () => db.close(),
    );
  });
});
