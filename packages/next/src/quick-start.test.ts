import { mintSupabaseJwt } from '@relaykit/testing/supabase';
import { expect, it, vi } from 'vitest';
import { MISSING_AUTH_MESSAGE } from './config';

const post = (body: string, headers: Record<string, string> = {}) =>
  new Request('http://localhost/api/chatkit', { method: 'POST', headers, body });

it('loads without secrets (as `next build` does); a request then gets 500 configuration, logged server-side', async () => {
  delete process.env.SUPABASE_JWT_SECRET;
  delete process.env.SUPABASE_URL;
  vi.resetModules();
  const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
  try {
    const { POST } = await import('../examples/quick-start');
    await import('../examples/image-routes');
    const response = await POST(post('{"type":"threads.list"}', { authorization: 'Bearer x' }));
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({
      error: { code: 'configuration', message: MISSING_AUTH_MESSAGE },
    });
    expect(logged).toHaveBeenCalledWith(`[relaykit] ${MISSING_AUTH_MESSAGE}`);
  } finally {
    logged.mockRestore();
    vi.resetModules();
  }
});

it('runs the README quick start', async () => {
  const secret = 'a-test-secret-of-at-least-32-characters';
  process.env.SUPABASE_JWT_SECRET = secret;
  try {
    const { POST } = await import('../examples/quick-start');
    const userId = crypto.randomUUID();
    const token = await mintSupabaseJwt({ sub: userId, secret });
    const response = await POST(post('{"type":"threads.list"}', { authorization: `Bearer ${token}` }));
    expect(await response.json()).toEqual({ type: 'threads.list', userId });
    expect((await POST(post('{}'))).status).toBe(401);
  } finally {
    delete process.env.SUPABASE_JWT_SECRET;
  }
});
