import { createSupabaseStandIn, mintSupabaseJwt } from '@relaykit/testing/supabase';
import { createClient } from '@supabase/supabase-js';
import { expect, it } from 'vitest';

it('uploads through supabase-js to the local Storage stand-in', async () => {
  const jwtSecret = 'a-test-secret-of-at-least-32-characters';
  const supabase = await createSupabaseStandIn({
    jwtSecret,
    buckets: [{ id: 'images', allowedMimeTypes: ['image/*'] }],
  });
  const token = await mintSupabaseJwt({ sub: crypto.randomUUID(), secret: jwtSecret });
  const client = createClient(supabase.url, supabase.anonKey, {
    auth: { persistSession: false },
    global: { headers: { Authorization: `Bearer ${token}` } },
  });
  const images = client.storage.from('images');
  expect(
    (await images.upload('a.png', new Uint8Array([1, 2]), { contentType: 'image/png' })).error,
  ).toBeNull();
  expect((await images.upload('b.txt', 'text', { contentType: 'text/plain' })).error?.message).toBe(
    'mime type text/plain is not supported',
  );
  await supabase.close();
});
