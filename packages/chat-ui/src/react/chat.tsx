import {
  type CSSProperties,
  type ReactNode,
  useCallback,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
} from 'react';
import { exportFileName } from '../export/thread-export';
import type { ChatController, ChatControllerOptions, ChatError } from '../state/controller';
import { Composer } from './composer';
import { Icon } from './icons';
import type { ItemActions } from './items';
import { MessageList } from './message-list';
import { ThreadList, threadTitle } from './thread-list';
import { ChatControlContext, useChatKit, useChatState } from './use-chat-kit';

/** Colours, corners and spacing; everything else is CSS variables in `styles.css`. */
export interface ChatTheme {
  /** `light`, `dark`, or `system` (follows `prefers-color-scheme`). Default `system`. */
  colorScheme?: 'light' | 'dark' | 'system';
  /** Corner style: `pill`, `round`, `soft` (default), `sharp`. */
  radius?: 'pill' | 'round' | 'soft' | 'sharp';
  /** Density of spacing: `compact`, `normal` (default), `spacious`. */
  density?: 'compact' | 'normal' | 'spacious';
  /** The accent colour (buttons, links, focus), any CSS colour. */
  accentColor?: string;
}

/** A starter prompt of the start screen. */
export interface StarterPrompt {
  label: string;
  prompt: string;
}

/** What `<Chat>` shows, besides the controller's options. */
export interface ChatViewOptions {
  theme?: ChatTheme;
  /** The bar above the messages. `actions` are extra controls (e.g. an agent picker). */
  header?: { enabled?: boolean; title?: string; subtitle?: string; actions?: ReactNode };
  /** The thread list (a drawer on narrow screens). Default enabled. */
  history?: { enabled?: boolean };
  /** Shown in an empty thread. */
  startScreen?: { greeting?: string; prompts?: StarterPrompt[] };
  composer?: {
    placeholder?: string;
    /** Attachments (two-phase upload). Default enabled with any file type. */
    attachments?: { enabled?: boolean; accept?: string };
  };
  /** Per-message actions. Each defaults to `true`. */
  threadItemActions?: { copy?: boolean; feedback?: boolean; retry?: boolean; edit?: boolean };
  /** Offer "Export Markdown" and "Export JSON" in the header. Default `true`. */
  exportEnabled?: boolean;
  /** The link of a thread in the list. Default `?thread=<id>`. */
  threadHref?: (threadId: string) => string;
  /** How the answering agent is named under a message. Default `Answered by <agent>`. */
  agentLabel?: (agent: string) => string;
  className?: string;
}

/** Props of {@link Chat}: a controller from `useChatKit`, or the controller's options to make one. */
export type ChatProps = ChatViewOptions &
  ({ control: ChatController } | ({ control?: undefined } & ChatControllerOptions));

const RADII = { pill: '999px', round: '16px', soft: '10px', sharp: '3px' } as const;

function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

