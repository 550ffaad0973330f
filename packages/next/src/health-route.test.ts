import { ProviderError } from '@relaykit/sse-protocol';
import { describe, expect, it } from 'vitest';
import { createHealthRoute } from './health-route';

describe('createHealthRoute', () => {
  it('answers 200 with every check ok', async () => {
    const { GET } = createHealthRoute({
      checks: { store: async () => 1, rateLimitStore: async () => 'PONG' },
      detailsToken: 'ops-token',
    });
    const anonymous = await GET(new Request('http://localhost/api/health'));
    expect(anonymous.status).toBe(200);
    expect(await anonymous.json()).toEqual({ status: 'ok' });
    const response = await GET(
      new Request('http://localhost/api/health', { headers: { authorization: 'Bearer ops-token' } }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = await response.json();
    expect(body.status).toBe('ok');
    expect(Object.keys(body.checks).sort()).toEqual(['rateLimitStore', 'store']);
    expect(body.checks.store).toMatchObject({ ok: true });
    expect(typeof body.checks.store.latencyMs).toBe('number');
  });

  it('answers 503 when a check fails or times out, naming codes but never secrets', async () => {
    const { GET } = createHealthRoute({
      timeoutMs: 30,
      detailsFor: () => true,
      checks: {
        provider: async () => {
          throw new ProviderError('provider_unavailable', 'https://api.openai.com key sk-live-123 refused');
        },
        store: () => new Promise(() => undefined),
        rateLimitStore: async () => 'PONG',
      },
    });
    const response = await GET(new Request('http://localhost/api/health'));
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(text).not.toContain('sk-live-123');
    const body = JSON.parse(text);
    expect(body.status).toBe('degraded');
    expect(body.checks.provider).toMatchObject({ ok: false, error: 'provider_unavailable' });
    expect(body.checks.store).toMatchObject({ ok: false, error: 'timeout' });
    expect(body.checks.rateLimitStore).toMatchObject({ ok: true });
  });
});
