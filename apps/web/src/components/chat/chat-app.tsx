'use client';

import { Chat, type ChatController, useChatKit } from '@relaykit/chat-ui';
import { useEffect, useMemo, useRef, useState } from 'react';
import { requestAgentMetadata, SAVED_AGENT } from '../../client/agent-choice';
import type { AgentOption } from '../../server/agents';
import { OfficialChatKit } from './official-chatkit';

/** Props of {@link ChatApp}. */
export interface ChatAppProps {
  agents: AgentOption[];
  initialThreadId: string | null;
  /** `NEXT_PUBLIC_CHATKIT_DOMAIN_KEY`: offers the official ChatKit component. */
  chatKitDomainKey: string | null;
  /** The offline demo model cannot title threads: the UI titles a new thread after its first message. */
  offline: boolean;
}

/** Where this browser remembers the agent of a thread it created. */
const agentKey = (threadId: string) => `relaykit:thread-agent:${threadId}`;
const threadPath = (threadId: string | null) =>
  threadId ? `/chat/${encodeURIComponent(threadId)}` : '/chat';

/** The thread id of a `/chat/<id>` path, or `null`. */
function threadOfPath(pathname: string): string | null {
  const match = /^\/chat\/([^/]+)$/.exec(pathname);
  return match?.[1] ? decodeURIComponent(match[1]) : null;
}

/**
 * The chat page on `@relaykit/chat-ui`: the agent picker (the request metadata of a new thread), threads in the URL
 * (`/chat/<id>`, back and forward work), search, attachments and export from the package.
 */
export function ChatApp({ agents, initialThreadId, chatKitDomainKey, offline }: ChatAppProps) {
  const [agentId, setAgentId] = useState(initialThreadId ? SAVED_AGENT : (agents[0]?.id ?? ''));
  // Whether the user picked an agent since the open thread was opened: only then is the thread re-routed.
  const [pickerChanged, setPickerChanged] = useState(false);
  const [official, setOfficial] = useState(false);
  const agent =
    agentId === SAVED_AGENT ? undefined : (agents.find((option) => option.id === agentId) ?? agents[0]);
  const agentMetadata = useMemo(
    () => (agent ? { agentType: agent.agentType, ...agent.metadata } : undefined),
    [agent],
  );
  const choice = useRef({ pickerChanged, agentMetadata, agentId });
  choice.current = { pickerChanged, agentMetadata, agentId };
  const controlRef = useRef<ChatController | null>(null);

  const { control } = useChatKit({
    api: { url: '/api/chatkit', searchUrl: '/api/chatkit/search' },
    initialThread: initialThreadId,
    autoTitle: offline,
    metadata: ({ threadId }) => requestAgentMetadata({ threadId, ...choice.current }),
    onThreadChange: ({ threadId }) => {
      if (window.location.pathname !== threadPath(threadId))
        window.history.pushState(null, '', threadPath(threadId));
      setPickerChanged(false);
      if (!threadId) {
        setAgentId((current) => (current === SAVED_AGENT ? (agents[0]?.id ?? '') : current));
        return;
      }
      // A thread made by this page's first message keeps the picked agent; an opened one shows the agent saved here.
      if (controlRef.current?.getState().running) {
        window.localStorage.setItem(agentKey(threadId), choice.current.agentId);
        return;
      }
      const saved = window.localStorage.getItem(agentKey(threadId));
      setAgentId(saved && agents.some((option) => option.id === saved) ? saved : SAVED_AGENT);
    },
  });
  controlRef.current = control;

  useEffect(() => {
    if (initialThreadId) {
      const saved = window.localStorage.getItem(agentKey(initialThreadId));
      if (saved && agents.some((option) => option.id === saved)) setAgentId(saved);
    }
    const onPop = () => void control.setThreadId(threadOfPath(window.location.pathname));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, [control, agents, initialThreadId]);

  const picker = (
    <div className="agent-picker">
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
      {chatKitDomainKey ? (
        <label className="toggle">
          <input type="checkbox" checked={official} onChange={(event) => setOfficial(event.target.checked)} />
          Use official ChatKit component
        </label>
      ) : null}
    </div>
  );

  if (official && chatKitDomainKey)
    return (
      <div className="chat-page">
        {picker}
        <OfficialChatKit domainKey={chatKitDomainKey} metadata={agentMetadata ?? {}} />
      </div>
    );
  return (
    <div className="chat-page">
      <Chat
        control={control}
        header={{
          subtitle: agent ? agent.description : 'Keeps the agent this thread was started with.',
          actions: picker,
        }}
        startScreen={{
          greeting: agent ? `${agent.label}: how can I help?` : 'Continue the conversation.',
          prompts: (agent?.starterPrompts ?? []).map((prompt) => ({ label: prompt, prompt })),
        }}
        composer={{ placeholder: 'Message (Enter sends, Shift+Enter adds a line)' }}
        threadHref={threadPath}
      />
    </div>
  );
}
