import type { SimpleUsage, StreamLog } from '@relaykit/sse-protocol';

/** The answer to an `approval_required` event of the simple stream. */
export interface ChatStreamApproval {
  /** `approvalId` of the event. */
  approvalId: string;
  /** `callId` of the event. */
  callId: string;
  decision: 'approve' | 'reject';
}

/** One message of the simple chat endpoint (mobile clients, curl). */
export interface ChatStreamRequest {
  /** The user's text. Required unless `approval` is given. */
  message?: string;
  /**
   * Answers an `approval_required` event instead of sending a message (needs `threadId`): the paused run resumes
   * and this response streams the rest of the turn. Only the user who started the run can answer.
   */
  approval?: ChatStreamApproval;
  /** Continue this thread; without it a new thread is created. */
  threadId?: string;
  /** Agent type to answer (sent as `metadata.agentType`). */
  agent?: string;
  /** Request metadata for routing and context builders (e.g. `{ eventId }`). */
  metadata?: Record<string, unknown>;
  /** `false` answers one JSON document `{ threadId, sessionId, agent, message, usage }` instead of SSE. Default true. */
  stream?: boolean;
  /** Names the stream in every event. Default a random UUID. */
  sessionId?: string;
  /** The user id reported in the `session` event. Default the context's `userId`. */
  userId?: string;
  /**
   * Aborts the run (client disconnect). With `streamLog` it only ends this response's reading of the log: the
   * run goes on, and only `stopChatStream` (any instance) cancels it.
   */
  signal?: AbortSignal;
  /**
   * Makes the run resumable: every simple event is written to this log under the session (`sessionId`, a random
   * UUID when absent, owned by the context's `userId`), the run keeps going when the client disconnects (kept
   * alive with the context's `waitUntil` when it has one), and the response reads the log (SSE `id:` = log
   * sequence). Resume with `resumeChatStream`, stop with `stopChatStream`. Ignored with `stream: false`.
   */
  streamLog?: StreamLog;
  /** SSE heartbeat interval. Default 15 000 ms. */
  heartbeatMs?: number;
}

/** The non-streaming answer of {@link createChatStream}. */
export interface ChatStreamResult {
  threadId: string;
  sessionId: string;
  agent: string;
  /** The assistant's final text (all assistant messages of the turn, joined by a blank line). */
  message: string;
  usage: SimpleUsage | null;
}
