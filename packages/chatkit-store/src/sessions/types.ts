import type { AgentInputItem, Session } from '@openai/agents';
import type { ChatKitStoreContext } from '../ports';

/**
 * One conversation item as the OpenAI Agents SDK keeps it in a session (`AgentInputItem`: a message, a function call,
 * its output, a reasoning item, ...). The store keeps it as opaque JSON. Only types come from `@openai/agents` (an
 * optional peer): nothing of it is loaded at run time.
 */
export type AgentSessionItem = AgentInputItem;

/**
 * The Agents SDK's `Session` (`@openai/agents`) for one user's session: pass it to `run(agent, input, { session })` and
 * the SDK reads the history before each turn and appends the turn after it. `getItems(limit)` gives the newest
 * `limit` items oldest first (none when `limit` ≤ 0), `addItems` appends in order (one call's items stay together
 * under concurrent calls), `popItem` atomically removes the newest item, `clearSession` deletes them all.
 */
export type AgentSession = Session;

/**
 * Agents SDK sessions on a RelayKit store, per user: every call acts as the user in `context`, a session belongs to
 * that user (another user with the same session id has a separate, empty session), and the SQL drivers enforce it with
 * row-level security (`sql/0005_agent_sessions.sql`).
 *
 * Errors: `RequestError` `invalid_request` (a session id that is not 1–255 characters, a `limit` that is not an
 * integer, an item that is not a JSON object), `payload_too_large` (an item over the size cap), `unauthorized` (no
 * user); `StoreError` otherwise.
 */
export interface AgentSessionStore<TContext = ChatKitStoreContext> {
  /** The SDK `Session` for `sessionId`, acting as the user in `context` (the id is checked here). */
  session(sessionId: string, context: TContext): AgentSession;
  /** The session's items, oldest first; with `limit`, the newest `limit`. */
  getItems(sessionId: string, limit: number | undefined, context: TContext): Promise<AgentSessionItem[]>;
  /** Appends items to the session (creating it on first use). */
  addItems(sessionId: string, items: readonly AgentSessionItem[], context: TContext): Promise<void>;
  /** Removes and returns the newest item. */
  popItem(sessionId: string, context: TContext): Promise<AgentSessionItem | undefined>;
  /** Deletes the session and its items; a missing session is a no-op. */
  clearSession(sessionId: string, context: TContext): Promise<void>;
  /** Releases what the store opened itself (a PGlite instance, a connection pool). */
  close(): Promise<void>;
}

/** Options every session store accepts. */
export interface AgentSessionStoreOptions {
  /** Largest accepted item, in bytes of its JSON. Default 1 MiB (1,048,576). */
  maxItemBytes?: number;
}
