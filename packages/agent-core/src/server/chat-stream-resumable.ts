import {
  encodeEvent,
  encodeSimpleChatEvent,
  isRelayKitError,
  parseJsonText,
  RequestError,
  type SimpleChatEvent,
  type SimpleErrorData,
  type StreamLog,
  type StreamState,
  type StreamWriter,
  simpleErrorData,
  sseResponse,
} from '@relaykit/sse-protocol';
import type { ChatStreamRequest } from './chat-stream';
import { type ChatStreamRun, startChatStreamRun } from './chat-stream-run';
import type { ChatKitServer } from './types';

/**
 * Resumable simple chat runs on a `StreamLog`. A run's log is keyed `chat:<owner>:<sessionId>`, where the owner is
 * the context's `userId` as it is when it is 1-64 letters, digits, `_`, `.` or `-` and does not start with `h.`, and
 * otherwise `h.` + the SHA-256 hex digest of it: the two sets are disjoint, so no user id names another user's logs.
 * Another user's session id simply names a log that does not exist, so reading or stopping it is a 404 that never
 * reveals the session exists.
 * Log entries are the simple events as compact JSON `{"event":…,"data":…}`; a reader serves them with the log
 * sequence as the SSE `id:`. A cancelled run ends, for every reader, with `error` code `cancelled`.
 */

/** A session id of a resumable run: letters, digits, `_`, `.`, `-`; at most 128 characters. */
const SESSION_ID = /^[A-Za-z0-9_.-]{1,128}$/;
/** An owner used as it is; `h.` is the namespace of hashed owners. */
const SAFE_OWNER = /^(?!h\.)[A-Za-z0-9_.-]{1,64}$/;

/** The terminal `error` data every reader of a stopped run sees. */
export const CHAT_STREAM_CANCELLED: SimpleErrorData = {
  code: 'cancelled',
  message: 'The chat run was stopped.',
  retryable: false,
};

/** Options of {@link resumeChatStream}. */
export interface ResumeChatStreamOptions {
  /** The `sessionId` of the run (its `session` event). */
  sessionId: string | null | undefined;
  /** The client's `Last-Event-ID`: replay after it (omitted: from the start), then follow live. */
  lastEventId?: string | number | null | undefined;
  /** Ends this reader (the client went away); never stops the run. */
  signal?: AbortSignal | undefined;
  /** SSE heartbeat interval. Default 15 000 ms. */
  heartbeatMs?: number | undefined;
}

/** The answer of {@link stopChatStream}: the session and the state of its run after the call. */
export interface StopChatStreamResult {
  sessionId: string;
  /** `cancelled` when the call stopped the run (or it was already stopped); `done` when it had already finished. */
  state: StreamState;
}

function ownerOf(context: unknown): string {
  const userId = (context as { userId?: unknown } | null)?.userId;
  if (typeof userId !== 'string' || userId === '')
    throw new RequestError(
      'unauthorized',
      'Resumable chat runs need an authenticated user (context.userId).',
    );
  return userId;
}

function checkSessionId(sessionId: string | null | undefined): string {
  if (typeof sessionId === 'string' && SESSION_ID.test(sessionId)) return sessionId;
  const message =
    sessionId === null || sessionId === undefined || sessionId === ''
      ? 'sessionId is required.'
      : 'sessionId must be 1-128 letters, digits, "_", "." or "-".';
  throw new RequestError('invalid_request', message, {
    details: { issues: [{ code: 'invalid_session_id', path: ['sessionId'], message }] },
  });
}

async function streamIdOf(context: unknown, sessionId: string): Promise<string> {
  const owner = ownerOf(context);
  if (SAFE_OWNER.test(owner)) return `chat:${owner}:${sessionId}`;
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(owner));
  const hex = Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `chat:h.${hex}:${sessionId}`;
}

function sessionInUse(sessionId: string): RequestError {
  return new RequestError(
    'conflict',
    `Chat session ${sessionId} is already in use; start a run with a new sessionId.`,
    {
      details: { sessionId },
    },
  );
}

function sessionNotFound(sessionId: string): RequestError {
  return new RequestError('not_found', `Chat session ${sessionId} does not exist or has expired.`, {
    details: { sessionId },
  });
}

const isCode = (error: unknown, code: string) => isRelayKitError(error) && error.code === code;

