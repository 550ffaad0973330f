/**
 * The ChatKit wire model as a client reads it (docs/specs/chatkit-protocol.md §3–§4), deliberately loose: unknown
 * item types, fields and events pass through, so a newer server (RelayKit's or chatkit-python's) never breaks an
 * older client. The strict, validated schemas live in `@relaykit/sse-protocol`.
 */

/** One page of a list; `after` is the cursor of the next page (absent when there is none). */
export interface Page<T> {
  data: T[];
  has_more: boolean;
  after?: string | null;
}

/** A thread as `threads.list`, `threads.get_by_id` and `thread.created` / `thread.updated` carry it. */
export interface ThreadSummary {
  id: string;
  title?: string | null;
  created_at: string;
  status?: { type: 'active' | 'locked' | 'closed' | (string & {}); reason?: string };
  allowed_image_domains?: string[] | null;
}

/** A thread with its first page of items (`threads.get_by_id`). */
export interface ThreadWithItems extends ThreadSummary {
  items: Page<ThreadItem>;
}

/** A source an annotation points at. */
export interface AnnotationSource {
  type: 'url' | 'file' | 'entity' | (string & {});
  title?: string;
  description?: string | null;
  url?: string;
  filename?: string;
  id?: string;
  label?: string | null;
  data?: Record<string, unknown>;
}

/** A citation or entity reference inside an assistant text part. */
export interface Annotation {
  type: 'annotation';
  source: AnnotationSource;
  index?: number | null;
}

/** One text part of an assistant message. */
export interface OutputText {
  type: 'output_text';
  text: string;
  annotations?: Annotation[];
}

/** One part of a user message: typed text, or an `@`-mention tag. */
export type UserContent =
  | { type: 'input_text'; text: string }
  | {
      type: 'input_tag';
      id: string;
      text: string;
      data?: Record<string, unknown>;
      group?: string | null;
      interactive?: boolean;
    };

/** Where the client sends an attachment's bytes in a two-phase upload. */
export interface UploadDescriptor {
  url: string;
  method: 'POST' | 'PUT';
  headers?: Record<string, string>;
}

/** A file or image attached to a user message. */
export interface Attachment {
  id: string;
  type: 'file' | 'image';
  name: string;
  mime_type: string;
  preview_url?: string | null;
  upload_descriptor?: UploadDescriptor | null;
  thread_id?: string | null;
}

/** A task of a workflow, or a standalone task item. */
export interface Task {
  type: 'custom' | 'thought' | 'web_search' | 'file' | 'image' | (string & {});
  title?: string | null;
  icon?: string | null;
  content?: string | null;
  status_indicator?: 'none' | 'loading' | 'complete';
  title_query?: string | null;
  queries?: string[];
  sources?: AnnotationSource[];
}

/** A collapsible group of tasks (tool calls, reasoning). */
export interface Workflow {
  type: 'custom' | 'reasoning' | (string & {});
  tasks: Task[];
  summary?: { title: string; icon?: string | null } | { duration: number } | null;
  expanded?: boolean;
}

/** A question of a `structured_input` item. */
export interface StructuredInputQuestion {
  type: 'multiple_choice' | 'freeform';
  id: string;
  question: string;
  options?: { value: string }[];
  multiple?: boolean;
  description?: string | null;
  answer?: { values: string[]; skipped: boolean } | null;
}

/** The widget component JSON (opaque; rendered by the widget renderer). */
export interface WidgetNode {
  type: string;
  id?: string;
  key?: string;
  children?: WidgetNode | WidgetNode[] | null;
  [prop: string]: unknown;
}

/** A widget or custom action (`threads.custom_action`). */
export interface Action {
  type: string;
  payload?: unknown;
}

/** What every item has. */
interface ItemBase {
  id: string;
  thread_id: string;
  created_at: string;
}

