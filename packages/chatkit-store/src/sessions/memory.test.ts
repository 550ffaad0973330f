import { expect, it } from 'vitest';
import { agentSessionContract, makeSessionItem } from '../testing/session-contract';
import { createMemorySessionStore } from './memory';

agentSessionContract('memory', async (options) => ({
  store: createMemorySessionStore(options),
  context: (userId) => ({ userId }),
}));

it('refuses a context without a user', async () => {
  const store = createMemorySessionStore();
  await expect(store.session('s', { userId: '' }).addItems([makeSessionItem('x')])).rejects.toMatchObject({
    code: 'unauthorized',
  });
});
