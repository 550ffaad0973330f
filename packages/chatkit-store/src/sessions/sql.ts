import { postgresError } from '@relaykit/sse-protocol';
import type { SqlArgument, SqlFunctionCaller } from '../internal/sql-store';
import { bindSession, checkItems, checkLimit, checkSessionId } from './bind';
import type { AgentSessionItem, AgentSessionStore, AgentSessionStoreOptions } from './types';

/**
 * Agents SDK sessions on the `chatkit_agent_session_*` SQL functions (`sql/0005_agent_sessions.sql`): one function call
 * per operation, run as the user by the driver's caller. Shared by the PGlite, Postgres and Supabase session stores.
 */
export function createSqlSessionStore<TContext>(
  call: SqlFunctionCaller<TContext>,
  options: AgentSessionStoreOptions & { close?: () => Promise<void> } = {},
): AgentSessionStore<TContext> {
  const run = async (fn: string, args: SqlArgument[], context: TContext): Promise<unknown> => {
    try {
      return await call(fn, args, context);
    } catch (error) {
      throw postgresError(error, { operation: fn });
    }
  };
  const id = (sessionId: string): SqlArgument => {
    checkSessionId(sessionId);
    return { name: 'p_session_id', type: 'text', value: sessionId };
  };
  const store: Omit<AgentSessionStore<TContext>, 'session' | 'close'> = {
    async getItems(sessionId, limit, context) {
      checkLimit(limit);
      const args: SqlArgument[] = [id(sessionId), { name: 'p_limit', type: 'integer', value: limit ?? null }];
      return ((await run('chatkit_agent_session_items', args, context)) ?? []) as AgentSessionItem[];
    },
    async addItems(sessionId, items, context) {
      const checked = checkItems(items, options.maxItemBytes);
      if (checked.length === 0) return;
      await run(
        'chatkit_agent_session_add_items',
        [id(sessionId), { name: 'p_items', type: 'jsonb', value: checked }],
        context,
      );
    },
    async popItem(sessionId, context) {
      const item = await run('chatkit_agent_session_pop_item', [id(sessionId)], context);
      return (item ?? undefined) as AgentSessionItem | undefined;
    },
    async clearSession(sessionId, context) {
      await run('chatkit_agent_session_clear', [id(sessionId)], context);
    },
  };
  return {
    ...store,
    session: (sessionId, context) => bindSession(store, sessionId, context),
    close: options.close ?? (async () => {}),
  };
}
