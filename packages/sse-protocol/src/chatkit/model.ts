/**
 * The ChatKit data model (custom-backend protocol, chatkit-python v1.6.5): threads, items, pages and their parts.
 *
 * Every schema and its inferred type share one name. Object keys are declared in the reference (pydantic model)
 * field order, so a value parsed through a schema serializes with the reference key order. Optional fields accept
 * `null` or absence (the wire omits them when null); defaults that are not null (`attachments: []`,
 * `status: {type: 'active'}`, `metadata: {}`, `inference_options: {}` fields, ...) are filled in by parsing.
 * Unknown keys are dropped by parsing, except inside opaque JSON (widgets, tool arguments, `data` records).
 */
import { z } from 'zod';
import { JsonRecord } from './json-record';

/** A ChatKit icon name (an open set of strings such as `search`, `sparkle`, `book-open`). */
export const IconName = z.string();
/** A ChatKit icon name (an open set of strings such as `search`, `sparkle`, `book-open`). */
export type IconName = z.infer<typeof IconName>;

/**
 * An ISO-8601 timestamp as the wire carries it. Accepts strings with or without a `Z`/offset (the reference emits
 * naive local time such as `2026-11-23T11:37:30.190465`) and `Date` objects, which become `toISOString()` strings.
 */
export const Timestamp = z.union([
  z.iso.datetime({ local: true, offset: true }),
  z.date().transform((date) => date.toISOString()),
]);
/** An ISO-8601 timestamp string (see {@link Timestamp}). */
export type Timestamp = z.infer<typeof Timestamp>;

// ---------------------------------------------------------------------------------------------------------------
// Sources and annotations
// ---------------------------------------------------------------------------------------------------------------

const sourceBase = {
  title: z.string(),
  description: z.string().nullish(),
  timestamp: z.string().nullish(),
  group: z.string().nullish(),
};

/** A web page cited by an assistant message or a search task. */
export const URLSource = z.object({
  ...sourceBase,
  type: z.literal('url'),
  url: z.string(),
  attribution: z.string().nullish(),
});
/** A web page cited by an assistant message or a search task. */
export type URLSource = z.infer<typeof URLSource>;

/** A file cited by an assistant message or a file task. */
export const FileSource = z.object({ ...sourceBase, type: z.literal('file'), filename: z.string() });
/** A file cited by an assistant message or a file task. */
export type FileSource = z.infer<typeof FileSource>;

/** An application entity (a person, a document, ...) cited by an assistant message. */
export const EntitySource = z.object({
  ...sourceBase,
  type: z.literal('entity'),
  id: z.string(),
  icon: IconName.nullish(),
  label: z.string().nullish(),
  inline_label: z.string().nullish(),
  interactive: z.boolean().default(false),
  data: JsonRecord.default(() => ({})),
  /** Deprecated and ignored by clients; kept so old payloads still parse. */
  preview: z.literal('lazy').nullish(),
});
/** An application entity (a person, a document, ...) cited by an assistant message. */
export type EntitySource = z.infer<typeof EntitySource>;

/** Any citable source, discriminated on `type`. */
export const Source = z.discriminatedUnion('type', [URLSource, FileSource, EntitySource]);
/** Any citable source, discriminated on `type`. */
export type Source = z.infer<typeof Source>;

/** A citation attached to assistant output text; `index` is the character position it refers to. */
export const Annotation = z.object({
  type: z.literal('annotation'),
  source: Source,
  index: z.number().int().nullish(),
});
/** A citation attached to assistant output text; `index` is the character position it refers to. */
export type Annotation = z.infer<typeof Annotation>;

// ---------------------------------------------------------------------------------------------------------------
// Message content, inference options, attachments
// ---------------------------------------------------------------------------------------------------------------

/** One part of an assistant message: text and its annotations. */
export const AssistantMessageContent = z.object({
  annotations: z.array(Annotation).default(() => []),
  text: z.string(),
  type: z.literal('output_text'),
});
/** One part of an assistant message: text and its annotations. */
export type AssistantMessageContent = z.infer<typeof AssistantMessageContent>;

/** Plain text typed by the user. */
export const UserMessageTextContent = z.object({ type: z.literal('input_text'), text: z.string() });
/** Plain text typed by the user. */
export type UserMessageTextContent = z.infer<typeof UserMessageTextContent>;

