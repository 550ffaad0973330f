import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { runFakeOpenAICli } from '../cli';
import { countTokens, FakeScript, splitIntoTokens } from '../index';
import { ScriptRunner } from './script';

const info = (overrides: Partial<Parameters<ScriptRunner['next']>[0]> = {}) => ({
  endpoint: 'responses' as const,
  model: 'gpt-4.1',
  lastUserText: 'hello',
  hasToolOutput: false,
  ...overrides,
});

describe('script format', () => {
  it('rejects malformed scripts with a zod error', () => {
    expect(() => FakeScript.parse({ rules: [{ reply: {} }] })).toThrow(/a reply needs/);
    expect(() => FakeScript.parse({ rules: [{ reply: { text: 'a' }, replies: [{ text: 'b' }] }] })).toThrow(
      /exactly one/,
    );
    expect(() =>
      FakeScript.parse({ rules: [{ reply: { text: 'a', faults: { dropAfter: -1 } } }] }),
    ).toThrow();
    expect(() => FakeScript.parse({ rules: [{ reply: { text: 'a', unknown: 1 } }] })).toThrow();
  });

  it('matches by model, last user text and tool output, uses sequences in order and honours times', () => {
    const runner = new ScriptRunner({
      rules: [
        { match: { model: 'gpt-5' }, reply: { text: 'five' } },
        { match: { lastUserText: '^weather' }, replies: [{ text: 'w1' }, { text: 'w2' }] },
        { match: { hasToolOutput: true }, reply: { text: 'tool' }, times: 1 },
        { match: { endpoint: 'images.generations' }, reply: { error: { status: 400 } } },
      ],
    });
    expect(runner.next(info({ model: 'gpt-5' }))?.text).toBe('five');
    expect(runner.next(info({ lastUserText: 'weather today' }))?.text).toBe('w1');
    expect(runner.next(info({ lastUserText: 'weather today' }))?.text).toBe('w2');
    expect(runner.next(info({ lastUserText: 'weather today' }))).toBeUndefined();
    expect(runner.next(info({ hasToolOutput: true }))?.text).toBe('tool');
    expect(runner.next(info({ hasToolOutput: true }))).toBeUndefined();
    expect(runner.next(info({ endpoint: 'images.generations' }))?.error?.status).toBe(400);
    // Rules without an endpoint never capture non-generative endpoints.
    expect(
      new ScriptRunner({ rules: [{ reply: { text: 'x' } }] }).next(info({ endpoint: 'models' })),
    ).toBeUndefined();
  });
});

describe('tool-aware matching and computed replies', () => {
  it('matches the name of the tool whose result ends the request, "" without one', () => {
    const runner = new ScriptRunner({
      rules: [
        { match: { lastToolName: '^transfer_to_system$' }, reply: { text: 'after handoff' } },
        { match: { lastToolName: /^system_status$/ }, reply: { text: 'after status' } },
        { match: { lastToolName: '^$' }, reply: { text: 'no tool yet' } },
      ],
    });
    expect(runner.next(info())?.text).toBe('no tool yet');
    expect(runner.next(info({ hasToolOutput: true, lastToolName: 'transfer_to_system' }))?.text).toBe(
      'after handoff',
    );
    expect(runner.next(info({ hasToolOutput: true, lastToolName: 'system_status' }))?.text).toBe(
      'after status',
    );
    expect(runner.next(info({ hasToolOutput: true, lastToolName: 'other' }))).toBeUndefined();
    const byAgent = new ScriptRunner({
      rules: [{ match: { instructions: '^You report' }, reply: { text: 'system agent' } }],
    });
    expect(byAgent.next(info({ instructions: 'You report platform status.' }))?.text).toBe('system agent');
    expect(byAgent.next(info({ instructions: 'Hand off.' }))).toBeUndefined();
    expect(byAgent.next(info())).toBeUndefined();
  });

  it('computes a reply from the request, and validates what the function returns', () => {
    const runner = new ScriptRunner({
      rules: [
        {
          match: { lastUserText: '^bad$' },
          reply: () => ({}) as never,
        },
        {
          match: { hasToolOutput: true },
          reply: (request) => ({ text: `${request.lastToolName} said ${request.lastToolOutput}` }),
        },
        {
          replies: [(request) => ({ text: `first: ${request.instructions}` }), { text: 'second' }],
        },
      ],
    });
    expect(
      runner.next(info({ hasToolOutput: true, lastToolName: 'count', lastToolOutput: '{"n":3}' }))?.text,
    ).toBe('count said {"n":3}');
    expect(runner.next(info({ instructions: 'Be brief.' }))?.text).toBe('first: Be brief.');
    expect(runner.next(info())?.text).toBe('second');
    expect(() => runner.next(info({ lastUserText: 'bad' }))).toThrow(/a reply needs/);
    expect(() => FakeScript.parse({ rules: [{ reply: 42 }] })).toThrow();
  });
});

describe('token counting', () => {
  it('counts with the o200k_base tokenizer, the same every time', () => {
    expect(countTokens('hello world')).toBe(2);
    expect(countTokens('')).toBe(0);
    const text = 'The quick brown fox jumps over the lazy dog.';
    expect(countTokens(text)).toBe(countTokens(text));
    expect(countTokens(text)).not.toBe(Math.ceil(text.length / 4));
  });

  it('splits text into token pieces that rebuild it, keeping multi-byte characters whole', () => {
    for (const text of ['Grüße aus Köln 👋🏽 — 東京', 'plain ascii words', '']) {
      const pieces = splitIntoTokens(text);
      expect(pieces.join('')).toBe(text);
      for (const piece of pieces) expect(piece).not.toContain('\uFFFD');
    }
    expect(splitIntoTokens('hello world')).toEqual(['hello', ' world']);
  });
});

describe('relaykit-fake-openai CLI', () => {
  it('starts a server from --script with --latency-ms, answering through the SDK', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fake-openai-'));
    const file = join(dir, 'script.json');
    writeFileSync(file, JSON.stringify({ rules: [{ reply: { text: 'from the CLI script' } }] }));
    const fake = await runFakeOpenAICli([
      '--port',
      '0',
      '--script',
      file,
      '--latency-ms',
      '50',
      '--token-interval-ms',
      '1',
    ]);
    try {
      const client = new OpenAI({ apiKey: 'test', baseURL: fake.url, maxRetries: 0 });
      const started = performance.now();
      const response = await client.responses.create({ model: 'gpt-4.1', input: 'hi' });
      expect(response.output_text).toBe('from the CLI script');
      expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    } finally {
      await fake.close();
    }
    await expect(runFakeOpenAICli(['--port', 'abc'])).rejects.toThrow(/non-negative integer/);
  });
});
