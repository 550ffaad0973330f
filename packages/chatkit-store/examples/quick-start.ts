import { createMemoryStore, withoutHiddenItems } from '@relaykit/chatkit-store';
import { createPGliteStore } from '@relaykit/chatkit-store/pglite';

export async function quickStart(embedded = false) {
  const store = embedded ? await createPGliteStore() : createMemoryStore();
  const context = { userId: crypto.randomUUID() }; // the signed-in user (a UUID)
  const thread = {
    id: store.generateThreadId(context),
    created_at: new Date().toISOString(),
    status: { type: 'active' as const },
    metadata: {},
  };
  await store.saveThread(thread, context);
  await store.addThreadItem(
    thread.id,
    {
      id: store.generateItemId('message', thread, context),
      thread_id: thread.id,
      type: 'user_message',
      created_at: new Date().toISOString(),
      content: [{ type: 'input_text', text: 'Hello' }],
    },
    context,
  );
  const page = await store.loadThreadItems(thread.id, null, 20, 'asc', context);
  await store.close();
  return withoutHiddenItems(page); // what the client may see
}
