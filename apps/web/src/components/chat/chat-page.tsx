import { readAppConfig } from '../../server/config';
import { getRuntime } from '../../server/runtime';
import { requireUser } from '../../server/session';
import { ChatApp } from './chat-app';

/** The server side of `/chat` and `/chat/<threadId>`: checks the session and hands the agent list to the client. */
export async function ChatPage({ threadId }: { threadId: string | null }) {
  await requireUser();
  const runtime = await getRuntime();
  const config = readAppConfig();
  return (
    <>
      <h1 className="visually-hidden">Chat</h1>
      <ChatApp
        agents={runtime.agents}
        initialThreadId={threadId}
        chatKitDomainKey={config.chatKitDomainKey ?? null}
        offline={config.offline}
      />
    </>
  );
}
