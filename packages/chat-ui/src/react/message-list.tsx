import { type ReactNode, useEffect, useLayoutEffect, useRef } from 'react';
import type { AnyThreadItem } from '../client/types';
import { type ItemActions, ThreadItemView } from './items';

/** Props of {@link MessageList}. */
export interface MessageListProps {
  items: AnyThreadItem[];
  actions: ItemActions;
  progress: string | null;
  hasOlder: boolean;
  loadingOlder: boolean;
  onLoadOlder(): Promise<void>;
  /** Shown when there are no items (the start screen). */
  empty?: ReactNode;
}

/** Same-layout effect on the client, nothing on the server (no SSR warning). */
const useClientLayoutEffect = typeof document === 'undefined' ? useEffect : useLayoutEffect;

/**
 * The messages (`role="log"`, polite live region): follows new text while the reader is at the bottom, and loads
 * older items when scrolled to the top, keeping the reader's place.
 */
export function MessageList({
  items,
  actions,
  progress,
  hasOlder,
  loadingOlder,
  onLoadOlder,
  empty,
}: MessageListProps) {
  const ref = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const restore = useRef<{ fromBottom: number; firstId: string | undefined; count: number } | null>(null);

  const onScroll = () => {
    const log = ref.current;
    if (!log) return;
    atBottom.current = log.scrollHeight - log.scrollTop - log.clientHeight < 48;
    if (log.scrollTop < 32 && hasOlder && !loadingOlder) {
      restore.current = {
        fromBottom: log.scrollHeight - log.scrollTop,
        firstId: items[0]?.id,
        count: items.length,
      };
      void onLoadOlder();
    }
  };

  useClientLayoutEffect(() => {
    const log = ref.current;
    if (!log) return;
    const pending = restore.current;
    if (pending) {
      // Once the older items are in: the same distance from the bottom keeps the message the reader saw in place.
      if (items.length > pending.count && items[0]?.id !== pending.firstId) {
        log.scrollTop = log.scrollHeight - pending.fromBottom;
        restore.current = null;
      } else if (!loadingOlder) restore.current = null;
      return;
    }
    if (atBottom.current) log.scrollTop = log.scrollHeight;
  });

  // A short first page cannot scroll: keep loading until the log overflows or the history ends.
  useEffect(() => {
    const log = ref.current;
    if (log && hasOlder && !loadingOlder && log.scrollHeight <= log.clientHeight) void onLoadOlder();
  }, [hasOlder, loadingOlder, onLoadOlder]);

  return (
    <div
      role="log"
      aria-label="Messages"
      aria-live="polite"
      aria-relevant="additions text"
      className="rk-log"
      ref={ref}
      onScroll={onScroll}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
      tabIndex={0}
    >
      {hasOlder ? (
        <p className="rk-muted rk-older">
          {loadingOlder ? 'Loading older messages…' : 'Scroll up for older messages'}
        </p>
      ) : null}
      {items.length === 0 ? empty : null}
      {items.map((item) => (
        <ThreadItemView key={item.id} item={item} actions={actions} />
      ))}
      {progress ? (
        <div role="status" className="rk-progress">
          <span className="rk-spinner" aria-hidden="true" />
          {progress}
        </div>
      ) : null}
    </div>
  );
}
