import type { StreamState, StreamWriter } from '../ports';
import { cancelledError, conflict, storeFailure } from './shared';

/** What a driver does with one batch: write events `first..first+events.length-1`, optionally finishing the stream. */
export type WriteBatch = (
  streamId: string,
  firstSequence: number,
  events: readonly string[],
  finish: 'done' | null,
) => Promise<StreamState>;

/** Write-buffer settings every driver accepts. */
export interface WriteBufferOptions {
  /** How long appended events may wait before they are written, in milliseconds. */
  flushIntervalMs?: number;
  /** Flush as soon as this many events are buffered. */
  maxBatchEvents?: number;
}

/**
 * The one write buffer every driver shares: sequence numbers are assigned at `append`, events are written in
 * batches (one batch per flush interval or `maxBatchEvents`), batches are written strictly in order.
 */
export class BufferedStreamWriter implements StreamWriter {
  readonly streamId: string;
  readonly #write: WriteBatch;
  readonly #intervalMs: number;
  readonly #maxBatch: number;
  readonly #abort = new AbortController();
  #next = 1;
  #buffer: string[] = [];
  #bufferFirst = 1;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #chain: Promise<void> = Promise.resolve();
  #error: unknown;
  #completed = false;

  constructor(streamId: string, write: WriteBatch, options: Required<WriteBufferOptions>) {
    this.streamId = streamId;
    this.#write = write;
    this.#intervalMs = options.flushIntervalMs;
    this.#maxBatch = options.maxBatchEvents;
  }

  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  append(data: string): number {
    if (this.#error !== undefined) throw this.#error;
    if (this.#completed) throw conflict(this.streamId, 'append after complete()');
    if (typeof data !== 'string') throw new TypeError('StreamWriter.append expects a string');
    const sequence = this.#next++;
    this.#buffer.push(data);
    if (this.#buffer.length >= this.#maxBatch) {
      this.#schedule(true);
    } else {
      this.#schedule(false);
    }
    return sequence;
  }

  flush(): Promise<void> {
    this.#clearTimer();
    return this.#enqueue(null);
  }

  async complete(): Promise<void> {
    if (this.#completed) throw conflict(this.streamId, 'complete() called twice');
    this.#completed = true;
    this.#clearTimer();
    await this.#enqueue('done');
  }

  #schedule(now: boolean): void {
    if (now) {
      this.#clearTimer();
      this.#enqueue(null).catch(() => {});
      return;
    }
    if (this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#enqueue(null).catch(() => {});
    }, this.#intervalMs);
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #enqueue(finish: 'done' | null): Promise<void> {
    const run = this.#chain.then(() => this.#writeOut(finish));
    this.#chain = run.catch(() => {});
    return run;
  }

  async #writeOut(finish: 'done' | null): Promise<void> {
    if (this.#error !== undefined) throw this.#error;
    const events = this.#buffer;
    const first = this.#bufferFirst;
    if (events.length === 0 && finish === null) return;
    this.#buffer = [];
    this.#bufferFirst = first + events.length;
    let state: StreamState;
    try {
      state = await this.#write(this.streamId, first, events, finish);
    } catch (error) {
      this.#error = storeFailure(`writing stream ${this.streamId} failed`, error);
      throw this.#error;
    }
    if (state === 'cancelled') {
      this.#error = cancelledError(this.streamId);
      this.#abort.abort(this.#error);
      throw this.#error;
    }
  }
}

export function resolveWriteBuffer(
  options: WriteBufferOptions | undefined,
  defaults: Required<WriteBufferOptions>,
): Required<WriteBufferOptions> {
  return {
    flushIntervalMs: options?.flushIntervalMs ?? defaults.flushIntervalMs,
    maxBatchEvents: options?.maxBatchEvents ?? defaults.maxBatchEvents,
  };
}
