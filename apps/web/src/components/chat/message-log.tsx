'use client';

import { useEffect, useLayoutEffect, useRef } from 'react';
import type { ThreadItem } from '../../client/chatkit-types';
import { MessageItem } from './message';

/** Props of {@link MessageLog}. */
export interface MessageLogProps {
  items: ThreadItem[];
  streaming: boolean;
  progress: string | null;
  feedback: Record<string, 'positive' | 'negative'>;
  hasOlder: boolean;
  loadingOlder: boolean;
  onLoadOlder(): Promise<boolean>;
  onFeedback(item: ThreadItem, kind: 'positive' | 'negative'): void;
  onRetry(): void;
}

/**
 * The messages (`role="log"`): follows new text while the reader is at the bottom, and loads older items when
 * scrolled to the top, keeping the reader's place.
 */
export function MessageLog(props: MessageLogProps) {
  const { items, streaming, progress, hasOlder, loadingOlder, onLoadOlder } = props;
  const ref = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  /** The reader's place while older items load: the distance from the bottom, and the items it was measured with. */
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

  useLayoutEffect(() => {
    const log = ref.current;
    if (!log) return;
    const pending = restore.current;
    if (pending) {
      // Only once the older items are in (not on the "Loading…" render): the same distance from the bottom keeps
      // the previously-top message where the reader saw it.
      if (items.length > pending.count && items[0]?.id !== pending.firstId) {
        log.scrollTop = log.scrollHeight - pending.fromBottom;
        restore.current = null;
      } else if (!loadingOlder) restore.current = null; // the load ended without older items
      return;
    }
    if (atBottom.current) log.scrollTop = log.scrollHeight;
  });

  // A short first page cannot scroll: keep loading until the log overflows or history ends.
  useEffect(() => {
    const log = ref.current;
    if (log && hasOlder && !loadingOlder && log.scrollHeight <= log.clientHeight) void onLoadOlder();
  }, [hasOlder, loadingOlder, onLoadOlder]);

  const lastAssistant = [...items].reverse().find((item) => item.type === 'assistant_message');
  return (
    <div
      role="log"
      aria-label="Messages"
      aria-live="polite"
      className="message-log"
      ref={ref}
      onScroll={onScroll}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (axe scrollable-region-focusable)
      tabIndex={0}
    >
      {hasOlder ? (
        <p className="muted older">
          {loadingOlder ? 'Loading older messages…' : 'Scroll up for older messages'}
        </p>
      ) : null}
      {items.length === 0 ? (
        <p className="muted empty">Pick an agent and send a message to start a thread.</p>
      ) : null}
      {items.map((item) => (
        <MessageItem
          key={item.id}
          item={item}
          streaming={streaming}
          isLastAssistant={item === lastAssistant}
          feedback={props.feedback[item.id]}
          onFeedback={props.onFeedback}
          onRetry={props.onRetry}
        />
      ))}
      {progress ? (
        <div role="status" className="progress">
          {progress}
        </div>
      ) : null}
    </div>
  );
}
