'use client';

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { type ChatKitClient, createChatKitClient } from '../../client/chatkit-client';
import type { StreamEvent, ThreadItem, ThreadSummary } from '../../client/chatkit-types';
import { createLatestRequest } from '../../client/latest-request';
import { applyStreamEvent, EMPTY_VIEW, type ThreadView, titleFromMessage } from '../../client/thread-state';

const PAGE_SIZE = 20;

const messageOf = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause));

/** Keeps the address bar on `/chat/<threadId>` so a reload reopens the thread. */
function setUrl(id: string | null) {
  const path = id ? `/chat/${id}` : '/chat';
  if (window.location.pathname !== path) window.history.pushState(null, '', path);
}

/** The chat page's state and actions over the ChatKit client. */
export function useChat(options: {
  initialThreadId: string | null;
  /** The request metadata of a message to the thread (`null`: a new one), read when it is sent. */
  metadata: (threadId: string | null) => Record<string, unknown>;
  /** Called when the server created a thread for the first message. */
  onThreadCreated?: (threadId: string) => void;
}) {
  const client: ChatKitClient = useMemo(() => createChatKitClient(), []);
  const [threads, setThreads] = useState<ThreadSummary[]>([]);
  const [threadsAfter, setThreadsAfter] = useState<string | undefined>();
  const [threadId, setThreadId] = useState<string | null>(options.initialThreadId);
  const [view, setView] = useState<ThreadView>(EMPTY_VIEW);
  const [olderAfter, setOlderAfter] = useState<string | undefined>();
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [streaming, setStreaming] = useState(false);
  const [feedback, setFeedback] = useState<Record<string, 'positive' | 'negative'>>({});
  const [error, setError] = useState<string | null>(null);
  const abortRef = useRef<AbortController | null>(null);
  const metadataRef = useRef(options.metadata);
  metadataRef.current = options.metadata;
  const onCreatedRef = useRef(options.onThreadCreated);
  onCreatedRef.current = options.onThreadCreated;

  const refreshThreads = useCallback(async () => {
    try {
      const page = await client.listThreads({ limit: PAGE_SIZE });
      setThreads(page.data);
      setThreadsAfter(page.has_more ? page.after : undefined);
    } catch (cause) {
      setError(messageOf(cause));
    }
  }, [client]);

  const loadMoreThreads = useCallback(async () => {
    if (!threadsAfter) return;
    try {
      const page = await client.listThreads({ limit: PAGE_SIZE, after: threadsAfter });
      setThreads((current) => [...current, ...page.data.filter((t) => !current.some((c) => c.id === t.id))]);
      setThreadsAfter(page.has_more ? page.after : undefined);
    } catch (cause) {
      setError(messageOf(cause));
    }
  }, [client, threadsAfter]);

  // Only the latest thread load may fill the view (pick A then B quickly: A's late answer is dropped).
  const loadsRef = useRef(createLatestRequest());
  const loadThread = useCallback(
    async (id: string) => {
      const ticket = loadsRef.current.begin();
      setError(null);
      try {
        const page = await client.listItems(id, { limit: PAGE_SIZE, order: 'desc' });
        if (!loadsRef.current.isCurrent(ticket)) return;
        setView({ ...EMPTY_VIEW, items: [...page.data].reverse() });
        setOlderAfter(page.has_more ? page.after : undefined);
      } catch (cause) {
        if (!loadsRef.current.isCurrent(ticket)) return;
        setView(EMPTY_VIEW);
        setError(messageOf(cause));
      }
    },
    [client],
  );

  useEffect(() => {
    void refreshThreads();
  }, [refreshThreads]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: load the initial thread once
  useEffect(() => {
    if (options.initialThreadId) void loadThread(options.initialThreadId);
  }, []);

  const selectThread = useCallback(
    (id: string) => {
      abortRef.current?.abort();
      setThreadId(id);
      setUrl(id);
      void loadThread(id);
    },
    [loadThread],
  );

  const newThread = useCallback(() => {
    abortRef.current?.abort();
    loadsRef.current.begin();
    setThreadId(null);
    setView(EMPTY_VIEW);
    setOlderAfter(undefined);
    setError(null);
    setUrl(null);
  }, []);

  /** Older items when the log is scrolled to the top (`items.list` desc with `after`). */
  const loadOlder = useCallback(async () => {
    if (!threadId || !olderAfter || loadingOlder) return false;
    setLoadingOlder(true);
    try {
      const page = await client.listItems(threadId, { limit: PAGE_SIZE, order: 'desc', after: olderAfter });
      const older = [...page.data].reverse();
      setView((current) => ({
        ...current,
        items: [...older.filter((o) => !current.items.some((i) => i.id === o.id)), ...current.items],
      }));
      setOlderAfter(page.has_more ? page.after : undefined);
      return true;
    } catch (cause) {
      setError(messageOf(cause));
      return false;
    } finally {
      setLoadingOlder(false);
    }
  }, [client, threadId, olderAfter, loadingOlder]);

  const run = useCallback(
    async (start: (signal: AbortSignal) => AsyncGenerator<StreamEvent>, firstMessage?: string) => {
      const controller = new AbortController();
      abortRef.current = controller;
      setStreaming(true);
      setError(null);
      let createdId: string | null = null;
      let titled = false;
      try {
        for await (const event of start(controller.signal)) {
          if (event.type === 'thread.created' || event.type === 'thread.updated') {
            const thread = (event as { thread: ThreadSummary }).thread;
            if (event.type === 'thread.created') {
              createdId = thread.id;
              onCreatedRef.current?.(thread.id);
              setThreadId(thread.id);
              setUrl(thread.id);
            }
            if (thread.title) titled = true;
            setThreads((current) => [thread, ...current.filter((t) => t.id !== thread.id)]);
          }
          setView((current) => applyStreamEvent(current, event));
        }
      } catch (cause) {
        if (!controller.signal.aborted) setError(messageOf(cause));
      } finally {
        if (abortRef.current === controller) abortRef.current = null;
        setStreaming(false);
      }
      // A new thread without a model-made title (the offline model makes none) is named after its first message.
      if (createdId && !titled && firstMessage) {
        try {
          const updated = await client.updateThread(createdId, titleFromMessage(firstMessage));
          setThreads((current) =>
            current.map((t) => (t.id === updated.id ? { ...t, title: updated.title } : t)),
          );
        } catch {
          // The title is cosmetic; the thread list keeps "Untitled thread".
        }
      }
    },
    [client],
  );

  const send = useCallback(
    (text: string) => {
      const message = text.trim();
      if (!message || streaming) return;
      const metadata = metadataRef.current(threadId);
      if (threadId) void run((signal) => client.addUserMessage(threadId, message, metadata, signal));
      else void run((signal) => client.createThread(message, metadata, signal), message);
    },
    [client, run, streaming, threadId],
  );

  const stop = useCallback(() => abortRef.current?.abort(), []);

  const retry = useCallback(() => {
    if (!threadId || streaming) return;
    const items = view.items;
    const lastUser = [...items].reverse().find((item) => item.type === 'user_message');
    if (!lastUser) return;
    const index = items.indexOf(lastUser);
    setView((current) => ({ ...current, items: current.items.slice(0, index + 1), error: null }));
    void run((signal) => client.retryAfterItem(threadId, lastUser.id, metadataRef.current(threadId), signal));
  }, [client, run, streaming, threadId, view.items]);

  const rename = useCallback(
    async (id: string, title: string) => {
      try {
        const updated = await client.updateThread(id, title);
        setThreads((current) =>
          current.map((t) => (t.id === id ? { ...t, title: updated.title ?? title } : t)),
        );
      } catch (cause) {
        setError(messageOf(cause));
      }
    },
    [client],
  );

  const remove = useCallback(
    async (id: string) => {
      try {
        await client.deleteThread(id);
        setThreads((current) => current.filter((t) => t.id !== id));
        if (id === threadId) newThread();
      } catch (cause) {
        setError(messageOf(cause));
      }
    },
    [client, newThread, threadId],
  );

  const giveFeedback = useCallback(
    async (item: ThreadItem, kind: 'positive' | 'negative') => {
      if (!threadId) return;
      try {
        await client.feedback(threadId, [item.id], kind);
        setFeedback((current) => ({ ...current, [item.id]: kind }));
      } catch (cause) {
        setError(messageOf(cause));
      }
    },
    [client, threadId],
  );

  useEffect(() => {
    const onPop = () => {
      const match = /^\/chat\/([^/]+)$/.exec(window.location.pathname);
      if (match?.[1]) {
        // Like selectThread: the running stream belongs to the thread being left.
        abortRef.current?.abort();
        setThreadId(match[1]);
        void loadThread(match[1]);
      } else newThread();
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, [loadThread, newThread]);

  return {
    threads,
    hasMoreThreads: threadsAfter !== undefined,
    loadMoreThreads,
    threadId,
    view,
    hasOlder: olderAfter !== undefined,
    loadingOlder,
    loadOlder,
    streaming,
    feedback,
    error: error ?? view.error,
    send,
    stop,
    retry,
    rename,
    remove,
    giveFeedback,
    selectThread,
    newThread,
  };
}
