/** The page the browser suite drives: `<Chat>` on the scripted server; `?scheme=dark` and `?thread=<id>` set it up. */
import { Chat } from '@relaykit/chat-ui';
import { createRoot } from 'react-dom/client';

const params = new URLSearchParams(window.location.search);
const scheme = (params.get('scheme') ?? 'light') as 'light' | 'dark';
document.documentElement.style.colorScheme = scheme;
document.body.style.background = scheme === 'dark' ? '#14161a' : '#ffffff';

function setThreadParam(threadId: string | null) {
  const url = new URL(window.location.href);
  if (threadId) url.searchParams.set('thread', threadId);
  else url.searchParams.delete('thread');
  window.history.replaceState(null, '', url);
}

createRoot(document.getElementById('root')!).render(
  <Chat
    api={{ url: '/chatkit', searchUrl: '/search' }}
    initialThread={params.get('thread')}
    onThreadChange={({ threadId }) => setThreadParam(threadId)}
    onClientTool={async ({ name }) => ({ tool: name, city: 'Lisbon' })}
    theme={{ colorScheme: scheme, radius: 'soft', density: 'normal' }}
    header={{ title: 'Scripted assistant', subtitle: 'Every ChatKit item type' }}
    startScreen={{
      greeting: 'What shall we test?',
      prompts: [
        { label: 'Every item type', prompt: 'Show every item type' },
        { label: 'Client tool', prompt: 'Use the client tool' },
      ],
    }}
  />,
);
