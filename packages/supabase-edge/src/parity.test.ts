import { type AdapterContext, createChatKitServer, createChatStreamHandler } from '@relaykit/agent-core';
import { createMemoryStore } from '@relaykit/chatkit-store';
import { createChatKitRoute, createChatStreamRoute } from '@relaykit/next';
import { createMemoryStreamLog, type ThreadItem, type ThreadStreamEventInput } from '@relaykit/sse-protocol';
import { mintSupabaseJwt } from '@relaykit/testing/supabase';
import { createMemoryRateLimitStore, createRateLimiter, fixedWindow } from '@relaykit/usage-tracker';
import { describe, expect, it } from 'vitest';
import { createEdgeHandler } from './edge-handler';

const SECRET = 'a-test-secret-of-at-least-32-characters';
const USER = '9e8d7c6b-5a4f-4e3d-9c2b-1a0f9e8d7c6b';

/** One scripted conversation: the server answers an SSE stream of simple events derived from the body and user. */
function scriptedServer() {
  return {
    async handle(request: Request, context: AdapterContext): Promise<Response> {
      const body = (await request.json()) as { message?: string };
      if (body.message === 'missing thread') {
        const { RequestError } = await import('@relaykit/sse-protocol');
        throw new RequestError('not_found', 'Thread not found.');
      }
      const events = [
        { type: 'session', sessionId: 'ses_1', userId: context.userId },
        { type: 'chunk', content: `echo: ${body.message}` },
        { type: 'text_done' },
        { type: 'done' },
      ];
      const text = events.map((event, index) => `id: ${index}\ndata: ${JSON.stringify(event)}\n\n`).join('');
      return new Response(text, {
        headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
      });
    },
  };
}

function adapters(limit: number) {
  const limiter = () =>
    createRateLimiter({
      store: createMemoryRateLimitStore(),
      algorithm: fixedWindow(limit, '1 m'),
      onStoreFailure: 'deny',
    });
  const next = createChatKitRoute({
    server: scriptedServer(),
    auth: { jwtSecret: SECRET },
    maxBodyBytes: 512,
    rateLimiter: limiter(),
  }).POST;
  const edge = createEdgeHandler({
    server: scriptedServer(),
    auth: { jwtSecret: SECRET },
    cors: { allowedOrigins: '*' },
    maxBodyBytes: 512,
    rateLimiter: limiter(),
  });
  return { next, edge };
}

const HEADERS_THAT_MATTER = [
  'content-type',
  'cache-control',
  'retry-after',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-policy',
];

/**
 * Status, the headers that matter and the body; each request's own id (fresh per request) is checked to be in the
 * `x-request-id` header and, on an error, in `error.requestId` too, then replaced by a placeholder.
 */
async function snapshot(response: Response) {
  const requestId = response.headers.get('x-request-id');
  expect(requestId).toMatch(/^req_[0-9a-f]{32}$/);
  let body = await response.text();
  if (response.status >= 400) expect(JSON.parse(body).error.requestId).toBe(requestId);
  body = body.replaceAll(requestId as string, '<request-id>');
  return {
    status: response.status,
    headers: Object.fromEntries(HEADERS_THAT_MATTER.map((name) => [name, response.headers.get(name)])),
    body,
  };
}

