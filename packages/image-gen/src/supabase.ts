/** `@relaykit/image-gen/supabase`: Supabase Storage blob store and a PostgREST row updater, over a supabase-js client. */

export { type SupabaseRowUpdaterOptions, supabaseRowUpdater } from './drivers/supabase-row';
export { createSupabaseBlobStore, type SupabaseBlobStoreOptions } from './drivers/supabase-storage';
