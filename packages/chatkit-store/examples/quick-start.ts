import { createMemoryStore, withoutHiddenItems } from '@relaykit/chatkit-store';
import { createPGliteStore } from '@relaykit/chatkit-store/pglite';

export async function quickStart(embedded = false) {
  const store = embedded ? await createPGliteStore() : createMemoryStore();
  const context = { userId: crypto.randomUUID() }; // the signed-in user (a UUID)
  const created_at = new Date().toISOString();
  const status = { type: 'active' as const };
  const thread = { id: store.generateThreadId(context), created_at, status, metadata: {} };
  await store.saveThread(thread, context);
  const id = store.generateItemId('message', thread, context);
  const content = [{ type: 'input_text' as const, text: 'Hello' }];
  const message = { type: 'user_message' as const, content, attachments: [], inference_options: {} };
  await store.addThreadItem(thread.id, { id, thread_id: thread.id, created_at, ...message }, context);
  const page = await store.loadThreadItems(thread.id, null, 20, 'asc', context);
  await store.close();
  return withoutHiddenItems(page); // what the client may see
}