/** An `@`-mention tag inserted by the user. */
export const UserMessageTagContent = z.object({
  type: z.literal('input_tag'),
  id: z.string(),
  text: z.string(),
  data: JsonRecord,
  group: z.string().nullish(),
  interactive: z.boolean().default(false),
});
/** An `@`-mention tag inserted by the user. */
export type UserMessageTagContent = z.infer<typeof UserMessageTagContent>;

/** One part of a user message, discriminated on `type`. */
export const UserMessageContent = z.discriminatedUnion('type', [
  UserMessageTextContent,
  UserMessageTagContent,
]);
/** One part of a user message, discriminated on `type`. */
export type UserMessageContent = z.infer<typeof UserMessageContent>;

/** A tool the user explicitly picked in the composer. */
export const ToolChoice = z.object({ id: z.string() });
/** A tool the user explicitly picked in the composer. */
export type ToolChoice = z.infer<typeof ToolChoice>;

/** Model and tool choices the user made for one message (both optional; `{}` on the wire when unset). */
export const InferenceOptions = z.object({
  tool_choice: ToolChoice.nullish(),
  model: z.string().nullish(),
});
/** Model and tool choices the user made for one message (both optional; `{}` on the wire when unset). */
export type InferenceOptions = z.infer<typeof InferenceOptions>;

/** Where and how the client uploads the bytes of a two-phase attachment. */
export const UploadDescriptor = z.object({
  url: z.string(),
  method: z.enum(['POST', 'PUT']),
  headers: z.record(z.string(), z.string()).nullish(),
});
/** Where and how the client uploads the bytes of a two-phase attachment. */
export type UploadDescriptor = z.infer<typeof UploadDescriptor>;

const attachmentBase = {
  id: z.string(),
  name: z.string(),
  mime_type: z.string(),
  upload_descriptor: UploadDescriptor.nullish(),
  /** Set by the server when a user message that uses the attachment is saved. */
  thread_id: z.string().nullish(),
  /** Server-only integration data: persisted, never serialized to clients. */
  metadata: JsonRecord.nullish(),
};

/** An uploaded file that is not an image. */
export const FileAttachment = z.object({ ...attachmentBase, type: z.literal('file') });
/** An uploaded file that is not an image. */
export type FileAttachment = z.infer<typeof FileAttachment>;

/** An uploaded image, with a URL the client can show as a preview. */
export const ImageAttachment = z.object({
  ...attachmentBase,
  type: z.literal('image'),
  preview_url: z.string(),
});
/** An uploaded image, with a URL the client can show as a preview. */
export type ImageAttachment = z.infer<typeof ImageAttachment>;

/** A file or image attached to a user message, discriminated on `type`. */
export const Attachment = z.discriminatedUnion('type', [FileAttachment, ImageAttachment]);
/** A file or image attached to a user message, discriminated on `type`. */
export type Attachment = z.infer<typeof Attachment>;

// ---------------------------------------------------------------------------------------------------------------
// Tasks and workflows
// ---------------------------------------------------------------------------------------------------------------

const taskBase = { status_indicator: z.enum(['none', 'loading', 'complete']).default('none') };

/** A task showing custom content. */
export const CustomTask = z.object({
  ...taskBase,
  type: z.literal('custom'),
  title: z.string().nullish(),
  icon: IconName.nullish(),
  content: z.string().nullish(),
});
/** A task showing custom content. */
export type CustomTask = z.infer<typeof CustomTask>;

/** A web search task with its queries and the pages found. */
export const SearchTask = z.object({
  ...taskBase,
  type: z.literal('web_search'),
  title: z.string().nullish(),
  title_query: z.string().nullish(),
  queries: z.array(z.string()).default(() => []),
  sources: z.array(URLSource).default(() => []),
});
/** A web search task with its queries and the pages found. */
export type SearchTask = z.infer<typeof SearchTask>;

/** A reasoning step (for example a streamed reasoning summary). */
export const ThoughtTask = z.object({
  ...taskBase,
  type: z.literal('thought'),
  title: z.string().nullish(),
  content: z.string(),
});
/** A reasoning step (for example a streamed reasoning summary). */
export type ThoughtTask = z.infer<typeof ThoughtTask>;

/** A task that read or produced files. */
export const FileTask = z.object({
  ...taskBase,
  type: z.literal('file'),
  title: z.string().nullish(),
  sources: z.array(FileSource).default(() => []),
});
/** A task that read or produced files. */
export type FileTask = z.infer<typeof FileTask>;

