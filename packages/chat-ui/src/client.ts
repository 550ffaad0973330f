/**
 * `@relaykit/chat-ui/client`: the framework-free part of the chat UI: the ChatKit protocol client, the state
 * controller and reducer behind the components, and the thread export. No React, no DOM at import time.
 */
export {
  type ChatKitClient,
  type ChatKitClientOptions,
  createChatKitClient,
  type PageOptions,
  type RequestMetadata,
  type RequestOptions,
  userInput,
} from './client/client';
export {
  ChatKitRequestError,
  errorOfResponse,
  isAbortError,
  networkError,
  retryAfterMsOf,
} from './client/errors';
export type {
  Action,
  Annotation,
  AnnotationSource,
  AnyThreadItem,
  AssistantMessageItem,
  Attachment,
  ChatKitEvent,
  ClientToolCallItem,
  EndOfTurnItem,
  GeneratedImageItem,
  ItemUpdate,
  OutputText,
  Page,
  StructuredInputItem,
  StructuredInputQuestion,
  Task,
  TaskItem,
  ThreadItem,
  ThreadSearchPage,
  ThreadSearchResult,
  ThreadSummary,
  ThreadWithItems,
  UnknownItem,
  UploadDescriptor,
  UserContent,
  UserMessageInput,
  UserMessageItem,
  WidgetItem,
  WidgetNode,
  Workflow,
  WorkflowItem,
} from './client/types';
export { isHiddenItem } from './client/types';
export {
  exportFileName,
  THREAD_EXPORT_VERSION,
  type ThreadExportInput,
  type ThreadExportJSON,
  threadToJSON,
  threadToMarkdown,
} from './export/thread-export';
export {
  type ChatController,
  type ChatControllerOptions,
  type ChatError,
  type ChatNotice,
  type ChatState,
  type ClientToolCall,
  createChatController,
  type DraftAttachment,
  describeError,
} from './state/controller';
export {
  AGENT_ANNOTATION_ID,
  agentOfItem,
  applyItemEvent,
  applyItemUpdate,
  itemText,
  titleFromMessage,
  visibleItems,
} from './state/thread-state';
export { mapWidgetComponent, widgetText } from './state/widgets';
