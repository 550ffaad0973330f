import { Chat } from '@relaykit/chat-ui';
import '@relaykit/chat-ui/styles.css';

/** A whole chat on a ChatKit endpoint, with the user's token on every request. */
export function Assistant({ token }: { token: string }) {
  return (
    <div style={{ height: '100vh' }}>
      <Chat
        api={{
          url: '/api/chatkit',
          fetch: (input, init) =>
            fetch(input, { ...init, headers: { ...init?.headers, authorization: `Bearer ${token}` } }),
        }}
        header={{ title: 'Assistant' }}
        startScreen={{ prompts: [{ label: 'Say hello', prompt: 'Hello!' }] }}
        theme={{ colorScheme: 'system', accentColor: '#0b57d0' }}
      />
    </div>
  );
}
