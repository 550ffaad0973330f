'use client';

import { type KeyboardEvent, useState } from 'react';
import type { ThreadSummary } from '../../client/chatkit-types';

/** Props of {@link ThreadList}. */
export interface ThreadListProps {
  threads: ThreadSummary[];
  activeThreadId: string | null;
  onSelect(threadId: string): void;
  onRename(threadId: string, title: string): void;
  onDelete(thread: ThreadSummary): void;
  hasMore: boolean;
  onLoadMore(): void;
}

export const threadTitle = (thread: ThreadSummary) => thread.title?.trim() || 'Untitled thread';

/** The thread list: links to each thread, with rename (inline textbox) and delete buttons. */
export function ThreadList({
  threads,
  activeThreadId,
  onSelect,
  onRename,
  onDelete,
  hasMore,
  onLoadMore,
}: ThreadListProps) {
  const [renaming, setRenaming] = useState<string | null>(null);
  const [draft, setDraft] = useState('');

  const save = (threadId: string) => {
    const title = draft.trim();
    setRenaming(null);
    if (title) onRename(threadId, title);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>, threadId: string) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      save(threadId);
    } else if (event.key === 'Escape') setRenaming(null);
  };

  return (
    <nav aria-label="Threads" className="thread-list">
      {threads.length === 0 ? <p className="muted">No threads yet.</p> : null}
      <ul>
        {threads.map((thread) => {
          const title = threadTitle(thread);
          return (
            <li key={thread.id} className={thread.id === activeThreadId ? 'active' : undefined}>
              {renaming === thread.id ? (
                <label className="rename">
                  <span className="visually-hidden">Thread title</span>
                  <input
                    // biome-ignore lint/a11y/noAutofocus: the textbox appears because the user asked to rename
                    autoFocus
                    aria-label="Thread title"
                    value={draft}
                    onChange={(event) => setDraft(event.target.value)}
                    onKeyDown={(event) => onKeyDown(event, thread.id)}
                    onBlur={() => setRenaming(null)}
                  />
                </label>
              ) : (
                <a
                  href={`/chat/${thread.id}`}
                  aria-current={thread.id === activeThreadId ? 'page' : undefined}
                  onClick={(event) => {
                    if (event.metaKey || event.ctrlKey || event.shiftKey) return;
                    event.preventDefault();
                    onSelect(thread.id);
                  }}
                >
                  {title}
                </a>
              )}
              <span className="thread-actions">
                <button
                  type="button"
                  aria-label={`Rename ${title}`}
                  onClick={() => {
                    setDraft(thread.title ?? '');
                    setRenaming(thread.id);
                  }}
                >
                  Rename
                </button>
                <button type="button" aria-label={`Delete ${title}`} onClick={() => onDelete(thread)}>
                  Delete
                </button>
              </span>
            </li>
          );
        })}
      </ul>
      {hasMore ? (
        <button type="button" className="link-button" onClick={onLoadMore}>
          Load more threads
        </button>
      ) : null}
    </nav>
  );
}
