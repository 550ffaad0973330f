import { encode } from 'gpt-tokenizer';
import { describe, expect, it } from 'vitest';
import { countInputTokens, countTokens, MAX_RUN_LENGTH, splitIntoTokens } from './tokens';

const ORDINARY = [
  'Paris is the capital.',
  'The quick brown fox jumps over the lazy dog. '.repeat(50),
  '東京は日本の首都です。漢字とひらがなが混ざった文です。',
  'Olá 👋 — “quotes”, emoji 🎉🎉 and accents: café, naïve, Ærøskøbing.',
  'const answer = items.filter((item) => item.id !== 42).map(String);\n\tconsole.log(answer);',
  'https://example.com/a/very/long/path?with=query&and=fragments#section-12345 and more',
  `${'x'.repeat(MAX_RUN_LENGTH)} ${' '.repeat(MAX_RUN_LENGTH)}${'!'.repeat(MAX_RUN_LENGTH)}`,
];

describe('the fake tokenizer', () => {
  it('counts ordinary text exactly as o200k_base does', () => {
    for (const text of ORDINARY) expect(countTokens(text), text.slice(0, 40)).toBe(encode(text).length);
    expect(countInputTokens(['Be brief.', 'What is the capital of France?'])).toBe(
      encode('Be brief.').length + encode('What is the capital of France?').length + 6,
    );
  });

  it('splits ordinary text into its tokens', () => {
    for (const text of ORDINARY) {
      const pieces = splitIntoTokens(text);
      expect(pieces.join('')).toBe(text);
      expect(pieces.length).toBeLessThanOrEqual(countTokens(text));
    }
  });

  it('tokenizes a 900 KB single word (the message that froze the offline app)', () => {
    const word = 'a'.repeat(900_000);
    const tokens = countTokens(word);
    expect(tokens).toBeGreaterThan(100_000);
    const pieces = splitIntoTokens(word);
    expect(pieces.join('')).toBe(word);
    expect(pieces).toHaveLength(tokens);
  });

  it('cuts long runs of letters, symbols, spaces and emoji without splitting a character', () => {
    for (const unit of ['漢', '!', ' ', '👋', 'é']) {
      const text = `start ${unit.repeat(5_000)} end`;
      const pieces = splitIntoTokens(text);
      expect(pieces.join('')).toBe(text);
      for (const piece of pieces)
        expect(piece).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
      expect(countTokens(text)).toBeGreaterThan(0);
    }
  });

  it('is deterministic past the exact length, and pieces still rebuild the text', () => {
    const text = `${'lorem ipsum dolor sit amet '.repeat(5_000)}👋`.repeat(2);
    expect(countTokens(text)).toBe(countTokens(text));
    const pieces = splitIntoTokens(text);
    expect(pieces.join('')).toBe(text);
  });
});
