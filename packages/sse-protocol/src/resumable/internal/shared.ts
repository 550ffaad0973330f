import { isRelayKitError, type RelayKitError, RequestError, StoreError } from '../../errors';
import type { CreateStreamOptions, StreamState } from '../ports';

export const DEFAULT_DONE_TTL_MS = 10 * 60_000;
export const DEFAULT_ACTIVE_TTL_MS = 60 * 60_000;

export interface ResolvedTtl {
  doneTtlMs: number;
  activeTtlMs: number;
}

export function resolveTtl(options: CreateStreamOptions | undefined): ResolvedTtl {
  const doneTtlMs = options?.doneTtlMs ?? DEFAULT_DONE_TTL_MS;
  const activeTtlMs = options?.activeTtlMs ?? DEFAULT_ACTIVE_TTL_MS;
  for (const [name, value] of [
    ['doneTtlMs', doneTtlMs],
    ['activeTtlMs', activeTtlMs],
  ] as const) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new RequestError(
        'invalid_request',
        `${name} must be a positive integer of milliseconds, got ${value}`,
      );
    }
  }
  return { doneTtlMs, activeTtlMs };
}

const STREAM_ID = /^[A-Za-z0-9_.:-]{1,200}$/;

export function assertStreamId(streamId: string): void {
  if (typeof streamId !== 'string' || !STREAM_ID.test(streamId)) {
    throw new RequestError(
      'invalid_request',
      'stream id must be 1-200 characters of letters, digits, "_", ".", ":" or "-"',
      { details: { streamId } },
    );
  }
}

/** Parses a `Last-Event-ID` (or a number) into the sequence to resume after. */
export function parseAfter(after: number | string | null | undefined): number {
  if (after === undefined || after === null || after === '') return 0;
  if (typeof after === 'number') {
    if (Number.isSafeInteger(after) && after >= 0) return after;
  } else if (/^\d{1,15}$/.test(after.trim())) {
    return Number(after.trim());
  }
  throw new RequestError('invalid_request', 'Last-Event-ID must be a non-negative integer sequence number', {
    details: { after },
  });
}

export function notFound(streamId: string): RequestError {
  return new RequestError('not_found', `stream ${streamId} does not exist or has expired`, {
    details: { streamId },
  });
}

export function cancelledError(streamId: string): RequestError {
  return new RequestError('cancelled', `stream ${streamId} was cancelled`, { details: { streamId } });
}

export function closedError(): StoreError {
  return new StoreError('store_unavailable', 'the stream log was closed', { retryable: true });
}

export function conflict(streamId: string, message: string): RequestError {
  return new RequestError('conflict', `stream ${streamId}: ${message}`, { details: { streamId } });
}

/** A failure of the log's store, as a RelayKit error: one already typed passes; the driver's message stays in `cause`. */
export function storeFailure(message: string, cause: unknown): RelayKitError {
  if (isRelayKitError(cause)) return cause;
  return new StoreError('store_error', message, { cause, retryable: true });
}

export function isFinished(state: StreamState): boolean {
  return state !== 'active';
}

/** Resolves after `ms` or when `signal` aborts, whichever comes first; never rejects. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
