// @vitest-environment node
import { renderToString } from 'react-dom/server';
import { expect, it } from 'vitest';
import { Chat } from '../src/index';

it('renders on a server without window or document, and starts no request while rendering', () => {
  expect(typeof window).toBe('undefined');
  let requests = 0;
  const html = renderToString(
    <Chat
      api={{
        url: '/api/chatkit',
        fetch: (async () => {
          requests += 1;
          return new Response('{}');
        }) as unknown as typeof fetch,
      }}
      header={{ title: 'Support' }}
      theme={{ colorScheme: 'dark', accentColor: 'rebeccapurple' }}
      startScreen={{ prompts: [{ label: 'Hi', prompt: 'Hi' }] }}
    />,
  );
  expect(html).toContain('data-color-scheme="dark"');
  expect(html).toContain('--rk-accent:rebeccapurple');
  expect(html).toContain('role="log"');
  expect(requests).toBe(0);
});