function encodeEntry(event: SimpleChatEvent): string {
  return JSON.stringify({ event: event.event, data: event.data });
}

const textEncoder = new TextEncoder();

/**
 * SSE frames of a log reader: a log entry carries its sequence as `id:`; the reader's own final `error` frame has
 * no `id:`, so a client's `Last-Event-ID` stays the last real entry (a later entry may still get the next number).
 */
function readerFrames(): TransformStream<SimpleChatEvent, Uint8Array> {
  return new TransformStream({
    transform(event, controller) {
      const frame =
        event.id !== undefined
          ? encodeSimpleChatEvent(event, { id: event.id })
          : encodeEvent({ event: event.event, data: JSON.stringify(event.data) });
      controller.enqueue(textEncoder.encode(frame));
    },
  });
}

/**
 * Ends a log with one `error` event. When that cannot be written (the writer keeps the error of a failed flush, or
 * the store is down), cancels the log as a last resort so no reader waits for a terminal event forever: readers
 * then end with `cancelled`. Best effort, never rejects.
 */
async function finishWithError(log: StreamLog, writer: StreamWriter, data: SimpleErrorData): Promise<void> {
  try {
    writer.append(encodeEntry({ event: 'error', data }));
    await writer.complete();
  } catch {
    await log.cancel(writer.streamId).catch(() => {});
  }
}

/** Follows the log only to learn, from any instance, that it was cancelled. */
async function watchForCancel(
  log: StreamLog,
  streamId: string,
  signal: AbortSignal,
  onCancel: () => void,
): Promise<void> {
  try {
    for await (const _entry of log.read(streamId, { signal })) {
      if (signal.aborted) return;
    }
  } catch (error) {
    if (!signal.aborted && isCode(error, 'cancelled')) onCancel();
  }
}

/** Copies the run's events into the log until it ends or is cancelled (from any instance). Never rejects. */
async function pumpRun(log: StreamLog, writer: StreamWriter, run: ChatStreamRun): Promise<void> {
  const watching = new AbortController();
  let cancelled = false;
  const onCancel = () => {
    if (cancelled) return;
    cancelled = true;
    void run.stop(new RequestError('cancelled', 'The chat run was stopped.'));
  };
  writer.signal.addEventListener('abort', onCancel, { once: true });
  const watcher = watchForCancel(log, writer.streamId, watching.signal, onCancel);
  let failed = false;
  try {
    for await (const event of run.events) {
      if (cancelled) break;
      writer.append(encodeEntry(event));
    }
    if (!cancelled) await writer.complete();
  } catch (error) {
    if (isCode(error, 'cancelled')) onCancel();
    else if (!cancelled) {
      failed = true;
      await finishWithError(log, writer, simpleErrorData(error));
    }
  } finally {
    writer.signal.removeEventListener('abort', onCancel);
    watching.abort();
    // After a stop (or a failed log write) the ChatKit run is cancelled; resolves once partial text is saved.
    if (cancelled || failed) await run.stop();
    await watcher;
  }
}

/**
 * Serves a log as the simple SSE stream, `id:` = log sequence; read errors become one final `error` event without
 * an `id:`.
 */
function logResponse(
  log: StreamLog,
  streamId: string,
  sessionId: string,
  options: {
    after?: string | number | null | undefined;
    signal?: AbortSignal | undefined;
    heartbeatMs?: number;
  },
): Response {
  const reading = new AbortController();
  const onAbort = () => reading.abort();
  if (options.signal?.aborted) reading.abort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  // Validates `after` (a bad Last-Event-ID is a 400 before the stream starts).
  const entries = log.read(streamId, { after: options.after ?? null, signal: reading.signal });
  async function* events(): AsyncGenerator<SimpleChatEvent> {
    try {
      for await (const entry of entries) {
        const parsed = parseJsonText(entry.data) as SimpleChatEvent;
        yield { ...parsed, id: String(entry.sequence) } as SimpleChatEvent;
      }
    } catch (error) {
      if (reading.signal.aborted) return;
      const data = isCode(error, 'cancelled')
        ? CHAT_STREAM_CANCELLED
        : isCode(error, 'not_found')
          ? simpleErrorData(sessionNotFound(sessionId))
          : simpleErrorData(error);
      const { message, code, retryable } = data;
      yield { event: 'error', data: { message, code, retryable } };
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  }
  const iterator = events();
  const source = new ReadableStream<SimpleChatEvent>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      reading.abort();
      await iterator.return(undefined);
    },
  });
  return sseResponse(source.pipeThrough(readerFrames()), {
    heartbeatMs: options.heartbeatMs ?? 15_000,
  });
}

