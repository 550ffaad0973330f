import { type KeyboardEvent, type MouseEvent, useEffect, useRef, useState } from 'react';
import type { ThreadSearchResult, ThreadSummary } from '../client/types';
import { Icon } from './icons';

/** The title a thread is listed under. */
export const threadTitle = (thread: Pick<ThreadSummary, 'title'>) =>
  thread.title?.trim() || 'Untitled thread';

/** Props of {@link ThreadList}. */
export interface ThreadListProps {
  threads: ThreadSummary[];
  activeThreadId: string | null;
  hasMore: boolean;
  loading: boolean;
  search: { query: string; results: ThreadSearchResult[] | null; loading: boolean; error: string | null };
  /** The link of a thread (`href`); clicks open it in place, modified clicks follow the link. */
  threadHref(threadId: string): string;
  onOpen(threadId: string): void;
  onNewThread(): void;
  onRename(threadId: string, title: string): void;
  onDelete(threadId: string): void;
  onLoadMore(): void;
  onSearch(query: string): void;
}

/** A snippet with `**match**` markers as text with `<mark>`s. */
function Snippet({ text }: { text: string }) {
  const parts = text.split(/\*\*(.+?)\*\*/g);
  return (
    <span className="rk-snippet">
      {parts.map((part, index) =>
        // biome-ignore lint/suspicious/noArrayIndexKey: parts of one string, in order
        index % 2 === 1 ? <mark key={index}>{part}</mark> : <span key={index}>{part}</span>,
      )}
    </span>
  );
}

function DeleteDialog({
  title,
  onConfirm,
  onCancel,
}: {
  title: string;
  onConfirm(): void;
  onCancel(): void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open && typeof dialog.showModal === 'function') dialog.showModal();
    return () => dialog?.close?.();
  }, []);
  return (
    <dialog ref={ref} className="rk-dialog" aria-labelledby="rk-delete-title" onCancel={onCancel}>
      <h2 id="rk-delete-title">Delete “{title}”?</h2>
      <p>The thread and its messages are removed. This cannot be undone.</p>
      <div className="rk-dialog-actions">
        <button type="button" className="rk-button rk-button-ghost" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="rk-button rk-button-danger" onClick={onConfirm}>
          Delete thread
        </button>
      </div>
    </dialog>
  );
}

/** The thread list: search, links to each thread with rename and delete, and "Load more threads". */
export function ThreadList(props: ThreadListProps) {
  const { threads, activeThreadId, search } = props;
  const [renaming, setRenaming] = useState<string | null>(null);
  const [draft, setDraft] = useState('');
  const [deleting, setDeleting] = useState<ThreadSummary | null>(null);
  const [query, setQuery] = useState(search.query);
  const onSearch = props.onSearch;

  useEffect(() => {
    const timer = setTimeout(() => onSearch(query), 250);
    return () => clearTimeout(timer);
  }, [query, onSearch]);

  const save = (threadId: string) => {
    const title = draft.trim();
    setRenaming(null);
    if (title) props.onRename(threadId, title);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>, threadId: string) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      save(threadId);
    } else if (event.key === 'Escape') setRenaming(null);
  };
  const follow = (event: MouseEvent, threadId: string) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    props.onOpen(threadId);
  };

  const results = search.results;
  return (
    <nav aria-label="Threads" className="rk-threads">
      <div className="rk-threads-top">
        <button type="button" className="rk-button rk-new-thread" onClick={props.onNewThread}>
          <Icon name="plus" />
          New thread
        </button>
        <div className="rk-search">
          <Icon name="search" />
          <input
            type="search"
            aria-label="Search threads"
            placeholder="Search threads"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
          />
        </div>
      </div>
      {results !== null ? (
        <div className="rk-search-results">
          <p className="rk-muted" role="status">
            {search.loading
              ? 'Searching…'
              : search.error
                ? search.error
                : `${results.length} ${results.length === 1 ? 'thread matches' : 'threads match'} “${search.query.trim()}”`}
          </p>
          <ul aria-label="Search results">
            {results.map((result) => (
              <li key={result.thread.id}>
                <a
                  href={props.threadHref(result.thread.id)}
                  onClick={(event) => follow(event, result.thread.id)}
                >
                  <span className="rk-thread-title">{threadTitle(result.thread)}</span>
                  {result.snippet ? <Snippet text={result.snippet} /> : null}
                </a>
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <>
          {threads.length === 0 && !props.loading ? <p className="rk-muted">No threads yet.</p> : null}
          <ul>
            {threads.map((thread) => {
              const title = threadTitle(thread);
              const active = thread.id === activeThreadId;
              return (
                <li key={thread.id} className={active ? 'rk-active' : undefined}>
                  {renaming === thread.id ? (
                    <input
                      className="rk-rename"
                      // biome-ignore lint/a11y/noAutofocus: the textbox appears because the user asked to rename
                      autoFocus
                      aria-label="Thread title"
                      value={draft}
                      onChange={(event) => setDraft(event.target.value)}
                      onKeyDown={(event) => onKeyDown(event, thread.id)}
                      onBlur={() => setRenaming(null)}
                    />
                  ) : (
                    <a
                      href={props.threadHref(thread.id)}
                      aria-current={active ? 'page' : undefined}
                      onClick={(event) => follow(event, thread.id)}
                    >
                      {title}
                    </a>
                  )}
                  <span className="rk-thread-actions">
                    <button
                      type="button"
                      className="rk-small-button"
                      aria-label={`Rename ${title}`}
                      onClick={() => {
                        setDraft(thread.title ?? '');
                        setRenaming(thread.id);
                      }}
                    >
                      Rename
                    </button>
                    <button
                      type="button"
                      className="rk-small-button"
                      aria-label={`Delete ${title}`}
                      onClick={() => setDeleting(thread)}
                    >
                      Delete
                    </button>
                  </span>
                </li>
              );
            })}
          </ul>
          {props.hasMore ? (
            <button
              type="button"
              className="rk-link-button"
              disabled={props.loading}
              onClick={props.onLoadMore}
            >
              Load more threads
            </button>
          ) : null}
        </>
      )}
      {deleting ? (
        <DeleteDialog
          title={threadTitle(deleting)}
          onCancel={() => setDeleting(null)}
          onConfirm={() => {
            const id = deleting.id;
            setDeleting(null);
            props.onDelete(id);
          }}
        />
      ) : null}
    </nav>
  );
}
