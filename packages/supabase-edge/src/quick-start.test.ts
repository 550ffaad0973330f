import { mintSupabaseJwt } from '@relaykit/testing/supabase';
import { afterEach, expect, it, vi } from 'vitest';

afterEach(() => {
  delete (globalThis as { Deno?: unknown }).Deno;
});

it('refuses to start without SUPABASE_JWT_SECRET (no fallback secret)', async () => {
  const values: Record<string, string> = { ALLOWED_ORIGINS: 'https://health.example.com' };
  (globalThis as { Deno?: unknown }).Deno = { env: { get: (name: string) => values[name] } };
  vi.resetModules();
  await expect(import('../examples/quick-start')).rejects.toThrow(/Set SUPABASE_JWT_SECRET/);
  vi.resetModules();
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
