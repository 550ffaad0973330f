import { RequestError } from '@relaykit/sse-protocol';
import type { ThreadItem, ThreadMetadata } from './types';

/** One thread found by {@link ChatKitStore.searchThreads}. */
export interface ThreadSearchHit {
  /** The thread's metadata (server-side: strip `metadata` before sending it to a client). */
  thread: ThreadMetadata;
  /** A short excerpt of the best-matching message (or the title), with each match wrapped in `**`. */
  snippet: string;
  /** Relevance; higher is better. Comparable within one answer only. */
  rank: number;
}

/** One page of search hits, best first. */
export interface ThreadSearchPage {
  data: ThreadSearchHit[];
  has_more: boolean;
}

/** The largest `limit` a search accepts. */
export const MAX_SEARCH_LIMIT = 100;

/** Throws `invalid_request` unless `limit` is an integer from 1 to {@link MAX_SEARCH_LIMIT}. */
export function checkSearchLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_LIMIT)
    throw new RequestError('invalid_request', `chatkit: search limit must be from 1 to ${MAX_SEARCH_LIMIT}`);
}

/** The query's words as the SQL drivers read them: lower-case runs of letters and digits, at most 16. */
export function searchWords(query: string): string[] {
  return [
    ...new Set(
      query
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u)
        .filter(Boolean),
    ),
  ].slice(0, 16);
}

/** The searchable text of an item: its content parts' `text` (user and assistant messages). */
export function itemSearchText(item: ThreadItem): string {
  if (item.type !== 'user_message' && item.type !== 'assistant_message') return '';
  return (item.content as { text?: unknown }[])
    .map((part) => (typeof part.text === 'string' ? part.text : ''))
    .filter(Boolean)
    .join(' ');
}

/**
 * How well `text` matches `words` for the memory driver: every word must start a word of the text (a prefix
 * match, like the SQL drivers); the score counts occurrences. `0` when a word is missing.
 */
export function matchScore(text: string, words: readonly string[]): number {
  if (words.length === 0) return 0;
  const tokens = text.toLowerCase().split(/[^\p{L}\p{N}]+/u);
  let score = 0;
  for (const word of words) {
    const hits = tokens.filter((token) => token.startsWith(word)).length;
    if (hits === 0) return 0;
    score += hits;
  }
  return score;
}

/** A window of about 24 words around the first match in `text`, matches wrapped in `**`. */
export function searchSnippet(text: string, words: readonly string[]): string {
  const parts = text.replace(/\s+/g, ' ').trim().split(' ');
  const isMatch = (part: string) => {
    const token = part.toLowerCase().replace(/^[^\p{L}\p{N}]+/u, '');
    return words.some((word) => token.startsWith(word));
  };
  const first = Math.max(0, parts.findIndex(isMatch));
  const start = Math.max(0, first - 8);
  return parts
    .slice(start, start + 24)
    .map((part) => (isMatch(part) ? `**${part}**` : part))
    .join(' ');
}
