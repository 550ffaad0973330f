/** The picker value of an opened thread whose agent this browser does not know: the server keeps the saved one. */
export const SAVED_AGENT = '';

/** The picker's state when a message is sent. */
export interface AgentChoice {
  /** The open thread, or `null` for a new one. */
  threadId: string | null;
  /** Whether the user changed the picker after opening the thread. */
  pickerChanged: boolean;
  /** The picked agent's request metadata (`agentType` and its ids), or `undefined` for {@link SAVED_AGENT}. */
  agentMetadata: Record<string, unknown> | undefined;
}

/**
 * The ChatKit request metadata of a message. A new thread gets the picked agent. An existing thread gets none (the
 * server routes it by the agent saved with the thread) unless the user picked another agent after opening it: a
 * thread opened elsewhere must not be re-routed to whatever the picker happens to show.
 */
export function requestAgentMetadata(choice: AgentChoice): Record<string, unknown> {
  if (choice.threadId !== null && !choice.pickerChanged) return {};
  return choice.agentMetadata ?? {};
}
