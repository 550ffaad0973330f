import { ConfigurationError } from '@relaykit/sse-protocol';
import { mintSupabaseJwt } from '@relaykit/testing/supabase';
import { describe, expect, it } from 'vitest';
import { createDeferredAuthenticator, createDeferredHandler } from './deferred';
import { errorResponse } from './errors';
import type { AdapterAuth } from './guard';

const SECRET = 'a-deferred-test-secret-of-at-least-32-chars';
const MISSING = 'Set SUPABASE_JWT_SECRET (or SUPABASE_URL for its JWKS) to verify callers.';

const withToken = async (userId: string) =>
  new Request('http://localhost/api', {
    headers: { authorization: `Bearer ${await mintSupabaseJwt({ sub: userId, secret: SECRET })}` },
  });

describe('createDeferredAuthenticator', () => {
  it('reads nothing until a request, answers configuration while the setting is missing, then works once it is set', async () => {
    let reads = 0;
    let auth: AdapterAuth | undefined;
    const reported: unknown[] = [];
    const authenticate = createDeferredAuthenticator({
      resolve: () => {
        reads += 1;
        return auth;
      },
      missing: MISSING,
      onConfigurationError: (error) => reported.push(error),
    });
    expect(reads).toBe(0);
    const userId = crypto.randomUUID();
    const refused = await authenticate(await withToken(userId)).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ConfigurationError);
    expect(refused).toMatchObject({ code: 'configuration', message: MISSING });
    expect(reported).toEqual([refused]);
    const response = errorResponse(refused);
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ error: { code: 'configuration', message: MISSING } });

    auth = { jwtSecret: SECRET };
    expect(await authenticate(await withToken(userId))).toMatchObject({ userId });
    await authenticate(await withToken(userId));
    expect(reads).toBe(2); // built once, then reused
  });

  it('reports an invalid setting (a short secret) as configuration without echoing it', async () => {
    const reported: unknown[] = [];
    const authenticate = createDeferredAuthenticator({
      resolve: () => ({ jwtSecret: 'short-secret' }),
      missing: MISSING,
      onConfigurationError: (error) => reported.push(error),
    });
    const error = await authenticate(await withToken(crypto.randomUUID())).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'configuration' });
    expect(String((error as Error).message)).not.toContain('short-secret');
    expect(reported).toHaveLength(1);
  });

  it('a missing token is still 401 once configured', async () => {
    const authenticate = createDeferredAuthenticator({
      resolve: () => ({ jwtSecret: SECRET }),
      missing: MISSING,
    });
    await expect(authenticate(new Request('http://localhost/api'))).rejects.toMatchObject({
      code: 'unauthorized',
    });
  });
});

describe('createDeferredHandler', () => {
  it('builds at the first request, answers a failed build with a client-safe 500 and retries it, then reuses the handler', async () => {
    let builds = 0;
    let ready = false;
    const failures: unknown[] = [];
    const handler = createDeferredHandler(
      () => {
        builds += 1;
        if (!ready) throw new Error('connect ECONNREFUSED postgres://admin:hunter2@db');
        return async () => new Response('ok');
      },
      { onBuildError: (error) => failures.push(error) },
    );
    expect(builds).toBe(0);
    const failed = await handler(new Request('http://localhost/'));
    expect(failed.status).toBe(500);
    const text = await failed.text();
    expect(JSON.parse(text)).toMatchObject({
      error: { code: 'configuration', message: 'The service failed to start.' },
    });
    expect(text).not.toContain('hunter2');
    expect(failures).toHaveLength(1);

    const typed = createDeferredHandler(() => {
      throw new ConfigurationError('Set OPENAI_API_KEY.');
    });
    expect(await (await typed(new Request('http://localhost/'))).json()).toMatchObject({
      error: { code: 'configuration', message: 'Set OPENAI_API_KEY.' },
    });

    ready = true;
    expect(await (await handler(new Request('http://localhost/'))).text()).toBe('ok');
    expect(await (await handler(new Request('http://localhost/'))).text()).toBe('ok');
    expect(builds).toBe(2);
  });
});
