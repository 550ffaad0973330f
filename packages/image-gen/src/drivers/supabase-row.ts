import { postgresError, RequestError } from '@relaykit/sse-protocol';
import type { SupabaseClient } from '@supabase/supabase-js';
import type { OnStoredHook } from '../store-image';

/** Options of {@link supabaseRowUpdater}. */
export interface SupabaseRowUpdaterOptions {
  client: Pick<SupabaseClient, 'from'>;
  /** e.g. `students`. */
  table: string;
  /** The column receiving the URL (or path), e.g. `profile_photo`. */
  column: string;
  /** Default `id`. */
  idColumn?: string;
  /** Store the URL (default) or the storage path. */
  value?: 'url' | 'path';
}

/**
 * An `onStored` hook that sets `<table>.<column>` of the row `<idColumn> = id` through PostgREST
 * (`from(table).update(...).eq(...).select()`); throws `not_found` when no row matched; database failures are mapped by `postgresError`.
 */
export function supabaseRowUpdater(options: SupabaseRowUpdaterOptions): OnStoredHook {
  const idColumn = options.idColumn ?? 'id';
  return async (stored) => {
    const value = options.value === 'path' ? stored.path : stored.url;
    const { data, error, status } = await options.client
      .from(options.table)
      .update({ [options.column]: value })
      .eq(idColumn, stored.id)
      .select(idColumn);
    if (error)
      throw postgresError(error, {
        operation: `updating ${options.table}.${options.column}`,
        httpStatus: status,
      });
    if (!data || data.length === 0)
      throw new RequestError('not_found', `no ${options.table} row with ${idColumn} = ${stored.id}`, {
        details: { table: options.table, id: stored.id },
      });
  };
}
