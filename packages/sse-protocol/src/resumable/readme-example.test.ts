import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

it('the README example resumes after Last-Event-ID 1 and frames the rest with SSE ids', async () => {
  const { frames } = await import('./readme-example');
  expect(frames).toEqual(['id: 2\ndata: {"type":"chunk","text":"lo"}\n\n']);
});

it('the README shows the example verbatim', () => {
  const source = readFileSync(new URL('./readme-example.ts', import.meta.url), 'utf8');
  const example = source
    .slice(
      source.indexOf('// README-EXAMPLE-START\n') + '// README-EXAMPLE-START\n'.length,
      source.indexOf('// README-EXAMPLE-END'),
    )
    .replace("from '../index'", "from '@relaykit/sse-protocol'")
    .trimEnd();
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  expect(readme).toContain(example);
});
