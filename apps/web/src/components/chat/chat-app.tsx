'use client';

import { useEffect, useMemo, useRef, useState } from 'react';
import { requestAgentMetadata, SAVED_AGENT } from '../../client/agent-choice';
import type { ThreadSummary } from '../../client/chatkit-types';
import type { AgentOption } from '../../server/agents';
import { Composer } from './composer';
import { DeleteDialog } from './delete-dialog';
import { MessageLog } from './message-log';
import { OfficialChatKit } from './official-chatkit';
import { ThreadList, threadTitle } from './thread-list';
import { useChat } from './use-chat';

/** Props of {@link ChatApp}. */
export interface ChatAppProps {
  agents: AgentOption[];
  initialThreadId: string | null;
  /** `NEXT_PUBLIC_CHATKIT_DOMAIN_KEY`: offers the official ChatKit component. */
  chatKitDomainKey: string | null;
}

/** Where this browser remembers the agent of a thread it created. */
const agentKey = (threadId: string) => `relaykit:thread-agent:${threadId}`;

/** The chat page: agent picker, starter prompts, thread list, messages and composer. */
export function ChatApp({ agents, initialThreadId, chatKitDomainKey }: ChatAppProps) {
  const [agentId, setAgentId] = useState(initialThreadId ? SAVED_AGENT : (agents[0]?.id ?? ''));
  // Whether the user picked an agent since the open thread was opened: only then is the thread re-routed.
  const [pickerChanged, setPickerChanged] = useState(false);
  const agent =
    agentId === SAVED_AGENT ? undefined : (agents.find((option) => option.id === agentId) ?? agents[0]);
  const agentMetadata = useMemo(
    () => (agent ? { agentType: agent.agentType, ...agent.metadata } : undefined),
    [agent],
  );
  const choiceRef = useRef({ pickerChanged, agentMetadata });
  choiceRef.current = { pickerChanged, agentMetadata };
  // Each thread created here remembers its agent in this browser, so reopening it selects that agent again.
  const chat = useChat({
    initialThreadId,
    metadata: (threadId) => requestAgentMetadata({ threadId, ...choiceRef.current }),
    onThreadCreated: (threadId) => window.localStorage.setItem(agentKey(threadId), agentId),
  });
  const officialMetadata = useMemo(() => agentMetadata ?? {}, [agentMetadata]);
  const [deleting, setDeleting] = useState<ThreadSummary | null>(null);
  const [official, setOfficial] = useState(false);

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the thread changes
  useEffect(() => {
    setPickerChanged(false);
    if (!chat.threadId) {
      setAgentId((current) => (current === SAVED_AGENT ? (agents[0]?.id ?? '') : current));
      return;
    }
    const saved = window.localStorage.getItem(agentKey(chat.threadId));
    setAgentId(saved && agents.some((option) => option.id === saved) ? saved : SAVED_AGENT);
  }, [chat.threadId]);

  return (
    <div className="chat">
      <aside className="chat-sidebar">
        <button type="button" onClick={chat.newThread}>
          New thread
        </button>
        <ThreadList
          threads={chat.threads}
          activeThreadId={chat.threadId}
          onSelect={chat.selectThread}
          onRename={(id, title) => void chat.rename(id, title)}
          onDelete={setDeleting}
          hasMore={chat.hasMoreThreads}
          onLoadMore={() => void chat.loadMoreThreads()}
        />
      </aside>
      <section className="chat-main" aria-label="Conversation">
        <div className="chat-toolbar">
          <label htmlFor="agent">Agent</label>
          <select
            id="agent"
            value={agentId}
            onChange={(event) => {
              setAgentId(event.target.value);
              setPickerChanged(true);
            }}
          >
            {agentId === SAVED_AGENT ? <option value={SAVED_AGENT}>This thread’s agent</option> : null}
            {agents.map((option) => (
              <option key={option.id} value={option.id}>
                {option.label}
              </option>
            ))}
          </select>
          <span className="muted">
            {agent ? agent.description : 'Keeps the agent this thread was started with.'}
          </span>
          {chatKitDomainKey ? (
            <label className="toggle">
              <input
                type="checkbox"
                checked={official}
                onChange={(event) => setOfficial(event.target.checked)}
              />
              Use official ChatKit component
            </label>
          ) : null}
        </div>
        {official && chatKitDomainKey ? (
          <OfficialChatKit domainKey={chatKitDomainKey} metadata={officialMetadata} />
        ) : (
          <>
            {/* biome-ignore lint/a11y/useSemanticElements: a group of buttons, not a form fieldset */}
            <div role="group" aria-label="Starter prompts" className="starters">
              {agent?.starterPrompts.map((prompt) => (
                <button
                  key={prompt}
                  type="button"
                  className="chip"
                  disabled={chat.streaming}
                  onClick={() => chat.send(prompt)}
                >
                  {prompt}
                </button>
              ))}
            </div>
            <MessageLog
              items={chat.view.items}
              streaming={chat.streaming}
              progress={chat.view.progress}
              feedback={chat.feedback}
              hasOlder={chat.hasOlder}
              loadingOlder={chat.loadingOlder}
              onLoadOlder={chat.loadOlder}
              onFeedback={(item, kind) => void chat.giveFeedback(item, kind)}
              onRetry={chat.retry}
            />
            {chat.error ? (
              <p role="alert" className="error">
                {chat.error}
              </p>
            ) : null}
            <Composer streaming={chat.streaming} onSend={chat.send} onStop={chat.stop} />
          </>
        )}
      </section>
      {deleting ? (
        <DeleteDialog
          title={threadTitle(deleting)}
          onCancel={() => setDeleting(null)}
          onConfirm={() => {
            const id = deleting.id;
            setDeleting(null);
            void chat.remove(id);
          }}
        />
      ) : null}
    </div>
  );
}
