import { createContext, useContext, useEffect, useRef, useSyncExternalStore } from 'react';
import {
  type ChatController,
  type ChatControllerOptions,
  type ChatState,
  createChatController,
} from '../state/controller';

/** What {@link useChatKit} returns: the controller to hand to `<Chat control>` and the current state. */
export interface ChatKitHandle {
  /** Pass to `<Chat control={…} />`; also has every action (`send`, `setThreadId`, `retry`, …). */
  control: ChatController;
  /** The state snapshot of this render. */
  state: ChatState;
}

/**
 * Creates (once) and drives a chat controller: lists the threads, opens `initialThread`, and re-renders on every
 * change. Callbacks and `metadata` may change between renders; `api` is read once. SSR-safe: nothing touches
 * `window` while rendering, requests start in an effect.
 */
export function useChatKit(options: ChatControllerOptions): ChatKitHandle {
  const ref = useRef<ChatController | null>(null);
  if (ref.current === null) ref.current = createChatController(options);
  const control = ref.current;
  control.setOptions({
    metadata: options.metadata,
    onThreadChange: options.onThreadChange,
    onError: options.onError,
    onClientTool: options.onClientTool,
    onWidgetAction: options.onWidgetAction,
    onEffect: options.onEffect,
    onResponseStart: options.onResponseStart,
    onResponseEnd: options.onResponseEnd,
    autoTitle: options.autoTitle,
  });
  useEffect(() => {
    void control.refreshThreads();
    const initial = control.getState().threadId;
    if (initial) void control.setThreadId(initial);
    return () => control.stop();
  }, [control]);
  const state = useChatState(control);
  return { control, state };
}

/** Subscribes to a controller's state (a `useSyncExternalStore` over it). */
export function useChatState(control: ChatController): ChatState {
  return useSyncExternalStore(control.subscribe, control.getState, control.getState);
}

/** The controller of the enclosing `<Chat>` (for custom parts rendered inside it). */
export const ChatControlContext = createContext<ChatController | null>(null);

function useControl(hook: string): ChatController {
  const control = useContext(ChatControlContext);
  if (!control) throw new Error(`${hook} must be used inside <Chat> (or a ChatControlContext provider).`);
  return control;
}

/** The thread list of the enclosing `<Chat>`, with its actions. */
export function useThreads() {
  const control = useControl('useThreads');
  const state = useChatState(control);
  return {
    threads: state.threads,
    hasMore: state.threadsHasMore,
    loading: state.threadsLoading,
    activeThreadId: state.threadId,
    search: state.search,
    loadMore: control.loadMoreThreads,
    open: control.setThreadId,
    rename: control.renameThread,
    remove: control.deleteThread,
    searchThreads: control.search,
  };
}

/** The open thread of the enclosing `<Chat>`, with its actions. */
export function useThread() {
  const control = useControl('useThread');
  const state = useChatState(control);
  return {
    threadId: state.threadId,
    thread: state.thread,
    status: state.status,
    items: state.items,
    running: state.running,
    error: state.error,
    send: control.send,
    stop: control.stop,
    retry: control.retry,
    editMessage: control.editMessage,
    sendAction: control.sendAction,
    exportThread: control.exportThread,
  };
}
