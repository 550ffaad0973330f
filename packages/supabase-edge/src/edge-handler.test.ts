import type { AdapterContext } from '@relaykit/agent-core';
import { mintSupabaseJwt } from '@relaykit/testing/supabase';
import { createMemoryRateLimitStore, createRateLimiter, fixedWindow } from '@relaykit/usage-tracker';
import { afterEach, describe, expect, it } from 'vitest';
import { createEdgeHandler } from './edge-handler';

const SECRET = 'a-test-secret-of-at-least-32-characters';
const USER = '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d';
const APP = 'https://health.example.com';
const URL_ = 'http://127.0.0.1:54321/functions/v1/health-agent';

function fakeServer() {
  const calls: Array<{ body: unknown; context: AdapterContext }> = [];
  return {
    calls,
    async handle(request: Request, context: AdapterContext): Promise<Response> {
      calls.push({ body: await request.json(), context });
      return Response.json({ reply: 'ok' });
    },
  };
}

function post(body: string, options: { token?: string; origin?: string } = {}): Request {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.origin) headers.origin = options.origin;
  return new Request(URL_, { method: 'POST', headers, body });
}

const cors = { allowedOrigins: [APP] };

describe('createEdgeHandler: CORS', () => {
  it('answers an allowed preflight 204 and another origin 403, without calling the server', async () => {
    const server = fakeServer();
    const handle = createEdgeHandler({ server, auth: { jwtSecret: SECRET }, cors });
    const preflight = (origin: string) =>
      new Request(URL_, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      });
    const allowed = await handle(preflight(APP));
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(APP);
    expect(allowed.headers.get('access-control-allow-headers')).toContain('authorization');
    const denied = await handle(preflight('https://evil.example.com'));
    expect(denied.status).toBe(403);
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
    const token = await mintSupabaseJwt({ sub: USER, secret: SECRET });
    const crossSite = await handle(post('{}', { token, origin: 'https://evil.example.com' }));
    expect(crossSite.status).toBe(403);
    expect(server.calls).toHaveLength(0);
  });

  it('puts CORS headers on successes and on errors', async () => {
    const handle = createEdgeHandler({ server: fakeServer(), auth: { jwtSecret: SECRET }, cors });
    const token = await mintSupabaseJwt({ sub: USER, secret: SECRET });
    const ok = await handle(post('{"message":"hi"}', { token, origin: APP }));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(APP);
    expect(ok.headers.get('vary')).toContain('Origin');
    const unauthorized = await handle(post('{}', { origin: APP }));
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get('access-control-allow-origin')).toBe(APP);
    const curl = await handle(post('{"message":"hi"}', { token }));
    expect(curl.status).toBe(200);
    expect(curl.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('createEdgeHandler: the shared pipeline', () => {
  it('passes the { userId } context, and answers 401 for bad tokens, 413 and 400', async () => {
    const server = fakeServer();
    const handle = createEdgeHandler({ server, auth: { jwtSecret: SECRET }, cors, maxBodyBytes: 100 });
    const token = await mintSupabaseJwt({ sub: USER, secret: SECRET });
    expect((await handle(post('{"message":"hi","stream":false}', { token }))).status).toBe(200);
    expect(server.calls[0]?.context.userId).toBe(USER);
    expect(server.calls[0]?.body).toEqual({ message: 'hi', stream: false });
    const forged = await mintSupabaseJwt({ sub: USER, secret: 'some-other-secret-with-32-characters!' });
    const bad = await handle(post('{}', { token: forged }));
    expect(bad.status).toBe(401);
    expect((await bad.json()).error.code).toBe('unauthorized');
    const big = await handle(post(JSON.stringify({ message: 'x'.repeat(200) }), { token }));
    expect(big.status).toBe(413);
    const invalid = await handle(post('not json', { token }));
    expect(invalid.status).toBe(400);
    expect((await invalid.json()).error.details.issues[0].code).toBe('invalid_json');
    expect(server.calls).toHaveLength(1);
  });

  it('answers 429 with Retry-After, RateLimit-* and CORS when limited', async () => {
    const rateLimiter = createRateLimiter({
      store: createMemoryRateLimitStore(),
      algorithm: fixedWindow(1, '1 m'),
      onStoreFailure: 'deny',
    });
    const handle = createEdgeHandler({
      server: fakeServer(),
      auth: { jwtSecret: SECRET },
      cors,
      rateLimiter,
    });
    const token = await mintSupabaseJwt({ sub: USER, secret: SECRET });
    expect((await handle(post('{}', { token, origin: APP }))).status).toBe(200);
    const limited = await handle(post('{}', { token, origin: APP }));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('access-control-allow-origin')).toBe(APP);
    expect(limited.headers.get('access-control-expose-headers')).toContain('retry-after');
  });

  it('trusts the platform signature check when configured, still checking expiry and the user id', async () => {
    const handle = createEdgeHandler({ server: fakeServer(), auth: { trustPlatformJwt: true }, cors });
    const platformSigned = await mintSupabaseJwt({
      sub: USER,
      secret: 'the-platform-secret-we-do-not-know-1',
    });
    expect((await handle(post('{}', { token: platformSigned }))).status).toBe(200);
    const expired = await mintSupabaseJwt({
      sub: USER,
      secret: SECRET,
      now: Math.floor(Date.now() / 1000) - 7200,
    });
    expect((await handle(post('{}', { token: expired }))).status).toBe(401);
    const notAUser = await mintSupabaseJwt({ sub: 'user-1', secret: SECRET });
    const response = await handle(post('{}', { token: notAUser }));
    expect(response.status).toBe(401);
    expect((await response.json()).error.message).toBe('The token subject is not a valid user id.');
    expect((await handle(post('{}'))).status).toBe(401);
  });

  it('refuses a missing cors or auth option at startup', () => {
    expect(() => createEdgeHandler({ server: fakeServer(), auth: { jwtSecret: SECRET } } as never)).toThrow(
      /needs cors/,
    );
    expect(() => createEdgeHandler({ server: fakeServer(), cors } as never)).toThrow(/needs auth/);
  });
});

describe('createEdgeHandler: EdgeRuntime.waitUntil', () => {
  const global = globalThis as { EdgeRuntime?: unknown };
  afterEach(() => {
    delete global.EdgeRuntime;
  });

  it('hands after-response work to EdgeRuntime.waitUntil when the runtime has it', async () => {
    const scheduled: Array<Promise<unknown>> = [];
    global.EdgeRuntime = { waitUntil: (task: Promise<unknown>) => scheduled.push(task) };
    let titled = false;
    const handle = createEdgeHandler({
      auth: { jwtSecret: SECRET },
      cors,
      handler: async (_request, context) => {
        context.waitUntil(
          Promise.resolve().then(() => {
            titled = true;
          }),
        );
        return new Response('streamed');
      },
    });
    const token = await mintSupabaseJwt({ sub: USER, secret: SECRET });
    expect(await (await handle(post('{}', { token }))).text()).toBe('streamed');
    expect(scheduled).toHaveLength(1);
    await scheduled[0];
    expect(titled).toBe(true);
  });

  it('prefers an explicit waitUntil option', async () => {
    const fromOption: Array<Promise<unknown>> = [];
    const fromRuntime: Array<Promise<unknown>> = [];
    global.EdgeRuntime = { waitUntil: (task: Promise<unknown>) => fromRuntime.push(task) };
    const handle = createEdgeHandler({
      auth: { jwtSecret: SECRET },
      cors,
      waitUntil: (task) => fromOption.push(task),
      handler: async (_request, context) => {
        context.waitUntil(Promise.resolve());
        return new Response('ok');
      },
    });
    const token = await mintSupabaseJwt({ sub: USER, secret: SECRET });
    await handle(post('{}', { token }));
    expect(fromOption).toHaveLength(1);
    expect(fromRuntime).toHaveLength(0);
  });
});

describe('createEdgeHandler: GET and DELETE (chat stream resume and stop)', () => {
  it('reach the server unlimited (the rate limit is for POST), and preflights allow the listed methods', async () => {
    const seen: string[] = [];
    const server = {
      async handle(request: Request): Promise<Response> {
        seen.push(`${request.method} ${new URL(request.url).search} ${request.headers.get('last-event-id')}`);
        return Response.json({ ok: true });
      },
    };
    const rateLimiter = createRateLimiter({
      store: createMemoryRateLimitStore(),
      algorithm: fixedWindow(1, '1 m'),
      onStoreFailure: 'deny',
    });
    const handle = createEdgeHandler({
      server,
      auth: { jwtSecret: SECRET },
      cors,
      methods: ['POST', 'GET', 'DELETE'],
      rateLimiter,
    });
    const token = await mintSupabaseJwt({ sub: USER, secret: SECRET });
    const at = (method: string, headers: Record<string, string> = {}) =>
      new Request(`${URL_}?sessionId=s1`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...headers },
      });
    expect((await handle(post('{"message":"hi"}', { token }))).status).toBe(200);
    expect((await handle(post('{"message":"hi"}', { token }))).status).toBe(429);
    expect((await handle(at('GET', { 'last-event-id': '3' }))).status).toBe(200);
    expect((await handle(at('GET'))).status).toBe(200);
    expect((await handle(at('DELETE'))).status).toBe(200);
    expect(seen).toEqual([
      'POST  null',
      'GET ?sessionId=s1 3',
      'GET ?sessionId=s1 null',
      'DELETE ?sessionId=s1 null',
    ]);
    expect((await handle(at('GET', { origin: 'https://evil.example.com' }))).status).toBe(403);

    const preflight = await handle(
      new Request(URL_, {
        method: 'OPTIONS',
        headers: { origin: APP, 'access-control-request-method': 'DELETE' },
      }),
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toBe('POST, GET, DELETE, OPTIONS');
    const custom = createEdgeHandler({
      server,
      auth: { jwtSecret: SECRET },
      cors: { allowedOrigins: [APP], allowedMethods: ['POST'] },
    });
    const narrowed = await custom(
      new Request(URL_, {
        method: 'OPTIONS',
        headers: { origin: APP, 'access-control-request-method': 'POST' },
      }),
    );
    expect(narrowed.headers.get('access-control-allow-methods')).toBe('POST');
  });
});

describe('createEdgeHandler: methods', () => {
  const limiter = () =>
    createRateLimiter({
      store: createMemoryRateLimitStore(),
      algorithm: fixedWindow(1, '1 m'),
      onStoreFailure: 'deny',
    });
  const request = (method: string, token: string) =>
    new Request(URL_, {
      method,
      headers: { authorization: `Bearer ${token}`, origin: APP, 'content-type': 'application/json' },
      body: '{"message":"hi"}',
    });

  it('answers POST only by default: PUT, PATCH, GET and DELETE get 405 with Allow, before the server', async () => {
    const server = fakeServer();
    const handle = createEdgeHandler({ server, auth: { jwtSecret: SECRET }, cors, rateLimiter: limiter() });
    const token = await mintSupabaseJwt({ sub: USER, secret: SECRET });
    for (const method of ['PUT', 'PATCH', 'GET', 'DELETE']) {
      const response = await handle(
        method === 'GET' || method === 'DELETE'
          ? new Request(URL_, { method, headers: { authorization: `Bearer ${token}`, origin: APP } })
          : request(method, token),
      );
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST, OPTIONS');
      expect(response.headers.get('access-control-allow-origin')).toBe(APP);
      expect(await response.json()).toMatchObject({ error: { code: 'invalid_request' } });
    }
    expect(server.calls).toHaveLength(0);
    expect((await handle(request('POST', token))).status).toBe(200);
    expect((await handle(request('POST', token))).status).toBe(429);
    const preflight = await handle(
      new Request(URL_, {
        method: 'OPTIONS',
        headers: { origin: APP, 'access-control-request-method': 'POST' },
      }),
    );
    expect(preflight.headers.get('access-control-allow-methods')).toBe('POST, OPTIONS');
  });

  it('rate-limits every allowed method but GET, HEAD and DELETE (PUT and PATCH share the POST budget)', async () => {
    const server = {
      async handle(): Promise<Response> {
        return Response.json({ ok: true });
      },
    };
    const handle = createEdgeHandler({
      server,
      auth: { jwtSecret: SECRET },
      cors: { allowedOrigins: [APP], allowedMethods: ['POST', 'PUT', 'PATCH', 'GET', 'OPTIONS'] },
      rateLimiter: limiter(),
    });
    const token = await mintSupabaseJwt({ sub: USER, secret: SECRET });
    expect((await handle(request('PUT', token))).status).toBe(200);
    expect((await handle(request('PATCH', token))).status).toBe(429);
    expect((await handle(request('PUT', token))).status).toBe(429);
    expect((await handle(request('POST', token))).status).toBe(429);
    const get = new Request(URL_, {
      method: 'GET',
      headers: { authorization: `Bearer ${token}`, origin: APP },
    });
    expect((await handle(get)).status).toBe(200);
    expect((await handle(request('DELETE', token))).status).toBe(405);
  });

  it('refuses methods that are not HTTP method names', () => {
    expect(() =>
      createEdgeHandler({ server: fakeServer(), auth: { jwtSecret: SECRET }, cors, methods: [] }),
    ).toThrow(/methods must list HTTP methods/);
    expect(() =>
      createEdgeHandler({ server: fakeServer(), auth: { jwtSecret: SECRET }, cors, methods: ['PO ST'] }),
    ).toThrow(/methods must list HTTP methods/);
  });
});
