// Benchmark: the fake model's tokenizer on single words of 10k, 100k and 1M characters (the input that froze the
// offline app when BPE cost grew with the square of a word). Run after `pnpm build`. Prints one JSON line; nothing
// here asserts a time. `msPerThousandChars` staying about flat (or falling) across sizes is what "linear" means here.
import { countTokens, splitIntoTokens } from '../dist/index.js';

const sizes = [10_000, 100_000, 1_000_000];
const alphabets = { letters: 'abcdefghij', cjk: '漢字中文日本語한국어', repeated: 'a' };

/**
 * A pseudo-random word of `length` characters from `chars`, deterministic per `seed` so runs compare. Every timed run
 * uses a word not seen before: gpt-tokenizer caches the tokens of pieces it has encoded.
 */
function word(length, chars, seed = 7) {
  let text = '';
  for (let index = 0; index < length; index++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    text += chars[seed % chars.length];
  }
  return text;
}

let nextSeed = 1000;
/** The median of three timed runs of `fn` on three fresh words, in milliseconds. */
function median3(length, chars, fn) {
  const runs = [0, 1, 2].map(() => {
    const text = word(length, chars, nextSeed++);
    const start = performance.now();
    fn(text);
    return performance.now() - start;
  });
  return runs.sort((a, b) => a - b)[1];
}

// Warm up the tokenizer (its tables load on first use) and the JIT before timing anything.
for (const chars of Object.values(alphabets)) splitIntoTokens(word(20_000, chars, 1));

const results = {};
for (const [name, chars] of Object.entries(alphabets)) {
  results[name] = sizes.map((length) => {
    const text = word(length, chars);
    const countMs = median3(length, chars, countTokens);
    const splitMs = median3(length, chars, splitIntoTokens);
    return {
      characters: length,
      tokens: countTokens(text),
      pieces: splitIntoTokens(text).length,
      countMs: Math.round(countMs * 10) / 10,
      splitMs: Math.round(splitMs * 10) / 10,
      msPerThousandChars: Math.round((countMs / length) * 1000 * 1000) / 1000,
    };
  });
}
/** Per-character cost of the largest word over the smallest: about 1 or below is linear; quadratic would be 100. */
const ratio = (rows) => {
  const first = rows[0];
  const last = rows.at(-1);
  return Math.round((last.countMs / last.characters / (first.countMs / first.characters)) * 100) / 100;
};
console.log(
  JSON.stringify({
    benchmark: 'fake-openai-tokenizer-single-word',
    results,
    perCharacterCostRatio1MVs10k: Object.fromEntries(
      Object.entries(results).map(([name, rows]) => [name, ratio(rows)]),
    ),
    node: process.version,
  }),
);
