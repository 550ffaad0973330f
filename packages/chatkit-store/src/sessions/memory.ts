import { RequestError } from '@relaykit/sse-protocol';
import type { ChatKitStoreContext } from '../ports';
import { bindSession, checkItems, checkLimit, checkSessionId } from './bind';
import type { AgentSessionItem, AgentSessionStore, AgentSessionStoreOptions } from './types';

/**
 * Agents SDK sessions in memory, with the semantics of the SQL drivers (per-user sessions, JSON copies in and out).
 * For tests and prototypes: data is lost when the process exits.
 */
export function createMemorySessionStore(
  options: AgentSessionStoreOptions = {},
): AgentSessionStore<ChatKitStoreContext> {
  const sessions = new Map<string, AgentSessionItem[]>();
  const keyOf = (sessionId: string, context: ChatKitStoreContext) => {
    if (typeof context?.userId !== 'string' || context.userId === '')
      throw new RequestError('unauthorized', 'chatkit: no authenticated user (context.userId is empty)');
    checkSessionId(sessionId);
    return JSON.stringify([context.userId, sessionId]);
  };
  const copy = (item: AgentSessionItem) => JSON.parse(JSON.stringify(item)) as AgentSessionItem;
  const store: Omit<AgentSessionStore<ChatKitStoreContext>, 'session' | 'close'> = {
    async getItems(sessionId, limit, context) {
      const items = sessions.get(keyOf(sessionId, context)) ?? [];
      checkLimit(limit);
      if (limit === undefined) return items.map(copy);
      return limit <= 0 ? [] : items.slice(-limit).map(copy);
    },
    async addItems(sessionId, items, context) {
      const key = keyOf(sessionId, context);
      const checked = checkItems(items, options.maxItemBytes);
      if (checked.length === 0) return;
      sessions.set(key, [...(sessions.get(key) ?? []), ...checked]);
    },
    async popItem(sessionId, context) {
      return sessions.get(keyOf(sessionId, context))?.pop();
    },
    async clearSession(sessionId, context) {
      sessions.delete(keyOf(sessionId, context));
    },
  };
  return {
    ...store,
    session: (sessionId, context) => bindSession(store, sessionId, context),
    async close() {},
  };
}