/** A task rendering an image. */
export const ImageTask = z.object({ ...taskBase, type: z.literal('image'), title: z.string().nullish() });
/** A task rendering an image. */
export type ImageTask = z.infer<typeof ImageTask>;

/** One task of a workflow (or of a standalone task item), discriminated on `type`. */
export const Task = z.discriminatedUnion('type', [CustomTask, SearchTask, ThoughtTask, FileTask, ImageTask]);
/** One task of a workflow (or of a standalone task item), discriminated on `type`. */
export type Task = z.infer<typeof Task>;

/** A workflow summary with a custom title. */
export const CustomSummary = z.object({ title: z.string(), icon: IconName.nullish() });
/** A workflow summary with a custom title. */
export type CustomSummary = z.infer<typeof CustomSummary>;

/** A workflow summary giving its duration in whole seconds. */
export const DurationSummary = z.object({ duration: z.number().int() });
/** A workflow summary giving its duration in whole seconds. */
export type DurationSummary = z.infer<typeof DurationSummary>;

/** How a finished workflow is summarised when collapsed. */
export const WorkflowSummary = z.union([CustomSummary, DurationSummary]);
/** How a finished workflow is summarised when collapsed. */
export type WorkflowSummary = z.infer<typeof WorkflowSummary>;

/** A group of tasks shown as one collapsible block (`reasoning` for reasoning summaries). */
export const Workflow = z.object({
  type: z.enum(['custom', 'reasoning']),
  tasks: z.array(Task),
  summary: WorkflowSummary.nullish(),
  expanded: z.boolean().default(false),
});
/** A group of tasks shown as one collapsible block (`reasoning` for reasoning summaries). */
export type Workflow = z.infer<typeof Workflow>;

// ---------------------------------------------------------------------------------------------------------------
// Widgets, generated images, structured input
// ---------------------------------------------------------------------------------------------------------------

/**
 * A widget tree (root `type` is `Card`, `ListView` or `Basic`). RelayKit treats widgets as opaque JSON: every key
 * is kept, and null fields are dropped recursively on the wire.
 */
export const WidgetRoot = z.looseObject({ type: z.string() });
/** A widget tree, kept as opaque JSON (see {@link WidgetRoot}). */
export type WidgetRoot = z.infer<typeof WidgetRoot>;

/** One widget component (`Text`, `Markdown`, `Button`, ...), kept as opaque JSON. */
export const WidgetComponent = z.looseObject({ type: z.string() });
/** One widget component (`Text`, `Markdown`, `Button`, ...), kept as opaque JSON. */
export type WidgetComponent = z.infer<typeof WidgetComponent>;

/** An image produced by an image-generation tool. */
export const GeneratedImage = z.object({ id: z.string(), url: z.string() });
/** An image produced by an image-generation tool. */
export type GeneratedImage = z.infer<typeof GeneratedImage>;

/** The user's answer to one structured-input question. */
export const StructuredInputAnswer = z.object({
  values: z.array(z.string()).default(() => []),
  skipped: z.boolean().default(false),
});
/** The user's answer to one structured-input question. */
export type StructuredInputAnswer = z.infer<typeof StructuredInputAnswer>;

/** One option of a multiple-choice question. */
export const StructuredInputOption = z.object({ value: z.string() });
/** One option of a multiple-choice question. */
export type StructuredInputOption = z.infer<typeof StructuredInputOption>;

/** A multiple-choice question of a structured-input item. */
export const MultipleChoiceInput = z.object({
  type: z.literal('multiple_choice'),
  id: z.string(),
  question: z.string(),
  answer: StructuredInputAnswer.nullish(),
  options: z.array(StructuredInputOption),
  multiple: z.boolean().default(false),
});
/** A multiple-choice question of a structured-input item. */
export type MultipleChoiceInput = z.infer<typeof MultipleChoiceInput>;

/** A free-text question of a structured-input item. */
export const FreeformInput = z.object({
  type: z.literal('freeform'),
  id: z.string(),
  question: z.string(),
  answer: StructuredInputAnswer.nullish(),
  description: z.string().nullish(),
});
/** A free-text question of a structured-input item. */
export type FreeformInput = z.infer<typeof FreeformInput>;

/** One question of a structured-input item, discriminated on `type`. */
export const StructuredInput = z.discriminatedUnion('type', [MultipleChoiceInput, FreeformInput]);
/** One question of a structured-input item, discriminated on `type`. */
export type StructuredInput = z.infer<typeof StructuredInput>;

