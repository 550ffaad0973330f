import { StoreError } from '@relaykit/sse-protocol';
import { createFakeOpenAI } from '@relaykit/testing';
import { describe, expect, it } from 'vitest';
import { createHealthHandler, openAIHealthCheck, runHealthChecks } from './health';

describe('runHealthChecks', () => {
  it('reports ok with each check latency when all pass', async () => {
    const report = await runHealthChecks({ store: async () => 'pong', provider: async () => undefined });
    expect(report.status).toBe('ok');
    expect(report.checks.store).toMatchObject({ ok: true });
    expect(report.checks.provider?.latencyMs).toBeGreaterThanOrEqual(0);
    expect(Number.isNaN(Date.parse(report.timestamp))).toBe(false);
  });

  it('reports failures by code only, never their messages, and times out slow checks with an abort', async () => {
    let aborted = false;
    const report = await runHealthChecks(
      {
        store: async () => {
          throw new StoreError('store_unavailable', 'postgres://admin:hunter2@db refused');
        },
        redis: async () => {
          throw new Error('redis://:password@cache down');
        },
        provider: (signal) =>
          new Promise((resolve) => {
            signal.addEventListener('abort', () => {
              aborted = true;
              resolve(undefined);
            });
          }),
      },
      { timeoutMs: 50 },
    );
    expect(report.status).toBe('down');
    expect(report.checks.store).toMatchObject({ ok: false, error: 'store_unavailable' });
    expect(report.checks.redis).toMatchObject({ ok: false, error: 'failed' });
    expect(report.checks.provider).toMatchObject({ ok: false, error: 'timeout' });
    expect(aborted).toBe(true);
    const json = JSON.stringify(report);
    expect(json).not.toContain('hunter2');
    expect(json).not.toContain('password');
  });
});

describe('openAIHealthCheck', () => {
  it('passes against a reachable provider and reports codes for a refused key or an unreachable host', async () => {
    const fake = await createFakeOpenAI();
    try {
      const report = await runHealthChecks({
        provider: openAIHealthCheck({ apiKey: 'sk-test', baseURL: fake.url }),
        refused: openAIHealthCheck({
          apiKey: 'sk-wrong',
          fetch: async () => new Response('{"error":{}}', { status: 401 }),
        }),
        down: openAIHealthCheck({ apiKey: 'sk-test', baseURL: 'http://127.0.0.1:9/v1' }),
      });
      expect(report.checks.provider).toMatchObject({ ok: true });
      expect(fake.calls.some((call) => call.path === '/v1/models')).toBe(true);
      expect(report.checks.refused).toMatchObject({ ok: false, error: 'configuration' });
      expect(report.checks.down).toMatchObject({ ok: false, error: 'provider_unavailable' });
      expect(JSON.stringify(report)).not.toContain('sk-');
    } finally {
      await fake.close();
    }
  });
});

describe('createHealthHandler', () => {
  const checks = {
    database: async () => {
      throw new StoreError('store_unavailable', 'connect ECONNREFUSED db.internal:5432');
    },
    model: async () => undefined,
  };
  const get = (headers: Record<string, string> = {}) =>
    new Request('http://localhost/api/health', { headers });

  it('shows the public only the status: no check names, latencies or codes', async () => {
    const response = await createHealthHandler({ checks })(get());
    expect(response.status).toBe(503);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ status: 'degraded' });
    const ok = await createHealthHandler({ checks: { model: async () => undefined } })(get());
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ status: 'ok' });
  });

  it('shows the details to a caller detailsFor accepts, or with the token, and never a host or message', async () => {
    const handler = createHealthHandler({
      checks,
      detailsToken: 'monitor-secret',
      detailsFor: (request) => request.headers.get('cookie') === 'session=valid',
    });
    for (const headers of [{ cookie: 'session=valid' }, { authorization: 'Bearer monitor-secret' }] as Record<
      string,
      string
    >[]) {
      const response = await handler(get(headers));
      const body = await response.json();
      expect(body).toMatchObject({
        status: 'degraded',
        checks: { database: { ok: false, error: 'store_unavailable' }, model: { ok: true } },
      });
      expect(typeof body.checks.model.latencyMs).toBe('number');
      expect(JSON.stringify(body)).not.toMatch(/db\.internal|5432|ECONNREFUSED/);
    }
    for (const headers of [
      { cookie: 'session=forged' },
      { authorization: 'Bearer monitor-secreT' },
      {},
    ] as Record<string, string>[]) {
      expect(await (await handler(get(headers))).json()).toEqual({ status: 'degraded' });
    }
  });

  it('treats a failing detailsFor as no, and reports down when every check fails', async () => {
    const handler = createHealthHandler({
      checks: { database: checks.database },
      detailsFor: () => {
        throw new Error('auth service down');
      },
    });
    const response = await handler(get());
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'down' });
  });
});
