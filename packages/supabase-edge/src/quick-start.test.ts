import { mintSupabaseJwt } from '@relaykit/testing/supabase';
import { afterEach, expect, it, vi } from 'vitest';
import { MISSING_EDGE_AUTH_MESSAGE } from '../src/config';

afterEach(() => {
  delete (globalThis as { Deno?: unknown }).Deno;
});

it('boots without SUPABASE_JWT_SECRET (no fallback secret): requests get 500 configuration, logged', async () => {
  const values: Record<string, string> = { ALLOWED_ORIGINS: 'https://health.example.com' };
  (globalThis as { Deno?: unknown }).Deno = { env: { get: (name: string) => values[name] } };
  vi.resetModules();
  const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
  try {
    const { handler } = await import('../examples/quick-start');
    const response = await handler(
      new Request('http://127.0.0.1:54321/functions/v1/health-agent', {
        method: 'POST',
        headers: { authorization: 'Bearer x' },
        body: '{"message":"hi"}',
      }),
    );
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({
      error: { code: 'configuration', message: MISSING_EDGE_AUTH_MESSAGE },
    });
    expect(logged).toHaveBeenCalledWith(`[relaykit] ${MISSING_EDGE_AUTH_MESSAGE}`);
  } finally {
    logged.mockRestore();
    vi.resetModules();
  }
});

it('runs the README quick start with a Deno.env stand-in', async () => {
  const secret = 'a-test-secret-of-at-least-32-characters';
  const values: Record<string, string> = {
    SUPABASE_JWT_SECRET: secret,
    ALLOWED_ORIGINS: 'https://health.example.com',
  };
  (globalThis as { Deno?: unknown }).Deno = { env: { get: (name: string) => values[name] } };
  const { handler } = await import('../examples/quick-start');
  const userId = crypto.randomUUID();
  const token = await mintSupabaseJwt({ sub: userId, secret });
  const response = await handler(
    new Request('http://127.0.0.1:54321/functions/v1/health-agent', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, origin: 'https://health.example.com' },
      body: '{"message":"I slept 6 hours","stream":false}',
    }),
  );
  expect(response.status).toBe(200);
  expect(response.headers.get('access-control-allow-origin')).toBe('https://health.example.com');
  expect(await response.json()).toEqual({ reply: 'You said: I slept 6 hours', userId });
});
