import postgres, { type Sql } from 'postgres';
import type { SqlConnection } from './sql-connection';
import { roleParameters, SET_ROLE_TEXT, type SqlStoreRole, sqlCallText } from './sql-store';

/**
 * The given postgres.js client (left open by `close()`) or a pool on `connectionString`. Each call is one transaction:
 * the role/claims statement and the chatkit_* function call, pipelined.
 */
export function openPostgres(options: {
  sql?: Sql;
  connectionString?: string;
  role?: SqlStoreRole;
}): SqlConnection {
  const owned = options.sql === undefined;
  const sql: Sql =
    options.sql ?? postgres(options.connectionString as string, { onnotice: () => {}, max: 10 });
  const role = options.role ?? 'authenticated';
  return {
    call: async (fn, args, context) => {
      const { text, params } = sqlCallText(fn, args);
      const results = (await sql.begin((tx) => [
        tx.unsafe(SET_ROLE_TEXT, roleParameters(role, context.userId)),
        tx.unsafe(text, params as never[]),
      ])) as unknown as [unknown, { result: unknown }[]];
      return results[1][0]?.result ?? null;
    },
    close: async () => {
      if (owned) await sql.end({ timeout: 5 });
    },
  };
}
