import { decode, encode } from 'gpt-tokenizer';

/**
 * Token counting of the fake OpenAI server.
 *
 * Text is tokenized with the real `o200k_base` BPE (the encoding of gpt-4o, gpt-4.1, gpt-5 and o-series models)
 * through `gpt-tokenizer`, so the same text always gives the same count and the count is close to what the real API
 * reports for the same content. It is an approximation in one documented way: the real API adds a few tokens of chat
 * framing per message; the fake adds exactly {@link MESSAGE_OVERHEAD_TOKENS} per input message (see
 * {@link countInputTokens}) and nothing for tool definitions.
 */

/** Tokens added per input message for chat framing (role and separators), as a fixed approximation. */
export const MESSAGE_OVERHEAD_TOKENS = 3;

/** The number of `o200k_base` tokens in `text`. Deterministic: the same text always gives the same count. */
export function countTokens(text: string): number {
  if (text === '') return 0;
  return encode(text).length;
}

/**
 * Splits `text` into the strings of its tokens, in order, so `pieces.join('') === text`. A token that ends inside a
 * multi-byte character is merged with the next one, so every piece is valid text (as the real API streams).
 */
export function splitIntoTokens(text: string): string[] {
  if (text === '') return [];
  const pieces: string[] = [];
  let pending: number[] = [];
  for (const token of encode(text)) {
    pending.push(token);
    const piece = decode(pending);
    if (piece.endsWith('\uFFFD')) continue;
    pieces.push(piece);
    pending = [];
  }
  if (pending.length > 0) pieces.push(decode(pending));
  // Guard against any decoding difference: the pieces must rebuild the text exactly.
  return pieces.join('') === text ? pieces : [text];
}

/** Input tokens of a request: the tokens of every message text plus {@link MESSAGE_OVERHEAD_TOKENS} per message. */
export function countInputTokens(messages: readonly string[]): number {
  let total = 0;
  for (const message of messages) total += countTokens(message) + MESSAGE_OVERHEAD_TOKENS;
  return total;
}
