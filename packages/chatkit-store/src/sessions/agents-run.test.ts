// biome-ignore-all lint/suspicious/noExplicitAny: recorded request bodies are read loosely.
/** A real `run(agent, input, { session })` of the Agents SDK, twice, on a RelayKit session store (the README example). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setDefaultOpenAIClient, setTracingDisabled } from '@openai/agents';
import { createFakeOpenAI } from '@relaykit/testing';
import OpenAI from 'openai';
import { expect, it } from 'vitest';
import { rememberAcrossRuns } from '../../examples/agent-session';

it('the second run carries the first turn as history (README example, PGlite)', async () => {
  const fake = await createFakeOpenAI({
    script: {
      rules: [
        { match: { lastUserText: '^What is my name' }, reply: { text: 'Your name is Ada.' } },
        { reply: { text: 'Nice to meet you, Ada.' } },
      ],
      fallback: 'error',
    },
  });
  try {
    setTracingDisabled(true);
    setDefaultOpenAIClient(new OpenAI({ apiKey: 'test', baseURL: fake.url, maxRetries: 0 }));
    const { answer, history } = await rememberAcrossRuns(crypto.randomUUID());
    expect(answer).toBe('Your name is Ada.');
    expect(fake.calls).toHaveLength(2);
    const first = JSON.stringify((fake.calls[0]?.body as any)?.input);
    expect(first).toContain('My name is Ada.');
    expect(first).not.toContain('Nice to meet you');
    const second = (fake.calls[1]?.body as any)?.input as any[];
    const text = JSON.stringify(second);
    expect(text.indexOf('My name is Ada.')).toBeGreaterThanOrEqual(0);
    expect(text.indexOf('Nice to meet you, Ada.')).toBeGreaterThan(text.indexOf('My name is Ada.'));
    expect(text.indexOf('What is my name?')).toBeGreaterThan(text.indexOf('Nice to meet you, Ada.'));
    expect(history.map((item: any) => item.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(JSON.stringify(history.at(-1))).toContain('Your name is Ada.');
  } finally {
    await fake.close();
  }
}, 60_000);

it('shows exactly examples/agent-session.ts in the README, in at most 20 lines', () => {
  const root = join(import.meta.dirname, '..', '..');
  const example = readFileSync(join(root, 'examples', 'agent-session.ts'), 'utf8');
  expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain(`\`\`\`ts\n${example}\`\`\``);
  expect(example.trimEnd().split('\n').length).toBeLessThanOrEqual(20);
});
