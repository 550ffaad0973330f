import { invalidRequest } from '../errors';

const encoder = new TextEncoder();

/** The longest key (in UTF-8 bytes) a limiter or budget accepts. */
export const MAX_KEY_BYTES = 256;

/** Throws `invalid_request` unless `key` is a non-empty string of at most 256 UTF-8 bytes. */
export function assertKey(key: unknown, what = 'key'): asserts key is string {
  if (typeof key !== 'string' || key.length === 0) throw invalidRequest(`${what} must be a non-empty string`);
  const bytes = encoder.encode(key).byteLength;
  if (bytes > MAX_KEY_BYTES)
    throw invalidRequest(`${what} is ${bytes} bytes long; the most is ${MAX_KEY_BYTES}`, {
      bytes,
      max: MAX_KEY_BYTES,
    });
}

/** Throws `invalid_request` unless `value` is a finite integer ≥ `min`. */
export function assertInteger(value: unknown, what: string, min = 0): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min)
    throw invalidRequest(`${what} must be an integer ≥ ${min}, got ${String(value)}`, {
      field: what,
      value: String(value),
    });
}

/** A duration in milliseconds, or text such as `'10 s'`, `'1m'`, `'1 h'`, `'500ms'`, `'1d'`. */
export type Duration =
  | number
  | `${number}${'ms' | 's' | 'm' | 'h' | 'd'}`
  | `${number} ${'ms' | 's' | 'm' | 'h' | 'd'}`;

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Parses a {@link Duration} into whole milliseconds; throws `invalid_request` for anything else. */
export function parseDuration(duration: Duration | string, what = 'window'): number {
  let ms: number;
  if (typeof duration === 'number') ms = duration;
  else {
    const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(duration);
    if (!match)
      throw invalidRequest(
        `${what} must be milliseconds or text like "10 s", got ${JSON.stringify(duration)}`,
      );
    ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  }
  if (!Number.isSafeInteger(ms) || ms < 1)
    throw invalidRequest(`${what} must be a whole number of milliseconds ≥ 1`);
  return ms;
}
