import { type ClientToolCallItem, parseJsonText } from '@relaykit/sse-protocol';
import type { ClientToolCall } from './registry';

/** The ChatKit `client_tool_call` item: the one type of `@relaykit/sse-protocol`, re-exported for convenience. */
export type { ClientToolCallItem };

/** Options of {@link createClientToolCallItem}. */
export interface ClientToolCallItemOptions {
  /** The item id (for example from the store's id generator). */
  id: string;
  threadId: string;
  /** Defaults to now. */
  createdAt?: Date;
}

/** Turns a pending client tool call from the registry into a ChatKit thread item to store and stream. */
export function createClientToolCallItem(
  call: ClientToolCall,
  options: ClientToolCallItemOptions,
): ClientToolCallItem {
  return {
    id: options.id,
    thread_id: options.threadId,
    created_at: (options.createdAt ?? new Date()).toISOString(),
    type: 'client_tool_call',
    status: 'pending',
    call_id: call.call_id,
    name: call.name,
    arguments: call.arguments,
  };
}

/** Parses a pending call back out of the JSON string an Agents SDK client tool returned; `null` if it is not one. */
export function parseClientToolCall(value: unknown): ClientToolCall | null {
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = parseJsonText(value);
    } catch {
      return null;
    }
  }
  if (parsed === null || typeof parsed !== 'object') return null;
  const record = parsed as Record<string, unknown>;
  if (
    record.type !== 'client_tool_call' ||
    record.status !== 'pending' ||
    typeof record.call_id !== 'string' ||
    typeof record.name !== 'string' ||
    record.arguments === null ||
    typeof record.arguments !== 'object'
  ) {
    return null;
  }
  return {
    type: 'client_tool_call',
    status: 'pending',
    call_id: record.call_id,
    name: record.name,
    arguments: record.arguments as Record<string, unknown>,
  };
}

/** Tags an Agents SDK tool that the ChatKit client runs; global, so every installed copy of this package agrees. */
const CLIENT_TOOL = Symbol.for('relaykit.tool.client');

/** Marks an Agents SDK tool as run by the ChatKit client (what `toAgentsTool` does for `defineClientTool` tools). */
export function markClientTool<T extends object>(tool: T): T {
  Object.defineProperty(tool, CLIENT_TOOL, { value: true, enumerable: false });
  return tool;
}

/** True for an Agents SDK tool made from a `defineClientTool` tool (by `toAgentsTool` of `@relaykit/tool-registry/agents`). */
export function isClientTool(tool: unknown): boolean {
  return typeof tool === 'object' && tool !== null && (tool as Record<symbol, unknown>)[CLIENT_TOOL] === true;
}

/** The names of the client tools among `tools` (Agents SDK tools), in order. */
export function clientToolNames(tools: readonly unknown[]): string[] {
  return tools
    .filter(isClientTool)
    .map((tool) => (tool as { name?: unknown }).name)
    .filter((name): name is string => typeof name === 'string');
}
