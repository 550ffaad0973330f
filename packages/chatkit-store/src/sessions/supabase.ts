import type { SupabaseStoreOptions } from '../drivers/supabase';
import { openSupabase } from '../internal/supabase-connection';
import type { ChatKitStoreContext } from '../ports';
import { createSqlSessionStore } from './sql';
import type { AgentSessionStore } from './types';

/**
 * Agents SDK sessions over Supabase's Data API: every operation is one `rpc('chatkit_agent_session_…')` call, run by
 * PostgREST as the user in the context's `accessToken`, so row-level security decides what the user sees. Apply
 * `supabase/migrations/*_agent_sessions.sql` first.
 */
export function createSupabaseSessionStore(
  options: SupabaseStoreOptions,
): AgentSessionStore<ChatKitStoreContext> {
  return createSqlSessionStore(openSupabase(options.client).call, options);
}
