import { createPostgresStore } from '@relaykit/chatkit-store/postgres';
import { startRefusingPostgres, unreachablePostgresUrl } from '@relaykit/testing/postgres';
import { describe, expect, it } from 'vitest';
import { createChatKitServer } from '../http/chatkit-server';
import { post } from './conformance.suite';

/** What a ChatKit client sees when the database is down: one answer for every store, never a bare 500. */
describe('a ChatKit server whose database is down', () => {
  it('answers 503 store_unavailable, retryable, with Retry-After and no host or port (closed port, 57P03)', async () => {
    const refusing = await startRefusingPostgres();
    try {
      for (const url of [await unreachablePostgresUrl(), refusing.url]) {
        const store = createPostgresStore({ connectionString: url });
        try {
          const server = createChatKitServer({ store, respond: async function* () {} });
          const response = await server.handle(post({ type: 'threads.list', params: { limit: 10 } }), {
            userId: crypto.randomUUID(),
          });
          expect(response.status).toBe(503);
          expect(response.headers.get('retry-after')).toBe('1');
          const text = await response.text();
          expect(text).not.toContain(new URL(url).port);
          expect(JSON.parse(text)).toMatchObject({
            error: { code: 'store_unavailable', retryable: true, retryAfterMs: 1000 },
          });
        } finally {
          await store.close();
        }
      }
    } finally {
      await refusing.close();
    }
  });
});