export interface UserMessageItem extends ItemBase {
  type: 'user_message';
  content: UserContent[];
  attachments?: Attachment[];
  quoted_text?: string | null;
  inference_options?: { model?: string | null; tool_choice?: { id: string } | null };
}
export interface AssistantMessageItem extends ItemBase {
  type: 'assistant_message';
  content: OutputText[];
}
export interface ClientToolCallItem extends ItemBase {
  type: 'client_tool_call';
  status: 'pending' | 'completed';
  call_id: string;
  name: string;
  arguments: Record<string, unknown>;
  output?: unknown;
}
export interface WidgetItem extends ItemBase {
  type: 'widget';
  widget: WidgetNode;
  copy_text?: string | null;
}
export interface GeneratedImageItem extends ItemBase {
  type: 'generated_image';
  image?: { id: string; url: string } | null;
  /** Client-side only: the last `generated_image.updated` progress (0..1). */
  progress?: number;
}
export interface StructuredInputItem extends ItemBase {
  type: 'structured_input';
  status: 'pending' | 'answered' | 'skipped';
  inputs: StructuredInputQuestion[];
}
export interface WorkflowItem extends ItemBase {
  type: 'workflow';
  workflow: Workflow;
}
export interface TaskItem extends ItemBase {
  type: 'task';
  task: Task;
}
export interface EndOfTurnItem extends ItemBase {
  type: 'end_of_turn';
}
/** An item of a type this client does not know: kept, and rendered as nothing. */
export interface UnknownItem extends ItemBase {
  type: string & {};
  [field: string]: unknown;
}

/** Any item of a thread. */
export type ThreadItem =
  | UserMessageItem
  | AssistantMessageItem
  | ClientToolCallItem
  | WidgetItem
  | GeneratedImageItem
  | StructuredInputItem
  | WorkflowItem
  | TaskItem
  | EndOfTurnItem;

/** A thread item, or one of a type this client does not know. */
export type AnyThreadItem = ThreadItem | UnknownItem;

/** The update of a `thread.item.updated` event. */
export type ItemUpdate =
  | { type: 'assistant_message.content_part.added'; content_index: number; content: OutputText }
  | { type: 'assistant_message.content_part.text_delta'; content_index: number; delta: string }
  | {
      type: 'assistant_message.content_part.annotation_added';
      content_index: number;
      annotation_index: number;
      annotation: Annotation;
    }
  | { type: 'assistant_message.content_part.done'; content_index: number; content: OutputText }
  | { type: 'widget.streaming_text.value_delta'; component_id: string; delta: string; done?: boolean }
  | { type: 'widget.root.updated'; widget: WidgetNode }
  | { type: 'widget.component.updated'; component_id: string; component: WidgetNode }
  | { type: 'workflow.task.added'; task_index: number; task: Task }
  | { type: 'workflow.task.updated'; task_index: number; task: Task }
  | { type: 'generated_image.updated'; image: { id: string; url: string }; progress?: number | null };

/** A ChatKit stream event (§3). Events of unknown types are delivered as they came. */
export type ChatKitEvent =
  | { type: 'thread.created'; thread: ThreadSummary }
  | { type: 'thread.updated'; thread: ThreadSummary }
  | { type: 'thread.item.added'; item: AnyThreadItem }
  | { type: 'thread.item.done'; item: AnyThreadItem }
  | { type: 'thread.item.replaced'; item: AnyThreadItem }
  | { type: 'thread.item.updated'; item_id: string; update: ItemUpdate }
  | { type: 'thread.item.removed'; item_id: string }
  | { type: 'stream_options'; stream_options: { allow_cancel: boolean } }
  | { type: 'progress_update'; text: string; icon?: string }
  | { type: 'client_effect'; name: string; data?: Record<string, unknown> }
  | { type: 'error'; code: string; message?: string; allow_retry?: boolean }
  | { type: 'notice'; level: 'info' | 'warning' | 'danger'; message: string; title?: string };

/** The text a user types (and what `threads.create` / `threads.add_user_message` send). */
export interface UserMessageInput {
  content: UserContent[];
  attachments: string[];
  quoted_text?: string | null;
  inference_options: { model?: string | null; tool_choice?: { id: string } | null };
}

/** One hit of a thread search: the thread and a short excerpt around the match. */
export interface ThreadSearchResult {
  thread: ThreadSummary;
  /** Plain text around the first match; the matched words are wrapped in `**`. */
  snippet: string;
}

/** The answer of a thread search endpoint. */
export interface ThreadSearchPage {
  data: ThreadSearchResult[];
  has_more: boolean;
}

/** True for items that are persisted but never shown (`hidden_context_item`, `sdk_hidden_context`). */
export function isHiddenItem(item: { type: string }): boolean {
  return item.type === 'hidden_context_item' || item.type === 'sdk_hidden_context';
}
