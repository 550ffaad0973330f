/**
 * ChatKit stream events (`ThreadStreamEvent`) and item updates (`ThreadItemUpdate`), in the reference field order.
 */
import { z } from 'zod';
import { JsonRecord } from './json-record';
import {
  Annotation,
  AssistantMessageContent,
  GeneratedImage,
  IconName,
  Task,
  Thread,
  ThreadItem,
  WidgetComponent,
  WidgetRoot,
} from './model';

// ---------------------------------------------------------------------------------------------------------------
// Item updates
// ---------------------------------------------------------------------------------------------------------------

/** A new content part was appended to an assistant message. */
export const AssistantMessageContentPartAdded = z.object({
  type: z.literal('assistant_message.content_part.added'),
  content_index: z.number().int().nonnegative(),
  content: AssistantMessageContent,
});
/** A new content part was appended to an assistant message. */
export type AssistantMessageContentPartAdded = z.infer<typeof AssistantMessageContentPartAdded>;

/** Text was appended to a content part of an assistant message. */
export const AssistantMessageContentPartTextDelta = z.object({
  type: z.literal('assistant_message.content_part.text_delta'),
  content_index: z.number().int().nonnegative(),
  delta: z.string(),
});
/** Text was appended to a content part of an assistant message. */
export type AssistantMessageContentPartTextDelta = z.infer<typeof AssistantMessageContentPartTextDelta>;

/** An annotation (citation) was added to a content part of an assistant message. */
export const AssistantMessageContentPartAnnotationAdded = z.object({
  type: z.literal('assistant_message.content_part.annotation_added'),
  content_index: z.number().int().nonnegative(),
  annotation_index: z.number().int().nonnegative(),
  annotation: Annotation,
});
/** An annotation (citation) was added to a content part of an assistant message. */
export type AssistantMessageContentPartAnnotationAdded = z.infer<
  typeof AssistantMessageContentPartAnnotationAdded
>;

/** A content part of an assistant message is final. */
export const AssistantMessageContentPartDone = z.object({
  type: z.literal('assistant_message.content_part.done'),
  content_index: z.number().int().nonnegative(),
  content: AssistantMessageContent,
});
/** A content part of an assistant message is final. */
export type AssistantMessageContentPartDone = z.infer<typeof AssistantMessageContentPartDone>;

/** Text was appended to a streaming `Text`/`Markdown` widget component. */
export const WidgetStreamingTextValueDelta = z.object({
  type: z.literal('widget.streaming_text.value_delta'),
  component_id: z.string(),
  delta: z.string(),
  done: z.boolean(),
});
/** Text was appended to a streaming `Text`/`Markdown` widget component. */
export type WidgetStreamingTextValueDelta = z.infer<typeof WidgetStreamingTextValueDelta>;

/** The whole widget tree was replaced. */
export const WidgetRootUpdated = z.object({ type: z.literal('widget.root.updated'), widget: WidgetRoot });
/** The whole widget tree was replaced. */
export type WidgetRootUpdated = z.infer<typeof WidgetRootUpdated>;

/** One widget component was replaced. */
export const WidgetComponentUpdated = z.object({
  type: z.literal('widget.component.updated'),
  component_id: z.string(),
  component: WidgetComponent,
});
/** One widget component was replaced. */
export type WidgetComponentUpdated = z.infer<typeof WidgetComponentUpdated>;

/** A task was appended to a workflow. */
export const WorkflowTaskAdded = z.object({
  type: z.literal('workflow.task.added'),
  task_index: z.number().int().nonnegative(),
  task: Task,
});
/** A task was appended to a workflow. */
export type WorkflowTaskAdded = z.infer<typeof WorkflowTaskAdded>;

/** A task of a workflow was replaced (the full task is sent). */
export const WorkflowTaskUpdated = z.object({
  type: z.literal('workflow.task.updated'),
  task_index: z.number().int().nonnegative(),
  task: Task,
});
/** A task of a workflow was replaced (the full task is sent). */
export type WorkflowTaskUpdated = z.infer<typeof WorkflowTaskUpdated>;

/** A generated image has a new (partial or final) version; `progress` is between 0 and 1. */
export const GeneratedImageUpdated = z.object({
  type: z.literal('generated_image.updated'),
  image: GeneratedImage,
  progress: z.number().nullish(),
});
/** A generated image has a new (partial or final) version; `progress` is between 0 and 1. */
export type GeneratedImageUpdated = z.infer<typeof GeneratedImageUpdated>;

/** The `update` of a `thread.item.updated` event, discriminated on `type`. */
export const ThreadItemUpdate = z.discriminatedUnion('type', [
  AssistantMessageContentPartAdded,
  AssistantMessageContentPartTextDelta,
  AssistantMessageContentPartAnnotationAdded,
  AssistantMessageContentPartDone,
  WidgetStreamingTextValueDelta,
  WidgetComponentUpdated,
  WidgetRootUpdated,
  WorkflowTaskAdded,
  WorkflowTaskUpdated,
  GeneratedImageUpdated,
]);
/** The `update` of a `thread.item.updated` event, discriminated on `type`. */
export type ThreadItemUpdate = z.infer<typeof ThreadItemUpdate>;

// ---------------------------------------------------------------------------------------------------------------
// Stream events
// ---------------------------------------------------------------------------------------------------------------

/** A thread was created (its items page is empty). */
export const ThreadCreatedEvent = z.object({ type: z.literal('thread.created'), thread: Thread });
/** A thread was created (its items page is empty). */
export type ThreadCreatedEvent = z.infer<typeof ThreadCreatedEvent>;

