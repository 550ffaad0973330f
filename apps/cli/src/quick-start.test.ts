import { readFileSync } from 'node:fs';
import { afterEach, expect, it, vi } from 'vitest';
import { ask } from '../examples/quick-start';
import { sampleReply, startTestServer, type TestServer, writeSimpleStream } from '../test/server';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  vi.restoreAllMocks();
});

it('runs the README quick start against a local server', async () => {
  server = await startTestServer((_request, response) => writeSimpleStream(response, sampleReply()));
  const written: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  const reply = await ask(server.url, 'hi', 'tok');
  vi.restoreAllMocks();
  expect(reply).toBe('Hello there!');
  expect(written).toEqual(['Hello', ' there!']);
  expect(server.requests[0]?.headers.authorization).toBe('Bearer tok');
});

it('shows the quick start in the README verbatim', () => {
  const between = (text: string) =>
    text.slice(text.indexOf('// README-EXAMPLE-START') + 24, text.indexOf('// README-EXAMPLE-END')).trim();
  const example = between(readFileSync(new URL('../examples/quick-start.ts', import.meta.url), 'utf8'));
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  expect(readme).toContain(example);
});
