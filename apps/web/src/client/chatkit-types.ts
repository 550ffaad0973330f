import type { UserMessageTextContent } from '@relaykit/sse-protocol';

/**
 * The slice of the ChatKit wire model the app's client reads (loosely: unknown fields and types are ignored).
 * Types whose shape equals the protocol's are imported from `@relaykit/sse-protocol` (type-only, so nothing of it
 * reaches the browser bundle); the others are deliberately looser than the protocol's zod-inferred types (open
 * unions, optional fields the UI does not need, `after` without `null`).
 */

export interface ThreadSummary {
  id: string;
  title?: string | null;
  created_at: string;
}

export interface Page<T> {
  data: T[];
  has_more: boolean;
  after?: string;
}

/** Plain text typed by the user: the protocol's `UserMessageTextContent`. */
export type InputText = UserMessageTextContent;

export interface OutputText {
  type: 'output_text';
  text: string;
}

export interface WorkflowTask {
  type: string;
  title?: string | null;
  content?: string | null;
  status_indicator?: 'none' | 'loading' | 'complete';
}

/** A thread item as the UI needs it. */
export type ThreadItem =
  | { id: string; thread_id: string; created_at: string; type: 'user_message'; content: InputText[] }
  | { id: string; thread_id: string; created_at: string; type: 'assistant_message'; content: OutputText[] }
  | {
      id: string;
      thread_id: string;
      created_at: string;
      type: 'workflow';
      workflow: { type: string; tasks: WorkflowTask[]; summary?: unknown };
    }
  | { id: string; thread_id: string; created_at: string; type: string; [key: string]: unknown };

export type ItemUpdate =
  | { type: 'assistant_message.content_part.added'; content_index: number; content: OutputText }
  | { type: 'assistant_message.content_part.text_delta'; content_index: number; delta: string }
  | { type: 'assistant_message.content_part.done'; content_index: number; content: OutputText }
  | { type: 'workflow.task.added' | 'workflow.task.updated'; task_index: number; task: WorkflowTask }
  | { type: string; [key: string]: unknown };

/** The stream events the UI handles; others are ignored. */
export type StreamEvent =
  | { type: 'thread.created' | 'thread.updated'; thread: ThreadSummary }
  | { type: 'thread.item.added' | 'thread.item.done' | 'thread.item.replaced'; item: ThreadItem }
  | { type: 'thread.item.updated'; item_id: string; update: ItemUpdate }
  | { type: 'thread.item.removed'; item_id: string }
  | { type: 'progress_update'; text: string }
  | { type: 'error'; code: string; message?: string; allow_retry?: boolean }
  | { type: 'notice'; level: string; message: string; title?: string }
  | { type: string; [key: string]: unknown };