/** The thread's title, status or allowed image domains changed (saved before the event is sent). */
export const ThreadUpdatedEvent = z.object({ type: z.literal('thread.updated'), thread: Thread });
/** The thread's title, status or allowed image domains changed (saved before the event is sent). */
export type ThreadUpdatedEvent = z.infer<typeof ThreadUpdatedEvent>;

/** An item started streaming; it is not persisted until `thread.item.done`. */
export const ThreadItemAddedEvent = z.object({ type: z.literal('thread.item.added'), item: ThreadItem });
/** An item started streaming; it is not persisted until `thread.item.done`. */
export type ThreadItemAddedEvent = z.infer<typeof ThreadItemAddedEvent>;

/** A streaming item changed. */
export const ThreadItemUpdatedEvent = z.object({
  type: z.literal('thread.item.updated'),
  item_id: z.string(),
  update: ThreadItemUpdate,
});
/** A streaming item changed. */
export type ThreadItemUpdatedEvent = z.infer<typeof ThreadItemUpdatedEvent>;

/** An item is final and persisted. */
export const ThreadItemDoneEvent = z.object({ type: z.literal('thread.item.done'), item: ThreadItem });
/** An item is final and persisted. */
export type ThreadItemDoneEvent = z.infer<typeof ThreadItemDoneEvent>;

/** An item was deleted. */
export const ThreadItemRemovedEvent = z.object({
  type: z.literal('thread.item.removed'),
  item_id: z.string(),
});
/** An item was deleted. */
export type ThreadItemRemovedEvent = z.infer<typeof ThreadItemRemovedEvent>;

/** An item was replaced by a new version (persisted). */
export const ThreadItemReplacedEvent = z.object({
  type: z.literal('thread.item.replaced'),
  item: ThreadItem,
});
/** An item was replaced by a new version (persisted). */
export type ThreadItemReplacedEvent = z.infer<typeof ThreadItemReplacedEvent>;

/** Runtime options of the stream. */
export const StreamOptions = z.object({ allow_cancel: z.boolean() });
/** Runtime options of the stream. */
export type StreamOptions = z.infer<typeof StreamOptions>;

/** Sent once at the start of every respond/action run (`allow_cancel` shows the stop button). */
export const StreamOptionsEvent = z.object({
  type: z.literal('stream_options'),
  stream_options: StreamOptions,
});
/** Sent once at the start of every respond/action run (`allow_cancel` shows the stop button). */
export type StreamOptionsEvent = z.infer<typeof StreamOptionsEvent>;

/** A transient status line. */
export const ProgressUpdateEvent = z.object({
  type: z.literal('progress_update'),
  icon: IconName.nullish(),
  text: z.string(),
});
/** A transient status line. */
export type ProgressUpdateEvent = z.infer<typeof ProgressUpdateEvent>;

/** A fire-and-forget side effect for the client's `onEffect` handler. */
export const ClientEffectEvent = z.object({
  type: z.literal('client_effect'),
  name: z.string(),
  data: JsonRecord.default(() => ({})),
});
/** A fire-and-forget side effect for the client's `onEffect` handler. */
export type ClientEffectEvent = z.infer<typeof ClientEffectEvent>;

/** An error shown in the thread; `code` is `stream.error` or `custom` (an open set). */
export const ErrorEvent = z.object({
  type: z.literal('error'),
  code: z.string().default('custom'),
  message: z.string().nullish(),
  allow_retry: z.boolean().default(false),
});
/** An error shown in the thread; `code` is `stream.error` or `custom` (an open set). */
export type ErrorEvent = z.infer<typeof ErrorEvent>;

/** A user-facing notice (markdown message). */
export const NoticeEvent = z.object({
  type: z.literal('notice'),
  level: z.enum(['info', 'warning', 'danger']),
  message: z.string(),
  title: z.string().nullish(),
});
/** A user-facing notice (markdown message). */
export type NoticeEvent = z.infer<typeof NoticeEvent>;

/** Any ChatKit stream event, discriminated on `type`. */
export const ThreadStreamEvent = z.discriminatedUnion('type', [
  ThreadCreatedEvent,
  ThreadUpdatedEvent,
  ThreadItemDoneEvent,
  ThreadItemAddedEvent,
  ThreadItemUpdatedEvent,
  ThreadItemRemovedEvent,
  ThreadItemReplacedEvent,
  StreamOptionsEvent,
  ProgressUpdateEvent,
  ClientEffectEvent,
  ErrorEvent,
  NoticeEvent,
]);
/** Any ChatKit stream event, discriminated on `type`. */
export type ThreadStreamEvent = z.infer<typeof ThreadStreamEvent>;
/** A ChatKit stream event as a producer may build it: fields with a default may be left out. */
export type ThreadStreamEventInput = z.input<typeof ThreadStreamEvent>;

/** Every `ThreadStreamEvent['type']` this version knows. */
export const THREAD_STREAM_EVENT_TYPES = [
  'thread.created',
  'thread.updated',
  'thread.item.done',
  'thread.item.added',
  'thread.item.updated',
  'thread.item.removed',
  'thread.item.replaced',
  'stream_options',
  'progress_update',
  'client_effect',
  'error',
  'notice',
] as const satisfies readonly ThreadStreamEvent['type'][];

/**
 * An event whose `type` this version does not know, passed through untouched by loose parsing so that a newer
 * server never breaks an older client.
 */
export interface UnknownChatKitEvent {
  type: string;
  /** Always `true`; lets a consumer narrow `ThreadStreamEvent | UnknownChatKitEvent`. */
  readonly unknown: true;
  /** The event exactly as received. */
  raw: Record<string, unknown>;
}
