export { createMemorySessionStore } from './memory';
export type { AgentSession, AgentSessionItem, AgentSessionStore, AgentSessionStoreOptions } from './types';
