/**
 * `OPENAI_KEY_SOURCE=vault`: the OpenAI key of each request comes from Supabase Vault through
 * `relaykit.get_openai_api_key(p_user_id)` (migration `0001_openai_keys.sql` of `@relaykit/supabase-edge`): the
 * user's own key, else the project's Vault secret `openai_api_key`, else `OPENAI_API_KEY`. The function calls it on
 * its Postgres pool (`SUPABASE_DB_URL`, the `postgres` role that owns the function), so it needs no supabase-js and
 * no exposed schema; apps set their users' keys through the Data API (`supabase.schema('relaykit')`).
 */
import type { AdapterContext } from '@relaykit/agent-core';
import {
  createVaultApiKeyResolver,
  type VaultApiKeyResolver,
  type VaultRpcClient,
} from '@relaykit/supabase-edge';
import type { Sql } from 'postgres';

/** `rpc('get_openai_api_key', { p_user_id })` answered from the Postgres pool, shaped like supabase-js's answer. */
export function postgresVaultRpc(sql: Sql): VaultRpcClient {
  return {
    rpc: async (fn, args = {}) => {
      if (fn !== 'get_openai_api_key') {
        return { data: null, error: { message: `no such function ${fn}`, code: 'PGRST202' }, status: 404 };
      }
      const userId = typeof args.p_user_id === 'string' ? args.p_user_id : null;
      try {
        const [row] = await sql<{ key: string | null }[]>`
          select relaykit.get_openai_api_key(${userId}::uuid) as key`;
        return { data: row?.key ?? null, error: null, status: 200 };
      } catch (error) {
        const { code, message } = error as { code?: string; message?: string };
        const sqlState = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
        // A SQLSTATE is the database's answer; anything else (ECONNREFUSED, …) means it was not reached.
        return {
          data: null,
          error: { message: message ?? 'query failed', code: sqlState ? code : '' },
          status: sqlState ? 500 : 0,
        };
      }
    },
  };
}

/** The resolver for `createModelAccess({ getApiKey })`, falling back to `OPENAI_API_KEY` when Vault has no key. */
export function vaultApiKeys(
  sql: Sql,
  fallbackApiKey: string | undefined,
): VaultApiKeyResolver<AdapterContext> {
  return createVaultApiKeyResolver<AdapterContext>({
    rpc: postgresVaultRpc(sql),
    ...(fallbackApiKey ? { fallbackApiKey } : {}),
  });
}