describe('the same requests through @relaykit/next and @relaykit/supabase-edge', () => {
  it('produce identical status, headers and bodies for a scripted conversation and its failures', async () => {
    const { next, edge } = adapters(5);
    const token = await mintSupabaseJwt({ sub: USER, secret: SECRET });
    const forged = await mintSupabaseJwt({ sub: USER, secret: 'not-the-secret-but-32-characters-long' });
    const requests: Array<() => Request> = [
      () => chat('{"message":"plan a picnic"}', token),
      () => chat('{"message":"missing thread"}', token),
      () => chat('{"message":', token),
      () => chat(JSON.stringify({ message: 'x'.repeat(600) }), token),
      () => chat('{"message":"hi"}', forged),
      () => chat('{"message":"hi"}'),
    ];
    const statuses: number[] = [];
    for (const make of requests) {
      const fromNext = await snapshot(await next(make()));
      const fromEdge = await snapshot(await edge(make()));
      expect(fromEdge).toEqual(fromNext);
      statuses.push(fromNext.status);
    }
    expect(statuses).toEqual([200, 404, 400, 413, 401, 401]);
  });

  it('answer a 400 and a 429 with the same request id in the x-request-id header and in error.requestId', async () => {
    // Two calls a minute: the 400 and the 200 use them up.
    const { next, edge } = adapters(2);
    const token = await mintSupabaseJwt({ sub: USER, secret: SECRET });
    for (const [name, handler] of [
      ['next', next],
      ['edge', edge],
    ] as const) {
      const answers: Array<[number, string | null, unknown]> = [];
      // A proxy's id is reused; without one the adapter makes one. 400: the body is not JSON; 429: the second call.
      for (const [body, given] of [
        ['{"message":', `req_${name}_bad_json_0001`],
        ['{"message":"hi"}', undefined],
        ['{"message":"hi"}', `req_${name}_limited_0001`],
        ['{"message":"hi"}', undefined],
      ] as const) {
        const response = await handler(chat(body, token, given));
        const header = response.headers.get('x-request-id');
        if (given) expect(header).toBe(given);
        const json = response.status === 200 ? undefined : await response.json();
        answers.push([response.status, header, json?.error.requestId]);
      }
      expect(answers.map(([status]) => status)).toEqual([400, 200, 429, 429]);
      for (const [status, header, inBody] of answers) {
        expect(header).toMatch(/^req_/);
        if (status !== 200) expect(inBody).toBe(header);
      }
      expect(answers[3]?.[1]).not.toBe(answers[2]?.[1]);
    }
  });

  it('rate-limit the same way', async () => {
    const { next, edge } = adapters(1);
    const token = await mintSupabaseJwt({ sub: USER, secret: SECRET });
    for (const expected of [200, 429]) {
      const fromNext = await snapshot(await next(chat('{"message":"hi"}', token)));
      const fromEdge = await snapshot(await edge(chat('{"message":"hi"}', token)));
      expect(fromNext.status).toBe(expected);
      // Retry-After and retryAfterMs count down with the clock between the two calls; compare the rest.
      const stable = (value: Awaited<ReturnType<typeof snapshot>>) => ({
        ...value,
        headers: { ...value.headers, 'retry-after': null },
        body: value.body.replace(/"retryAfterMs":\d+/, '"retryAfterMs":0'),
      });
      expect(stable(fromEdge)).toEqual(stable(fromNext));
      if (expected === 429) {
        expect(Number(fromNext.headers['retry-after'])).toBeGreaterThanOrEqual(1);
        expect(Number(fromEdge.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      }
    }
  });
});

function chat(body: string, token?: string, requestId?: string): Request {
  return new Request('http://localhost/chat', {
    method: 'POST',
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(requestId ? { 'x-request-id': requestId } : {}),
    },
    body,
  });
}

function realServer() {
  const store = createMemoryStore();
  return createChatKitServer<AdapterContext>({
    store: store as never,
    respond: async function* (thread, input, context) {
      const text = (input?.content[0] as { text?: string } | undefined)?.text ?? '';
      yield {
        type: 'thread.item.done',
        item: {
          type: 'assistant_message',
          id: store.generateItemId('message', thread, context as never),
          thread_id: thread.id,
          created_at: new Date().toISOString(),
          content: [{ type: 'output_text', text: `echo: ${text}`, annotations: [] }],
        } as ThreadItem,
      } as ThreadStreamEventInput;
    },
  });
}

describe('the real createChatKitServer behind both adapters', () => {
  /** The event stream with ids and timestamps blanked, which differ between two runs by design. */
  async function normalizedEvents(response: Response): Promise<unknown[]> {
    const text = await response.text();
    return text
      .trim()
      .split('\n\n')
      .map((frame) =>
        JSON.parse(frame.slice('data: '.length), (key, value) =>
          ['id', 'thread_id', 'created_at', 'updated_at'].includes(key) ? '<varies>' : value,
        ),
      );
  }

  it('stream the same ChatKit event sequence for the same scripted conversation', async () => {
    const next = createChatKitRoute({ server: realServer(), auth: { jwtSecret: SECRET } }).POST;
    const edge = createEdgeHandler({
      server: realServer(),
      auth: { jwtSecret: SECRET },
      cors: { allowedOrigins: '*' },
    });
    const token = await mintSupabaseJwt({ sub: USER, secret: SECRET });
    const body = JSON.stringify({
      type: 'threads.create',
      params: {
        input: {
          content: [{ type: 'input_text', text: 'hello' }],
          attachments: [],
          inference_options: {},
        },
      },
    });
    const fromNext = await next(chat(body, token));
    const fromEdge = await edge(chat(body, token));
    expect(fromEdge.status).toBe(fromNext.status);
    expect(fromEdge.headers.get('content-type')).toBe(fromNext.headers.get('content-type'));
    const nextEvents = await normalizedEvents(fromNext);
    expect(await normalizedEvents(fromEdge)).toEqual(nextEvents);
    expect(nextEvents.map((event) => (event as { type: string }).type)).toEqual([
      'thread.created',
      'thread.item.done',
      'stream_options',
      'thread.item.done',
    ]);
    expect(JSON.stringify(nextEvents)).toContain('echo: hello');
  });
});

describe('the resumable chat stream endpoint behind both adapters', () => {
  function adaptersWithLog(limit: number) {
    const limiter = () =>
      createRateLimiter({
        store: createMemoryRateLimitStore(),
        algorithm: fixedWindow(limit, '1 m'),
        onStoreFailure: 'deny',
      });
    const next = createChatStreamRoute({
      server: realServer(),
      auth: { jwtSecret: SECRET },
      streamLog: createMemoryStreamLog(),
      heartbeatMs: 0,
      rateLimiter: limiter(),
    });
    const edge = createEdgeHandler({
      server: createChatStreamHandler(realServer(), { streamLog: createMemoryStreamLog(), heartbeatMs: 0 }),
      auth: { jwtSecret: SECRET },
      cors: { allowedOrigins: '*' },
      methods: ['POST', 'GET', 'DELETE'],
      rateLimiter: limiter(),
    });
    return {
      next: (request: Request) => next[request.method as 'POST' | 'GET' | 'DELETE'](request),
      edge,
    };
  }

  const at = (method: string, query: string, token: string, headers: Record<string, string> = {}) =>
    new Request(`http://localhost/chat?${query}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...headers },
    });

  it('POST, GET resume by Last-Event-ID, DELETE, another user and the rate limit answer the same', async () => {
    const { next, edge } = adaptersWithLog(2);
    const token = await mintSupabaseJwt({ sub: USER, secret: SECRET });
    const other = await mintSupabaseJwt({ sub: crypto.randomUUID(), secret: SECRET });
    const requests: Array<() => Request> = [
      () => chat('{"message":"hello","sessionId":"ses-1"}', token),
      () => at('GET', 'sessionId=ses-1', token, { 'last-event-id': '1' }),
      () => at('GET', 'sessionId=ses-1&lastEventId=2', token),
      () => at('GET', 'sessionId=ses-1', other),
      () => at('DELETE', 'sessionId=ses-1', other),
      () => at('DELETE', 'sessionId=ses-1', token),
      () => at('GET', 'sessionId=nope', token),
      () => at('GET', 'sessionId=ses-1', token, { 'last-event-id': 'x' }),
      () => chat('', token),
      () => chat('{"message":"again"}', token),
    ];
    const statuses: number[] = [];
    for (const make of requests) {
      const fromNext = await snapshot(await next(make()));
      const fromEdge = await snapshot(await edge(make()));
      const stable = (value: Awaited<ReturnType<typeof snapshot>>) => ({
        ...value,
        headers: { ...value.headers, 'retry-after': null, 'ratelimit-remaining': null },
        body: value.body
          .replace(/thr_[A-Za-z0-9_-]+/g, 'thr_')
          .replace(/"retryAfterMs":\d+/, '"retryAfterMs":0'),
      });
      expect(stable(fromEdge)).toEqual(stable(fromNext));
      statuses.push(fromNext.status);
    }
    expect(statuses).toEqual([200, 200, 200, 404, 404, 200, 404, 400, 400, 429]);
    const resumed = await (await edge(at('GET', 'sessionId=ses-1', token, { 'last-event-id': '1' }))).text();
    expect(resumed).toBe(
      'event: text_done\nid: 2\ndata: {"text":"echo: hello","sessionId":"ses-1"}\n\n' +
        'event: done\nid: 3\ndata: {"sessionId":"ses-1"}\n\n',
    );
  });
});
