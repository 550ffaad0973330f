import type { SupabaseClient } from '@supabase/supabase-js';
import { createSqlFunctionStore } from '../internal/sql-store';
import { openSupabase } from '../internal/supabase-connection';
import type { ChatKitStore, ChatKitStoreContext, ChatKitStoreOptions } from '../ports';

export { createSupabaseSessionStore } from '../sessions/supabase';

/** Options of {@link createSupabaseStore}. */
export interface SupabaseStoreOptions extends ChatKitStoreOptions {
  /**
   * A supabase-js client. Calls go through `rpc()` only. When the context carries `accessToken` (the user's JWT), each
   * call sends it as `Authorization: Bearer …`, so RLS applies to that user; otherwise the client's own session is used.
   */
  // biome-ignore lint/suspicious/noExplicitAny: any database typing of the caller's client is accepted
  client: SupabaseClient<any, any, any>;
}

/**
 * A ChatKitStore over Supabase's Data API: every operation is one `rpc('chatkit_…')` call, run by PostgREST as the
 * user in the JWT, so row-level security decides what the user sees. Apply `supabase/migrations/*_chatkit*.sql` first.
 */
export function createSupabaseStore(options: SupabaseStoreOptions): ChatKitStore<ChatKitStoreContext> {
  return createSqlFunctionStore<ChatKitStoreContext>(openSupabase(options.client).call, options);
}