/** A run refused before its stream (unknown thread, bad metadata, rate limit): the log already holds the error. */
export interface ChatStreamRefused {
  readonly kind: 'refused';
  readonly error: unknown;
}

/**
 * Starts a resumable run (what `createChatStream` does with `streamLog`): first claims the session by creating its
 * log (a session id whose log is live or readable, including one a concurrent POST just claimed, is a 409
 * `conflict` and runs nothing), then starts the run, keeps it going detached from the request and answers a reader
 * of the log. An error before the stream (such as 400, 404 or 429) is returned as `{ kind: "refused", error }` (the caller answers its JSON error) and
 * ends the claimed log with that error as its only event: a retry needs a new session id.
 */
export async function startResumableChatStream<TContext>(
  server: ChatKitServer<TContext>,
  request: ChatStreamRequest,
  log: StreamLog,
  context: TContext,
): Promise<Response | ChatStreamRefused> {
  const sessionId = checkSessionId(request.sessionId ?? crypto.randomUUID());
  const streamId = await streamIdOf(context, sessionId);
  let writer: StreamWriter;
  try {
    writer = await log.create(streamId);
  } catch (error) {
    throw isCode(error, 'conflict') ? sessionInUse(sessionId) : error;
  }
  const { signal: _requestSignal, streamLog: _log, ...rest } = request;
  let started: Awaited<ReturnType<typeof startChatStreamRun<TContext>>>;
  try {
    started = await startChatStreamRun(server, { ...rest, sessionId }, context);
  } catch (error) {
    await finishWithError(log, writer, simpleErrorData(error));
    // The caller answers it as the error's JSON response (the session is used up).
    return { kind: 'refused', error };
  }
  const run = pumpRun(log, writer, started);
  const waitUntil = (context as { waitUntil?: unknown } | null)?.waitUntil;
  if (typeof waitUntil === 'function') (waitUntil as (task: Promise<unknown>) => void)(run);
  return logResponse(log, streamId, sessionId, {
    signal: request.signal,
    heartbeatMs: request.heartbeatMs ?? 15_000,
  });
}

/**
 * Resumes a resumable run for its owner: replays the session's events after `lastEventId`, then follows the run
 * live until its `done` or `error` (`cancelled` when it was stopped).
 *
 * @throws RequestError `not_found` for an unknown or expired session, or another user's; `invalid_request` for a
 *   missing or malformed `sessionId` or a `lastEventId` that is not a non-negative integer; `unauthorized` without
 *   `context.userId`.
 */
export async function resumeChatStream<TContext>(
  log: StreamLog,
  options: ResumeChatStreamOptions,
  context: TContext,
): Promise<Response> {
  const sessionId = checkSessionId(options.sessionId);
  const streamId = await streamIdOf(context, sessionId);
  if ((await log.status(streamId)) === null) throw sessionNotFound(sessionId);
  return logResponse(log, streamId, sessionId, {
    after: options.lastEventId,
    signal: options.signal,
    heartbeatMs: options.heartbeatMs ?? 15_000,
  });
}

/**
 * Stops a resumable run for its owner, from any instance: cancels its log, so the instance running it aborts the
 * model call, saves the partial assistant text and every reader ends with `error` code `cancelled`. A finished run
 * is left as it is (`state: "done"`).
 *
 * @throws RequestError `not_found` for an unknown or expired session, or another user's; `invalid_request` for a
 *   missing or malformed `sessionId`; `unauthorized` without `context.userId`.
 */
export async function stopChatStream<TContext>(
  log: StreamLog,
  sessionId: string | null | undefined,
  context: TContext,
): Promise<StopChatStreamResult> {
  const checked = checkSessionId(sessionId);
  const streamId = await streamIdOf(context, checked);
  try {
    return { sessionId: checked, state: await log.cancel(streamId) };
  } catch (error) {
    if (isCode(error, 'not_found')) throw sessionNotFound(checked);
    throw error;
  }
}
