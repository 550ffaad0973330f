import { readdirSync } from 'node:fs';
import { expect, it } from 'vitest';
import { listOpenAIFixtures, OPENAI_FIXTURES_DIR, readOpenAIFixture } from './fixtures';

it('lists every shipped fixture file with its provenance', () => {
  const fixtures = listOpenAIFixtures();
  const files = readdirSync(OPENAI_FIXTURES_DIR).filter((file) => file !== 'MANIFEST.md');
  expect(fixtures.map((fixture) => fixture.file).sort()).toEqual(files.sort());
  for (const fixture of fixtures) {
    expect(['JSONL', 'JSON', 'raw-SSE', 'VCR-YAML']).toContain(fixture.format);
    expect(fixture.commit).toMatch(/^[0-9a-f]{12}$/);
    expect(['MIT', 'Apache-2.0']).toContain(fixture.license);
  }
  const text = fixtures.find((fixture) => fixture.file === 'openai-shell-local-multiturn.1.chunks.txt');
  expect(text).toMatchObject({ format: 'JSONL', api: 'responses', streamed: true, source: 'vercel/ai' });
  expect(fixtures.find((fixture) => fixture.file === 'openai-text.json')?.streamed).toBe(false);
});

it('reads a fixture byte-for-byte and refuses paths', () => {
  const first = readOpenAIFixture('openai-shell-local-multiturn.1.chunks.txt')
    .toString('utf8')
    .split('\n')[0]!;
  expect(JSON.parse(first).type).toBe('response.created');
  expect(() => readOpenAIFixture('../package.json')).toThrow(TypeError);
});
