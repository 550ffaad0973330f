/**
 * `@relaykit/chatkit-store`: ChatKit threads, items, attachments and feedback behind one port, `ChatKitStore`, with one
 * SQL implementation (tables, RLS, `security invoker` functions in `sql/`) and drivers: memory (here), PGlite
 * (`/pglite`), Postgres (`/postgres`) and Supabase (`/supabase`). The contract suite is `/testing`.
 */

export { createMemoryStore } from './drivers/memory';
export { isRelayKitError, RelayKitError, RequestError, StoreError } from './errors';
export { generateItemId, generateThreadId } from './ids';
export {
  CHATKIT_MIGRATIONS,
  type ChatKitMigration,
  type MigratableDatabase,
  type MigrateResult,
  migrate,
} from './migrate';
export type {
  ChatKitStore,
  ChatKitStoreContext,
  ChatKitStoreOptions,
  ItemIdKind,
  SqlStoreRole,
} from './ports';
export {
  checkSearchLimit,
  MAX_SEARCH_LIMIT,
  type ThreadSearchHit,
  type ThreadSearchPage,
} from './search';
export {
  type AgentSession,
  type AgentSessionItem,
  type AgentSessionStore,
  type AgentSessionStoreOptions,
  createMemorySessionStore,
} from './sessions/index';
export {
  type Attachment,
  type FeedbackKind,
  type Page,
  type PageOrder,
  type ThreadItem,
  type ThreadMetadata,
  type ThreadStatus,
  withoutHiddenItems,
} from './types';
