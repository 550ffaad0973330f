/**
 * The `StreamLog` port: a durable, append-only log of stream events keyed by stream id.
 *
 * One producer per stream writes through a {@link StreamWriter}; any number of readers, on any instance,
 * replay the log from a `Last-Event-ID` and then follow it live until the stream is done or cancelled.
 */

/** Lifecycle of a resumable stream. */
export type StreamState = 'active' | 'done' | 'cancelled';

/** One event of a stream log: its per-stream sequence number (1, 2, 3, …) and its payload. */
export interface StreamLogEntry {
  /** Monotonically increasing per stream, starting at 1. Use it as the SSE `id:` of the frame. */
  sequence: number;
  /** The payload as written (typically the compact JSON of one event). */
  data: string;
}

/** What {@link StreamLog.status} reports about a stream. */
export interface StreamStatus {
  streamId: string;
  state: StreamState;
  /** Sequence number of the last durable event (0 when none was written yet). */
  lastSequence: number;
}

/** Options of {@link StreamLog.create}. */
export interface CreateStreamOptions {
  /**
   * How long the log of a finished (done or cancelled) stream stays readable, in milliseconds.
   * Default 10 minutes.
   */
  doneTtlMs?: number;
  /**
   * How long an active stream lives after its last write before it is considered abandoned and dropped,
   * in milliseconds. Default 1 hour.
   */
  activeTtlMs?: number;
}

/** Options of {@link StreamLog.read}. */
export interface ReadStreamOptions {
  /**
   * Resume after this sequence number: the value of the client's `Last-Event-ID` header (a string of digits)
   * or a number. Omitted, `null` or `''` reads from the start.
   */
  after?: number | string | null;
  /**
   * Aborting it ends the iteration quietly: a reader disconnecting never changes the stream's state
   * (use {@link StreamLog.cancel} for that).
   */
  signal?: AbortSignal;
}

/**
 * The producer's handle on one stream. Appends are buffered and written in batches (a driver decides the
 * flush interval and batch size), so `append` is synchronous and returns the event's sequence number at once.
 * A failed write or a cancellation seen by a flush is raised by the next `append`, `flush` or `complete`.
 */
export interface StreamWriter {
  readonly streamId: string;
  /** Aborted once the writer learns the stream was cancelled (by {@link StreamLog.cancel} from any instance). */
  readonly signal: AbortSignal;
  /**
   * Buffers one event and returns its sequence number.
   * @throws RequestError `cancelled` once the stream was cancelled, `conflict` after `complete()`,
   *   or the StoreError of a failed earlier flush.
   */
  append(data: string): number;
  /** Writes everything buffered so far; resolves when it is durable. */
  flush(): Promise<void>;
  /** Flushes and marks the stream `done`; readers end after the last event. */
  complete(): Promise<void>;
}

/** A durable log of stream events. Drivers: memory, Redis (Streams), Postgres (table + LISTEN/NOTIFY). */
export interface StreamLog {
  /**
   * Starts a new stream and returns its writer.
   * @throws RequestError `conflict` when a stream with this id exists and has not expired.
   */
  create(streamId: string, options?: CreateStreamOptions): Promise<StreamWriter>;
  /**
   * Replays the stream after `options.after`, then follows it live. The iteration ends after the last event
   * of a `done` stream.
   * @throws RequestError `not_found` for an unknown or expired stream, `invalid_request` for a bad `after`,
   *   `cancelled` after the last event of a cancelled stream.
   */
  read(streamId: string, options?: ReadStreamOptions): AsyncIterable<StreamLogEntry>;
  /** The stream's state and last sequence number, or `null` when unknown or expired. */
  status(streamId: string): Promise<StreamStatus | null>;
  /**
   * Cancels an active stream explicitly (for example the user pressed stop, on any instance). Readers end with
   * a `cancelled` error, the producer's writer is aborted at its next flush. No-op on a finished stream.
   * @returns the state after the call.
   * @throws RequestError `not_found` for an unknown or expired stream.
   */
  cancel(streamId: string): Promise<StreamState>;
  /** Releases connections and timers owned by the driver (not the clients passed in by the caller). */
  close(): Promise<void>;
}
