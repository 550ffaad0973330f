import type { ChatKitStore, ChatKitStoreContext } from '@relaykit/chatkit-store';

/** Takes an item away for one caller only: of any number of callers that read it, exactly one gets `true`. */
export async function claimOnce(
  store: ChatKitStore<ChatKitStoreContext>,
  threadId: string,
  itemId: string,
  context: ChatKitStoreContext,
): Promise<boolean> {
  const seen = await store.loadItem(threadId, itemId, context);
  // ... decide what to do with it, then delete it only if nobody changed or took it meanwhile:
  return store.compareAndSetItem(threadId, seen, null, context);
}