/** "12 s", "2 min 5 s". */
export function formatWait(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

function ErrorBanner({
  error,
  now,
  onRetry,
  onDismiss,
}: {
  error: ChatError;
  now: number;
  onRetry(): void;
  onDismiss(): void;
}) {
  const wait = error.retryAt !== undefined ? error.retryAt - now : 0;
  return (
    <div className="rk-error" role="alert">
      <Icon name="alert" />
      <div className="rk-error-text">
        <p>{error.message}</p>
        {error.retryAt !== undefined ? (
          <p className="rk-muted">
            {wait > 0 ? (
              <>
                You can try again in <span className="rk-wait">{formatWait(wait)}</span>.
              </>
            ) : (
              'You can try again now.'
            )}
          </p>
        ) : null}
      </div>
      <div className="rk-error-actions">
        {error.retry ? (
          <button type="button" className="rk-button rk-button-ghost" disabled={wait > 0} onClick={onRetry}>
            <Icon name="retry" />
            {error.retry === 'send' ? 'Send again' : 'Retry'}
          </button>
        ) : null}
        <button type="button" className="rk-icon-button" aria-label="Dismiss error" onClick={onDismiss}>
          <Icon name="close" />
        </button>
      </div>
    </div>
  );
}

/** Saves text as a file through a temporary link (browser only; called from a click). */
function download(text: string, fileName: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function ChatWithOwnController(props: ChatViewOptions & ChatControllerOptions) {
  const { control } = useChatKit(props);
  return <ChatView {...props} control={control} />;
}

/**
 * The chat: thread list (a drawer under 720 px of width), messages, composer. Speaks the ChatKit protocol to any
 * ChatKit backend (RelayKit's server or chatkit-python's). Import `@relaykit/chat-ui/styles.css` once.
 *
 * @example
 * <Chat api={{ url: '/api/chatkit' }} header={{ title: 'Assistant' }} theme={{ colorScheme: 'system' }} />
 */
export function Chat(props: ChatProps) {
  if (props.control) return <ChatView {...props} control={props.control} />;
  return <ChatWithOwnController {...(props as ChatViewOptions & ChatControllerOptions)} />;
}

function ChatView(props: ChatViewOptions & { control: ChatController }) {
  const { control } = props;
  const state = useChatState(control);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);
  const id = useId();
  const now = useNow(state.error?.retryAt !== undefined);
  const theme = props.theme ?? {};
  const historyEnabled = props.history?.enabled !== false;
  const headerEnabled = props.header?.enabled !== false;
  const features = {
    copy: props.threadItemActions?.copy !== false,
    feedback: props.threadItemActions?.feedback !== false,
    retry: props.threadItemActions?.retry !== false,
    edit: props.threadItemActions?.edit !== false,
  };
  const threadHref = props.threadHref ?? ((threadId: string) => `?thread=${encodeURIComponent(threadId)}`);
  const agentLabel = props.agentLabel ?? ((agent: string) => `Answered by ${agent}`);
  const attachments = props.composer?.attachments;
  const accept = attachments?.enabled === false ? null : (attachments?.accept ?? '');

  const style = {
    ...(theme.accentColor ? { '--rk-accent': theme.accentColor } : {}),
    '--rk-radius': RADII[theme.radius ?? 'soft'],
  } as CSSProperties;

  const lastAssistantId = useMemo(
    () => [...state.items].reverse().find((item) => item.type === 'assistant_message')?.id,
    [state.items],
  );
  const actions: ItemActions = {
    streaming: state.running !== null,
    lastAssistantId,
    feedback: state.feedback,
    features,
    agentLabel,
    onRetry: () => void control.retry(),
    onEdit: (itemId, text) => void control.editMessage(itemId, text),
    onFeedback: (itemId, kind) => void control.giveFeedback(itemId, kind),
    onAction: (action, itemId) => control.sendAction(action, itemId),
    onStructuredInput: (itemId, input) => void control.submitStructuredInput(itemId, input),
  };

  const open = useCallback(
    (threadId: string | null) => {
      setDrawerOpen(false);
      void control.setThreadId(threadId);
    },
    [control],
  );
  const onSearch = useCallback((query: string) => void control.search(query), [control]);

  // The drawer takes the focus when it opens and gives it back to its toggle when it closes; Escape closes it.
  const wasOpen = useRef(false);
  useEffect(() => {
    const sidebar = document.getElementById(`${id}-threads`);
    if (drawerOpen) {
      wasOpen.current = true;
      sidebar?.querySelector<HTMLElement>('.rk-new-thread')?.focus();
    } else if (wasOpen.current) {
      wasOpen.current = false;
      sidebar?.closest('.rk-chat')?.querySelector<HTMLElement>('.rk-drawer-toggle')?.focus();
    }
    if (!drawerOpen) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setDrawerOpen(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [drawerOpen, id]);

  const doExport = async (format: 'markdown' | 'json') => {
    setExportError(null);
    try {
      const { text, thread } = await control.exportThread(format);
      download(
        text,
        exportFileName(thread, format === 'json' ? 'json' : 'md'),
        format === 'json' ? 'application/json' : 'text/markdown',
      );
    } catch (error) {
      setExportError(error instanceof Error ? error.message : String(error));
    }
  };

  const waitMs = state.error?.retryAt !== undefined ? state.error.retryAt - now : 0;
  const title = state.thread ? threadTitle(state.thread) : (props.header?.title ?? 'New thread');
  const prompts = props.startScreen?.prompts ?? [];
  const startScreen = (
    <div className="rk-start">
      {state.status === 'loading' ? (
        <p className="rk-muted" role="status">
          Loading the thread…
        </p>
      ) : (
        <>
          <p className="rk-greeting">{props.startScreen?.greeting ?? 'How can I help?'}</p>
          {prompts.length > 0 ? (
            // biome-ignore lint/a11y/useSemanticElements: a group of buttons, not a form fieldset
            <div role="group" aria-label="Starter prompts" className="rk-starters">
              {prompts.map((prompt) => (
                <button
                  key={prompt.label}
                  type="button"
                  className="rk-chip"
                  disabled={state.running !== null}
                  onClick={() => void control.send(prompt.prompt)}
                >
                  {prompt.label}
                </button>
              ))}
            </div>
          ) : null}
        </>
      )}
    </div>
  );

  return (
    <ChatControlContext.Provider value={control}>
      <div
        className={`rk-chat${props.className ? ` ${props.className}` : ''}`}
        data-color-scheme={theme.colorScheme ?? 'system'}
        data-density={theme.density ?? 'normal'}
        data-drawer={drawerOpen ? 'open' : 'closed'}
        data-history={historyEnabled ? 'on' : 'off'}
        style={style}
      >
        <div className="rk-layout">
          {historyEnabled ? (
            <>
              <aside id={`${id}-threads`} className="rk-sidebar" aria-label="Thread history">
                <div className="rk-drawer-close">
                  <button
                    type="button"
                    className="rk-icon-button"
                    aria-label="Close threads"
                    onClick={() => setDrawerOpen(false)}
                  >
                    <Icon name="close" />
                  </button>
                </div>
                <ThreadList
                  threads={state.threads}
                  activeThreadId={state.threadId}
                  hasMore={state.threadsHasMore}
                  loading={state.threadsLoading}
                  search={state.search}
                  threadHref={threadHref}
                  onOpen={open}
                  onNewThread={() => open(null)}
                  onRename={(threadId, newTitle) => void control.renameThread(threadId, newTitle)}
                  onDelete={(threadId) => void control.deleteThread(threadId)}
                  onLoadMore={() => void control.loadMoreThreads()}
                  onSearch={onSearch}
                />
              </aside>
              {/* biome-ignore lint/a11y/noStaticElementInteractions: the backdrop is a mouse convenience; Escape and the close button do the same */}
              {/* biome-ignore lint/a11y/useKeyWithClickEvents: see above */}
              <div className="rk-backdrop" onClick={() => setDrawerOpen(false)} />
            </>
          ) : null}
          <section className="rk-main" aria-label="Conversation">
            {headerEnabled ? (
              <header className="rk-header">
                {historyEnabled ? (
                  <button
                    type="button"
                    className="rk-icon-button rk-drawer-toggle"
                    aria-label="Show threads"
                    aria-expanded={drawerOpen}
                    aria-controls={`${id}-threads`}
                    onClick={() => setDrawerOpen((current) => !current)}
                  >
                    <Icon name="menu" />
                  </button>
                ) : null}
                <div className="rk-title">
                  <h2>{title}</h2>
                  {props.header?.subtitle ? <p className="rk-muted">{props.header.subtitle}</p> : null}
                </div>
                {props.header?.actions ? (
                  <div className="rk-header-actions">{props.header.actions}</div>
                ) : null}
                {props.exportEnabled !== false && state.threadId && state.status === 'ready' ? (
                  // biome-ignore lint/a11y/useSemanticElements: a group of buttons, not a form fieldset
                  <div className="rk-export" role="group" aria-label="Export thread">
                    <button
                      type="button"
                      className="rk-small-button"
                      onClick={() => void doExport('markdown')}
                    >
                      <Icon name="download" />
                      Export Markdown
                    </button>
                    <button type="button" className="rk-small-button" onClick={() => void doExport('json')}>
                      <Icon name="download" />
                      Export JSON
                    </button>
                  </div>
                ) : null}
              </header>
            ) : null}
            {state.status === 'not_found' ? (
              <div className="rk-not-found" role="alert">
                <h3>Thread not found</h3>
                <p>
                  This thread does not exist or was deleted. Your message is kept: sending it starts a new
                  thread.
                </p>
                <button type="button" className="rk-button" onClick={() => open(null)}>
                  Start a new thread
                </button>
              </div>
            ) : (
              <MessageList
                items={state.items}
                actions={actions}
                progress={state.progress}
                hasOlder={state.hasOlder}
                loadingOlder={state.loadingOlder}
                onLoadOlder={control.loadOlder}
                empty={startScreen}
              />
            )}
            {state.notices.map((notice) => (
              <div key={notice.id} className={`rk-notice rk-notice-${notice.level}`} role="status">
                <Icon name={notice.level === 'info' ? 'info' : 'alert'} />
                <div>
                  {notice.title ? <strong>{notice.title}</strong> : null}
                  <p>{notice.message}</p>
                </div>
                <button
                  type="button"
                  className="rk-icon-button"
                  aria-label="Dismiss notice"
                  onClick={() => control.dismissNotice(notice.id)}
                >
                  <Icon name="close" />
                </button>
              </div>
            ))}
            {state.error ? (
              <ErrorBanner
                error={state.error}
                now={now}
                onDismiss={control.dismissError}
                onRetry={() => {
                  const retry = state.error?.retry;
                  control.dismissError();
                  if (retry === 'send') void control.send();
                  else if (retry === 'run') void control.retry();
                }}
              />
            ) : null}
            {exportError ? (
              <p className="rk-error" role="alert">
                {exportError}
              </p>
            ) : null}
            <Composer
              text={state.draft.text}
              attachments={state.draft.attachments}
              running={state.running !== null}
              allowCancel={state.running?.allowCancel !== false}
              placeholder={props.composer?.placeholder ?? 'Message'}
              accept={accept}
              blockedReason={
                waitMs > 0 ? `Sending is paused for ${formatWait(waitMs)} (rate limit).` : undefined
              }
              onText={control.setDraftText}
              onSend={() => void control.send()}
              onStop={control.stop}
              onFiles={(files) => void control.addFiles(files)}
              onRemoveAttachment={control.removeAttachment}
            />
          </section>
        </div>
      </div>
    </ChatControlContext.Provider>
  );
}
