import type { ClientToolCall } from './registry';

/** Options of {@link createClientToolCallItem}. */
export interface ClientToolCallItemOptions {
  /** The item id (for example from the store's id generator). */
  id: string;
  threadId: string;
  /** Defaults to now. */
  createdAt?: Date;
}

/** A ChatKit `client_tool_call` thread item (docs/specs/chatkit-protocol.md §4.2). */
export interface ClientToolCallItem extends ClientToolCall {
  id: string;
  thread_id: string;
  created_at: string;
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
      parsed = JSON.parse(value);
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
