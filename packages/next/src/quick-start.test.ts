import { mintSupabaseJwt } from '@relaykit/testing/supabase';
import { expect, it, vi } from 'vitest';

it('refuses to start without SUPABASE_JWT_SECRET (no fallback secret)', async () => {
  delete process.env.SUPABASE_JWT_SECRET;
  delete process.env.SUPABASE_URL;
  vi.resetModules();
  await expect(import('../examples/quick-start')).rejects.toThrow(/Set SUPABASE_JWT_SECRET/);
  await expect(import('../examples/image-routes')).rejects.toThrow(/Set SUPABASE_JWT_SECRET/);
  vi.resetModules();
});

it('runs the README quick start', async () => {
  const secret = 'a-test-secret-of-at-least-32-characters';
  process.env.SUPABASE_JWT_SECRET = secret;
  try {
    const { POST } = await import('../examples/quick-start');
    const userId = crypto.randomUUID();
    const token = await mintSupabaseJwt({ sub: userId, secret });
    const response = await POST(
      new Request('http://localhost/api/chatkit', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: '{"type":"threads.list"}',
      }),
    );
    expect(await response.json()).toEqual({ type: 'threads.list', userId });
    expect(
      (await POST(new Request('http://localhost/api/chatkit', { method: 'POST', body: '{}' }))).status,
    ).toBe(401);
  } finally {
    delete process.env.SUPABASE_JWT_SECRET;
  }
});