// ---------------------------------------------------------------------------------------------------------------
// Thread items
// ---------------------------------------------------------------------------------------------------------------

const itemBase = { id: z.string(), thread_id: z.string(), created_at: Timestamp };

/** A message the user sent. */
export const UserMessageItem = z.object({
  ...itemBase,
  type: z.literal('user_message'),
  content: z.array(UserMessageContent),
  attachments: z.array(Attachment).default(() => []),
  quoted_text: z.string().nullish(),
  inference_options: InferenceOptions.default(() => ({})),
});
/** A message the user sent. */
export type UserMessageItem = z.infer<typeof UserMessageItem>;

/** A message the assistant wrote. */
export const AssistantMessageItem = z.object({
  ...itemBase,
  type: z.literal('assistant_message'),
  content: z.array(AssistantMessageContent),
});
/** A message the assistant wrote. */
export type AssistantMessageItem = z.infer<typeof AssistantMessageItem>;

/** A tool call the client runs (`onClientTool`); `output` is set once the client answered. */
export const ClientToolCallItem = z.object({
  ...itemBase,
  type: z.literal('client_tool_call'),
  status: z.enum(['pending', 'completed']).default('pending'),
  call_id: z.string(),
  name: z.string(),
  arguments: JsonRecord,
  output: z.unknown().optional(),
});
/** A tool call the client runs (`onClientTool`); `output` is set once the client answered. */
export type ClientToolCallItem = z.infer<typeof ClientToolCallItem>;

/** A widget shown in the thread. */
export const WidgetItem = z.object({
  ...itemBase,
  type: z.literal('widget'),
  widget: WidgetRoot,
  copy_text: z.string().nullish(),
});
/** A widget shown in the thread. */
export type WidgetItem = z.infer<typeof WidgetItem>;

/** An image generated by the assistant (`image` is unset while it is being generated). */
export const GeneratedImageItem = z.object({
  ...itemBase,
  type: z.literal('generated_image'),
  image: GeneratedImage.nullish(),
});
/** An image generated by the assistant (`image` is unset while it is being generated). */
export type GeneratedImageItem = z.infer<typeof GeneratedImageItem>;

/** A form of questions the user answers (`threads.add_structured_input`). */
export const StructuredInputItem = z.object({
  ...itemBase,
  type: z.literal('structured_input'),
  status: z.enum(['pending', 'answered', 'skipped']).default('pending'),
  inputs: z.array(StructuredInput),
});
/** A form of questions the user answers (`threads.add_structured_input`). */
export type StructuredInputItem = z.infer<typeof StructuredInputItem>;

/** A workflow (a collapsible group of tasks). */
export const WorkflowItem = z.object({ ...itemBase, type: z.literal('workflow'), workflow: Workflow });
/** A workflow (a collapsible group of tasks). */
export type WorkflowItem = z.infer<typeof WorkflowItem>;

/** A single task shown on its own. */
export const TaskItem = z.object({ ...itemBase, type: z.literal('task'), task: Task });
/** A single task shown on its own. */
export type TaskItem = z.infer<typeof TaskItem>;

/** A UI marker that the assistant ended its turn; contributes nothing to model input. */
export const EndOfTurnItem = z.object({ ...itemBase, type: z.literal('end_of_turn') });
/** A UI marker that the assistant ended its turn; contributes nothing to model input. */
export type EndOfTurnItem = z.infer<typeof EndOfTurnItem>;

/** Context for the model that is persisted but never sent to the client. */
export const HiddenContextItem = z.object({
  ...itemBase,
  type: z.literal('hidden_context_item'),
  content: z.unknown(),
});
/** Context for the model that is persisted but never sent to the client. */
export type HiddenContextItem = z.infer<typeof HiddenContextItem>;

/** Hidden context written by the server itself (for example after a cancelled stream); never sent to the client. */
export const SDKHiddenContextItem = z.object({
  ...itemBase,
  type: z.literal('sdk_hidden_context'),
  content: z.string(),
});
/** Hidden context written by the server itself (for example after a cancelled stream); never sent to the client. */
export type SDKHiddenContextItem = z.infer<typeof SDKHiddenContextItem>;

