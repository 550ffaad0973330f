/**
 * `@relaykit/testing/supabase`: local stand-ins for the parts of Supabase that RelayKit talks to over HTTP,
 * documented as such. They follow the documented PostgREST (RPC only) and Storage API behaviour so that an
 * unmodified `@supabase/supabase-js` client works against them; they are not PostgREST or Supabase Storage.
 */

export type { RpcDatabase } from './supabase/database';
export { type MintSupabaseJwtOptions, mintSupabaseJwt } from './supabase/jwt';
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
