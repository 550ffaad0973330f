import type { PGlite } from '@electric-sql/pglite';
import type { SupabaseClient } from '@supabase/supabase-js';
import type { Sql } from 'postgres';
import type { ChatKitStoreContext } from '../ports';
import {
  roleParameters,
  SET_ROLE_TEXT,
  type SqlFunctionCaller,
  type SqlStoreRole,
  sqlCallText,
} from './sql-store';

/** Runs a chatkit_* function in one PGlite transaction under the user's role and claims. */
export function pgliteCaller(db: PGlite, role: SqlStoreRole): SqlFunctionCaller<ChatKitStoreContext> {
  return (fn, args, context) =>
    db.transaction(async (tx) => {
      await tx.query(SET_ROLE_TEXT, roleParameters(role, context.userId));
      const { text, params } = sqlCallText(fn, args);
      return (await tx.query<{ result: unknown }>(text, params)).rows[0]?.result ?? null;
    });
}

/** Runs a chatkit_* function in one postgres.js transaction: the role/claims statement and the call, pipelined. */
export function postgresCaller(sql: Sql, role: SqlStoreRole): SqlFunctionCaller<ChatKitStoreContext> {
  return async (fn, args, context) => {
    const { text, params } = sqlCallText(fn, args);
    const results = (await sql.begin((tx) => [
      tx.unsafe(SET_ROLE_TEXT, roleParameters(role, context.userId)),
      tx.unsafe(text, params as never[]),
    ])) as unknown as [unknown, { result: unknown }[]];
    return results[1][0]?.result ?? null;
  };
}

/** Calls a chatkit_* function with supabase-js `rpc()`, as the user in `context.accessToken` when given. */
export function supabaseCaller(
  // biome-ignore lint/suspicious/noExplicitAny: any database typing of the caller's client is accepted
  client: SupabaseClient<any, any, any>,
): SqlFunctionCaller<ChatKitStoreContext> {
  return async (fn, args, context) => {
    const body = Object.fromEntries(args.map((argument) => [argument.name, argument.value]));
    let request = client.rpc(fn, body);
    if (context.accessToken !== undefined)
      request = request.setHeader('Authorization', `Bearer ${context.accessToken}`);
    const { data, error } = await request;
    if (error) throw error;
    return data;
  };
}