/** Any item of a thread, discriminated on `type`. */
export const ThreadItem = z.discriminatedUnion('type', [
  UserMessageItem,
  AssistantMessageItem,
  ClientToolCallItem,
  WidgetItem,
  GeneratedImageItem,
  StructuredInputItem,
  WorkflowItem,
  TaskItem,
  HiddenContextItem,
  SDKHiddenContextItem,
  EndOfTurnItem,
]);
/** Any item of a thread, discriminated on `type`. */
export type ThreadItem = z.infer<typeof ThreadItem>;
/** A thread item as a producer may build it: fields with a default may be left out, timestamps may be `Date`s. */
export type ThreadItemInput = z.input<typeof ThreadItem>;

/** Every `ThreadItem['type']`. */
export const THREAD_ITEM_TYPES = [
  'user_message',
  'assistant_message',
  'client_tool_call',
  'widget',
  'generated_image',
  'structured_input',
  'workflow',
  'task',
  'hidden_context_item',
  'sdk_hidden_context',
  'end_of_turn',
] as const satisfies readonly ThreadItem['type'][];

/** Item types that are persisted and fed to the model but never sent to the client. */
export const HIDDEN_THREAD_ITEM_TYPES = ['hidden_context_item', 'sdk_hidden_context'] as const;

/** True for items that must never reach the client (`hidden_context_item`, `sdk_hidden_context`). */
export function isHiddenThreadItem(item: { type: string }): item is HiddenContextItem | SDKHiddenContextItem {
  return item.type === 'hidden_context_item' || item.type === 'sdk_hidden_context';
}

// ---------------------------------------------------------------------------------------------------------------
// Pages and threads
// ---------------------------------------------------------------------------------------------------------------

/** One page of a list; `after` is the cursor of the next page (omitted on the wire when there is none). */
export type Page<T> = { data: T[]; has_more: boolean; after?: string | null | undefined };

/**
 * The schema of a page of `item`s: `Page(ThreadItem)`, `Page(ThreadMetadata)`. `data` defaults to `[]`
 * and `has_more` to `false`.
 */
export function Page<T extends z.ZodType>(item: T) {
  return z.object({
    data: z.array(item).default(() => []),
    has_more: z.boolean().default(false),
    after: z.string().nullish(),
  });
}

/** The thread is open for new messages. */
export const ActiveStatus = z.object({ type: z.literal('active') });
/** The thread is open for new messages. */
export type ActiveStatus = z.infer<typeof ActiveStatus>;

/** The thread is temporarily locked (the composer is disabled), optionally with a reason. */
export const LockedStatus = z.object({ type: z.literal('locked'), reason: z.string().nullish() });
/** The thread is temporarily locked (the composer is disabled), optionally with a reason. */
export type LockedStatus = z.infer<typeof LockedStatus>;

/** The thread is closed for good, optionally with a reason. */
export const ClosedStatus = z.object({ type: z.literal('closed'), reason: z.string().nullish() });
/** The thread is closed for good, optionally with a reason. */
export type ClosedStatus = z.infer<typeof ClosedStatus>;

/** The lifecycle state of a thread, discriminated on `type`. */
export const ThreadStatus = z.discriminatedUnion('type', [ActiveStatus, LockedStatus, ClosedStatus]);
/** The lifecycle state of a thread, discriminated on `type`. */
export type ThreadStatus = z.infer<typeof ThreadStatus>;

const threadMetadataShape = {
  title: z.string().nullish(),
  id: z.string(),
  created_at: Timestamp,
  status: ThreadStatus.default(() => ({ type: 'active' as const })),
  /** Image domains the client may load generated or cited images from (since 1.6.3). */
  allowed_image_domains: z.array(z.string()).nullish(),
  /** Server-only free-form state (for example `last_response_id`); always `{}` on the wire. */
  metadata: JsonRecord.default(() => ({})),
};

/** A thread without its items: what a Store persists. */
export const ThreadMetadata = z.object(threadMetadataShape);
/** A thread without its items: what a Store persists. */
export type ThreadMetadata = z.infer<typeof ThreadMetadata>;

/** A page of thread items. */
export const ThreadItemPage = Page(ThreadItem);
/** A page of thread items. */
export type ThreadItemPage = Page<ThreadItem>;

/** A thread with a page of its items: the wire shape of `thread.created`, `threads.get_by_id`, ... */
export const Thread = z.object({
  ...threadMetadataShape,
  items: ThreadItemPage.default(() => ({ data: [], has_more: false })),
});
/** A thread with a page of its items: the wire shape of `thread.created`, `threads.get_by_id`, ... */
export type Thread = z.infer<typeof Thread>;
/** A thread as a producer may build it: fields with a default may be left out, timestamps may be `Date`s. */
export type ThreadInput = z.input<typeof Thread>;
