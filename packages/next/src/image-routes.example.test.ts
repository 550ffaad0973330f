import { createFakeOpenAI } from '@relaykit/testing';
import { mintSupabaseJwt } from '@relaykit/testing/supabase';
import { expect, it } from 'vitest';

it('runs the README image routes example against the fake OpenAI server', async () => {
  const fake = await createFakeOpenAI();
  const secret = 'a-test-secret-of-at-least-32-characters';
  Object.assign(process.env, {
    SUPABASE_JWT_SECRET: secret,
    OPENAI_API_KEY: 'test',
    OPENAI_BASE_URL: fake.url,
  });
  try {
    const { routes } = await import('../examples/image-routes');
    const token = await mintSupabaseJwt({ sub: crypto.randomUUID(), secret });
    const post = (body: unknown) =>
      new Request('http://localhost/api/images', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
    const single = await routes.generate.POST(post({ prompt: 'a paper boat' }));
    const { image } = (await single.json()) as { image: { url: string; path: string } };
    expect(image.url).toBe(`/api/images/file/${image.path}`);
    const batch = await routes.batch.POST(post({ items: [{ id: 'ada', prompt: 'portrait of Ada' }] }));
    expect(await batch.text()).toContain('event: done');
    expect((await routes.batch.POST(post({ items: Array(41).fill({ prompt: 'p' }) }))).status).toBe(400);
  } finally {
    for (const name of ['SUPABASE_JWT_SECRET', 'OPENAI_API_KEY', 'OPENAI_BASE_URL']) delete process.env[name];
    await fake.close();
  }
});
