import { decode, encode } from 'gpt-tokenizer';

/**
 * Token counting of the fake OpenAI server.
 *
 * Text is tokenized with the real `o200k_base` BPE (the encoding of gpt-4o, gpt-4.1, gpt-5 and o-series models)
 * through `gpt-tokenizer`, so the same text always gives the same count and the count is close to what the real API
 * reports for the same content. It is an approximation in three documented ways: the real API adds a few tokens of chat
 * framing per message, and the fake adds exactly {@link MESSAGE_OVERHEAD_TOKENS} per input message (see
 * {@link countInputTokens}) and nothing for tool definitions; a run of more than {@link MAX_RUN_LENGTH} letters,
 * spaces or symbols (one "word" to the BPE) is tokenized in pieces of that length; and past
 * {@link EXACT_TOKENIZE_LENGTH} characters the rest of a text counts one token per
 * {@link ESTIMATED_CHARACTERS_PER_TOKEN} characters.
 *
 * Why: BPE merges within one pre-tokenized word, and its cost grows with the square of the word (`gpt-tokenizer`:
 * 40,000 letters without a space took 1.7 s, 40,000 CJK characters 28 s), so one long word froze the offline app.
 * With both rules the work is linear in the text and bounded: a 900 KB word tokenizes in well under a second.
 * Ordinary text (words shorter than 256 characters, messages under 100,000 characters) counts exactly as before.
 */

/** Tokens added per input message for chat framing (role and separators), as a fixed approximation. */
export const MESSAGE_OVERHEAD_TOKENS = 3;

/** The longest run of one character class (letters, whitespace, other symbols) tokenized as one BPE word. */
export const MAX_RUN_LENGTH = 256;

/** Characters of a text tokenized exactly; past them the count is estimated (see {@link countTokens}). */
export const EXACT_TOKENIZE_LENGTH = 100_000;

/** Characters per token assumed past {@link EXACT_TOKENIZE_LENGTH} (OpenAI's rule of thumb for English). */
export const ESTIMATED_CHARACTERS_PER_TOKEN = 4;

const LETTER = /[\p{L}\p{M}]/u;
const SPACE = /\s/u;
const DIGIT = /\p{N}/u;

/** The BPE pre-tokenizer keeps a run of one of these classes together (digits are split in threes anyway). */
function runClass(character: string): 0 | 1 | 2 | 3 {
  if (LETTER.test(character)) return 1;
  if (SPACE.test(character)) return 2;
  if (DIGIT.test(character)) return 0;
  return 3;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/**
 * Cuts `text` into segments so that no run of one character class is longer than {@link MAX_RUN_LENGTH} within a
 * segment; a text without such a run is one segment. One pass over the code points; never splits a surrogate pair.
 */
function segments(text: string): string[] {
  const cuts: number[] = [];
  let runClassOf: number = -1;
  let runLength = 0;
  for (let index = 0; index < text.length; ) {
    const code = text.charCodeAt(index);
    const width = isHighSurrogate(code) && index + 1 < text.length ? 2 : 1;
    const kind = runClass(text.slice(index, index + width));
    if (kind !== 0 && kind === runClassOf) {
      runLength++;
      if (runLength > MAX_RUN_LENGTH) {
        cuts.push(index);
        runLength = 1;
      }
    } else {
      runClassOf = kind;
      runLength = 1;
    }
    index += width;
  }
  if (cuts.length === 0) return [text];
  const pieces: string[] = [];
  let start = 0;
  for (const cut of cuts) {
    pieces.push(text.slice(start, cut));
    start = cut;
  }
  pieces.push(text.slice(start));
  return pieces;
}

/** The `o200k_base` tokens of `text`, with long runs cut first (see {@link MAX_RUN_LENGTH}). Linear in `text`. */
function encodeBounded(text: string): number[] {
  const parts = segments(text);
  if (parts.length === 1) return encode(text);
  const tokens: number[] = [];
  for (const part of parts) for (const token of encode(part)) tokens.push(token);
  return tokens;
}

/** Splits `text` at {@link EXACT_TOKENIZE_LENGTH} (never inside a surrogate pair): the exact head and the rest. */
function splitHead(text: string): [head: string, tail: string] {
  if (text.length <= EXACT_TOKENIZE_LENGTH) return [text, ''];
  const end = isHighSurrogate(text.charCodeAt(EXACT_TOKENIZE_LENGTH - 1))
    ? EXACT_TOKENIZE_LENGTH + 1
    : EXACT_TOKENIZE_LENGTH;
  return [text.slice(0, end), text.slice(end)];
}

/** The estimated pieces of the part of a text past the exact head: {@link ESTIMATED_CHARACTERS_PER_TOKEN} each. */
function tailPieces(tail: string): string[] {
  const pieces: string[] = [];
  for (let start = 0; start < tail.length; ) {
    let end = Math.min(tail.length, start + ESTIMATED_CHARACTERS_PER_TOKEN);
    if (end < tail.length && isHighSurrogate(tail.charCodeAt(end - 1))) end++;
    pieces.push(tail.slice(start, end));
    start = end;
  }
  return pieces;
}

/**
 * The number of `o200k_base` tokens in `text`. Deterministic: the same text always gives the same count. Linear in the
 * length of `text`; exact for ordinary text (see the module note for runs over 256 characters and texts over 100,000).
 */
export function countTokens(text: string): number {
  if (text === '') return 0;
  const [head, tail] = splitHead(text);
  return encodeBounded(head).length + tailPieces(tail).length;
}

/**
 * Splits `text` into the strings of its tokens, in order, so `pieces.join('') === text`. A token that ends inside a
 * multi-byte character is merged with the next one, so every piece is valid text (as the real API streams).
 */
export function splitIntoTokens(text: string): string[] {
  if (text === '') return [];
  const [head, tail] = splitHead(text);
  const pieces: string[] = [];
  let pending: number[] = [];
  for (const token of encodeBounded(head)) {
    pending.push(token);
    const piece = decode(pending);
    if (piece.endsWith('\uFFFD')) continue;
    pieces.push(piece);
    pending = [];
  }
  if (pending.length > 0) pieces.push(decode(pending));
  // Guard against any decoding difference: the pieces must rebuild the text exactly.
  const exact = pieces.join('') === head ? pieces : [head];
  return tail === '' ? exact : [...exact, ...tailPieces(tail)];
}

/** Input tokens of a request: the tokens of every message text plus {@link MESSAGE_OVERHEAD_TOKENS} per message. */
export function countInputTokens(messages: readonly string[]): number {
  let total = 0;
  for (const message of messages) total += countTokens(message) + MESSAGE_OVERHEAD_TOKENS;
  return total;
}
