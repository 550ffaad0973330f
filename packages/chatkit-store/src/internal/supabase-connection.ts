import { postgresError } from '@relaykit/sse-protocol';
import type { SupabaseClient } from '@supabase/supabase-js';
import type { SqlConnection } from './sql-connection';

/** Calls chatkit_* functions with supabase-js `rpc()`, as the user in `context.accessToken` when given. */
export function openSupabase(
  // biome-ignore lint/suspicious/noExplicitAny: any database typing of the caller's client is accepted
  client: SupabaseClient<any, any, any>,
): SqlConnection {
  return {
    call: async (fn, args, context) => {
      const body = Object.fromEntries(args.map((argument) => [argument.name, argument.value]));
      let request = client.rpc(fn, body);
      if (context.accessToken !== undefined)
        request = request.setHeader('Authorization', `Bearer ${context.accessToken}`);
      const { data, error, status } = await request;
      // The response status tells an unreachable API (0, 5xx) from a refusal; the one Postgres mapper reads both.
      if (error) throw postgresError(error, { operation: fn, httpStatus: status });
      return data;
    },
    close: async () => {},
  };
}
