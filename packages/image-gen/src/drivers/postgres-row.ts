import { postgresError, RequestError } from '@relaykit/sse-protocol';
import type { Sql } from 'postgres';
import type { OnStoredHook } from '../store-image';

/** Options of {@link postgresRowUpdater}. */
export interface PostgresRowUpdaterOptions {
  /** A postgres.js client. */
  sql: Sql;
  table: string;
  column: string;
  /** Default `id`. */
  idColumn?: string;
  /** Optional schema; default the search path. */
  schema?: string;
  /** Store the URL (default) or the storage path. */
  value?: 'url' | 'path';
}

/** An `onStored` hook that runs `update <table> set <column> = $url where <idColumn> = $id` with postgres.js. */
export function postgresRowUpdater(options: PostgresRowUpdaterOptions): OnStoredHook {
  const { sql } = options;
  const idColumn = options.idColumn ?? 'id';
  const table = options.schema ? sql(`${options.schema}.${options.table}`) : sql(options.table);
  return async (stored) => {
    const value = options.value === 'path' ? stored.path : stored.url;
    let rows: readonly unknown[];
    try {
      rows =
        await sql`update ${table} set ${sql(options.column)} = ${value} where ${sql(idColumn)} = ${stored.id} returning 1 as updated`;
    } catch (error) {
      throw postgresError(error, { operation: `updating ${options.table}.${options.column}` });
    }
    if (rows.length === 0)
      throw new RequestError('not_found', `no ${options.table} row with ${idColumn} = ${stored.id}`, {
        details: { table: options.table, id: stored.id },
      });
  };
}
