import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, expect, it, vi } from 'vitest';
import { Assistant } from '../examples/quick-start';
import { createScriptedServer } from './scripted-server';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

it('runs the README quick start against a RelayKit ChatKit server: the token reaches it, the answer streams in', async () => {
  const backend = createScriptedServer();
  vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) =>
    backend.fetch(String(input).replace(/^\/api/, ''), init),
  );
  render(<Assistant token="user-token" />);
  fireEvent.click(await screen.findByRole('button', { name: 'Say hello' }));
  const answer = await screen.findByRole('article', { name: 'Assistant message' });
  await waitFor(() => expect(answer.textContent).toContain('You said: "Hello!"'));
  expect(screen.getByRole('article', { name: 'User message' }).textContent).toContain('Hello!');
  expect(backend.requests.map((request) => request.type)).toContain('threads.create');
  expect(backend.requests.every((request) => request.authorization === 'Bearer user-token')).toBe(true);
  // The new thread is listed under the title the server gave it.
  await screen.findByRole('link', { name: 'Hello!' });
});

it('shows exactly examples/quick-start.tsx in the README, in at most 20 lines', () => {
  const root = join(import.meta.dirname, '..');
  const example = readFileSync(join(root, 'examples', 'quick-start.tsx'), 'utf8');
  expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain(`\`\`\`tsx\n${example}\`\`\``);
  expect(example.trimEnd().split('\n').length).toBeLessThanOrEqual(20);
});
