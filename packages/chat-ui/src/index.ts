/**
 * `@relaykit/chat-ui`: a self-hostable React UI for the ChatKit protocol. `<Chat>` and the hooks (`useChatKit`,
 * `useThread`, `useThreads`) over the framework-free client of `@relaykit/chat-ui/client` (re-exported here). Styles:
 * `import '@relaykit/chat-ui/styles.css'`.
 */
export * from './client';
export {
  Chat,
  type ChatProps,
  type ChatTheme,
  type ChatViewOptions,
  formatWait,
  type StarterPrompt,
} from './react/chat';
export { Composer, type ComposerProps } from './react/composer';
export { CopyButton, copyText } from './react/copy-button';
export { Icon, type IconName } from './react/icons';
export { type ItemActions, ThreadItemView } from './react/items';
export { CodeBlock, Markdown } from './react/markdown';
export { MessageList, type MessageListProps } from './react/message-list';
export { ThreadList, type ThreadListProps, threadTitle } from './react/thread-list';
export {
  ChatControlContext,
  type ChatKitHandle,
  useChatKit,
  useChatState,
  useThread,
  useThreads,
} from './react/use-chat-kit';
export { Widget, type WidgetActionConfig, type WidgetProps, widgetColor } from './react/widgets';
