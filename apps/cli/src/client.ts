/**
 * The stream logic of the `relaykit` CLI, kept free of terminal code so it reads as a model for any client
 * (Dart, Swift, Kotlin): POST a message, read the simple chat stream as it arrives, and when the connection drops
 * reconnect with `Last-Event-ID` so nothing is lost or shown twice.
 */

import {
  createSimpleChatDecoder,
  ProviderError,
  RELAYKIT_ERROR_CODES,
  RelayKitError,
  type RelayKitErrorCode,
  RequestError,
  type SimpleChatEvent,
  StoreError,
  type UnknownSimpleChatEvent,
} from '@relaykit/sse-protocol';

/** One event of the simple chat stream as the client yields it: a known, validated event or an unknown one. */
export type ChatStreamEvent = SimpleChatEvent | UnknownSimpleChatEvent;

/** What {@link StreamChatOptions.onReconnect} is told before each reconnection attempt. */
export interface ReconnectInfo {
  /** 1 for the first reconnection of this call, then 2, 3, … (reset after events arrive again). */
  attempt: number;
  /** The id sent as `Last-Event-ID`. */
  lastEventId: string;
  /** How long the client waits before this attempt, in milliseconds. */
  delayMs: number;
  /** Why the previous connection ended. */
  reason: unknown;
}

/** Options of {@link streamChat}. */
export interface StreamChatOptions {
  /** The chat endpoint; the message is sent here with `POST`. */
  url: string;
  /** The JSON request body (see {@link buildChatBody}). Omit it to start by resuming with `GET`. */
  body?: unknown;
  /** Extra request headers, for example `authorization`. */
  headers?: Record<string, string>;
  /** The fetch implementation; defaults to the global `fetch`. */
  fetch?: typeof fetch;
  /** Aborting it cancels the request and ends the iteration with a `cancelled` error. */
  signal?: AbortSignal;
  /**
   * Start by resuming after this id (a `GET` with `Last-Event-ID`) instead of posting `body`, for example after the
   * app was restarted.
   */
  lastEventId?: string;
  /**
   * Where to resume with `GET` + `Last-Event-ID`: a URL (`{sessionId}` and `{threadId}` are replaced with the values
   * of the `session` event), `undefined` for `url` itself, or `false` to never reconnect.
   */
  resumeUrl?: string | false;
  /** Reconnection attempts in a row without progress before giving up. Default 3. */
  maxRetries?: number;
  /** Delay before the first reconnection when the server sent no `retry:`, in ms. Default 1000. */
  retryDelayMs?: number;
  /** Upper bound of the exponential backoff, in ms. Default 30000. */
  maxRetryDelayMs?: number;
  /** Called before each reconnection attempt. */
  onReconnect?: (info: ReconnectInfo) => void;
  /** Waits `ms` milliseconds (tests pass a faster one). Rejects when `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** The shape of the request body each server family expects. */
export type BodyStyle = 'next' | 'health-agent' | 'ai-chat-system';

/** The body styles {@link buildChatBody} knows. */
export const BODY_STYLES: readonly BodyStyle[] = ['next', 'health-agent', 'ai-chat-system'];

/** What a user says and to whom, before it is shaped into a server's request body. */
export interface ChatInput {
  message: string;
  /** The thread to continue (`threadId` for `next`, `sessionId` for `ai-chat-system`). */
  threadId?: string | undefined;
  /** Which agent answers (`agent` for `next`, `agentType` for `ai-chat-system`). */
  agent?: string | undefined;
  /** Free-form metadata (`next` only). */
  metadata?: Record<string, string> | undefined;
  /** The user id (`health-agent` only; required there). */
  user?: string | undefined;
  /** The device id (`health-agent` only). */
  deviceId?: string | undefined;
}

/** The answer to an `approval_required` event. */
export interface ApprovalAnswer {
  threadId: string;
  approvalId: string;
  callId: string;
  decision: 'approve' | 'reject';
}

/**
 * The request body that answers an `approval_required` event: `{threadId, approval: {approvalId, callId, decision},
 * stream: true}`. Only the `next` body style (RelayKit's own chat route) knows approvals.
 *
 * @throws RequestError `invalid_request` for another body style.
 */
export function buildApprovalBody(style: BodyStyle, answer: ApprovalAnswer): Record<string, unknown> {
  if (style !== 'next')
    throw new RequestError('invalid_request', `The ${style} body style cannot answer tool approvals.`);
  const { threadId, ...approval } = answer;
  return { threadId, approval, stream: true };
}

/**
 * Shapes a chat input into the request body of a server family:
 * - `next` (the `@relaykit/next` route): `{message, threadId?, agent?, metadata?, stream: true}`;
 * - `health-agent` (Supabase edge function): `{message, user, deviceId?, stream: true}`;
 * - `ai-chat-system` (Supabase edge function): `{message, sessionId?, agentType?}`.
 *
 * @throws RequestError `invalid_request` when the message is empty or `health-agent` has
 *   no user.
 */
export function buildChatBody(style: BodyStyle, input: ChatInput): Record<string, unknown> {
  if (input.message.trim() === '') throw new RequestError('invalid_request', 'The message is empty.');
  const body: Record<string, unknown> = { message: input.message };
  switch (style) {
    case 'next':
      if (input.threadId !== undefined) body.threadId = input.threadId;
      if (input.agent !== undefined) body.agent = input.agent;
      if (input.metadata !== undefined && Object.keys(input.metadata).length > 0)
        body.metadata = input.metadata;
      body.stream = true;
      return body;
    case 'health-agent':
      if (input.user === undefined || input.user === '') {
        throw new RequestError('invalid_request', 'The health-agent body style needs a user (--user).');
      }
      body.user = input.user;
      if (input.deviceId !== undefined) body.deviceId = input.deviceId;
      body.stream = true;
      return body;
    case 'ai-chat-system':
      if (input.threadId !== undefined) body.sessionId = input.threadId;
      if (input.agent !== undefined) body.agentType = input.agent;
      return body;
    default:
      throw new RequestError('invalid_request', `Unknown body style "${String(style)}".`);
  }
}

const STATUS_CODES: Record<number, RelayKitErrorCode> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  422: 'content_policy',
  429: 'rate_limited',
  499: 'cancelled',
  502: 'provider_error',
  503: 'provider_unavailable',
  504: 'timeout',
};

const REQUEST_CODES = new Set<string>([
  'invalid_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'rate_limited',
  'quota_exceeded',
  'cancelled',
]);
const PROVIDER_CODES = new Set<string>([
  'provider_error',
  'provider_unavailable',
  'content_policy',
  'rate_limited',
  'timeout',
]);
const STORE_CODES = new Set<string>(['store_error', 'store_unavailable']);

/**
 * Reads the `Retry-After` header (delay in seconds, or an HTTP date) as milliseconds from `now`.
 * Returns `undefined` when absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * Turns a non-2xx response into a typed RelayKit error. The code comes from the JSON body when it is a RelayKit
 * code (`{code, message}` or `{error: {code, message}}`), otherwise from the status. `Retry-After` becomes
 * `retryAfterMs`.
 */
export async function errorFromResponse(response: Response): Promise<RelayKitError> {
  const text = await response.text().catch(() => '');
  let bodyCode: string | undefined;
  let bodyMessage: string | undefined;
  let retryable: boolean | undefined;
  try {
    const json = JSON.parse(text) as unknown;
    const candidate =
      typeof json === 'object' && json !== null && 'error' in json && typeof json.error === 'object'
        ? json.error
        : json;
    if (typeof candidate === 'object' && candidate !== null) {
      const record = candidate as Record<string, unknown>;
      if (typeof record.code === 'string') bodyCode = record.code;
      if (typeof record.message === 'string') bodyMessage = record.message;
      if (typeof record.retryable === 'boolean') retryable = record.retryable;
    }
  } catch {
    // Not JSON: fall back to the status and the raw text.
  }
  const code: RelayKitErrorCode =
    bodyCode !== undefined && bodyCode in RELAYKIT_ERROR_CODES
      ? (bodyCode as RelayKitErrorCode)
      : (STATUS_CODES[response.status] ?? (response.status >= 500 ? 'internal' : 'invalid_request'));
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
  const message =
    bodyMessage ??
    (text.trim() !== '' && text.length <= 500 ? text.trim() : `The server answered HTTP ${response.status}.`);
  const options = {
    retryable: retryable ?? (response.status === 429 || response.status === 503),
    retryAfterMs,
    details: { status: response.status },
  };
  if (REQUEST_CODES.has(code)) return new RequestError(code as never, message, options);
  if (PROVIDER_CODES.has(code)) return new ProviderError(code as never, message, options);
  if (STORE_CODES.has(code)) return new StoreError(code as never, message, options);
  return new RelayKitError(code, message, options);
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function cancelled(cause?: unknown): RequestError {
  return new RequestError('cancelled', 'The reply was cancelled.', { cause });
}

function isTerminal(event: ChatStreamEvent): boolean {
  return !('unknown' in event) && (event.event === 'done' || event.event === 'error');
}

function resolveResumeUrl(template: string, session: { sessionId?: string; threadId?: string }): string {
  return template
    .replaceAll('{sessionId}', encodeURIComponent(session.sessionId ?? ''))
    .replaceAll('{threadId}', encodeURIComponent(session.threadId ?? ''));
}

/**
 * Sends a chat message and yields the events of the simple chat stream as they arrive.
 *
 * Reconnection: when the connection drops before `done`/`error` (the body ends early or the network fails), the
 * client waits (the server's `retry:` value, else `retryDelayMs`, doubling per failed attempt up to
 * `maxRetryDelayMs`) and sends `GET resumeUrl` with `Last-Event-ID: <last id received>`. Events whose id was
 * already yielded are skipped, so a server that replays a little too much shows nothing twice. After `maxRetries`
 * attempts in a row without a new event it gives up.
 *
 * A server `error` event is yielded like any other (it is the last one); it does not throw.
 *
 * @throws RequestError / ProviderError / StoreError for a non-2xx answer (see {@link errorFromResponse}), e.g.
 *   `unauthorized` for 401 or `rate_limited` with `retryAfterMs` for 429.
 * @throws RequestError `cancelled` when `signal` aborts.
 * @throws ProviderError `provider_unavailable` (retryable) when the connection is lost and cannot be resumed.
 * @throws RequestError `invalid_request` when the response is not an event stream or a frame is malformed.
 */
export async function* streamChat(
  options: StreamChatOptions,
): AsyncGenerator<ChatStreamEvent, void, undefined> {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const sleep = options.sleep ?? defaultSleep;
  const maxRetries = options.maxRetries ?? 3;
  const baseDelay = options.retryDelayMs ?? 1000;
  const maxDelay = options.maxRetryDelayMs ?? 30_000;
  const signal = options.signal;

  let lastEventId = options.lastEventId;
  let serverRetryMs: number | undefined;
  let failures = 0;
  const seen = new Set<string>();
  const session: { sessionId?: string; threadId?: string } = {};
  let resuming = lastEventId !== undefined;

  while (true) {
    if (signal?.aborted) throw cancelled(signal.reason);
    const headers: Record<string, string> = { accept: 'text/event-stream', ...options.headers };
    let request: RequestInit;
    let url = options.url;
    if (resuming) {
      if (options.resumeUrl === false) {
        throw new ProviderError('provider_unavailable', 'The connection was lost and resuming is disabled.', {
          retryable: true,
        });
      }
      if (options.resumeUrl !== undefined) url = resolveResumeUrl(options.resumeUrl, session);
      headers['last-event-id'] = lastEventId!;
      request = { method: 'GET', headers, signal };
    } else {
      headers['content-type'] = 'application/json';
      request = { method: 'POST', headers, body: JSON.stringify(options.body ?? {}), signal };
    }

    let reason: unknown;
    let progressed = false;
    try {
      let response: Response;
      try {
        response = await fetchImpl(url, request);
      } catch (error) {
        if (signal?.aborted) throw cancelled(signal.reason);
        // Nothing was received yet on a first POST: the request may not have been processed, and retrying a
        // POST could send the message twice, so only a resume (GET) is retried.
        if (!resuming) {
          throw new ProviderError('provider_unavailable', `Cannot reach ${url}: ${describe(error)}`, {
            retryable: true,
            cause: error,
          });
        }
        throw new ConnectionLost(error);
      }
      if (!response.ok) {
        const error = await errorFromResponse(response);
        // A resume answered 5xx may succeed later; anything else is final.
        if (resuming && response.status >= 500) throw new ConnectionLost(error);
        throw error;
      }
      const contentType = response.headers.get('content-type') ?? '';
      if (!contentType.includes('text/event-stream')) {
        const text = await response.text().catch(() => '');
        throw new RequestError(
          'invalid_request',
          `Expected an event stream but the server sent "${contentType || 'no content-type'}".`,
          { details: { status: response.status, body: text.slice(0, 200) } },
        );
      }
      if (response.body === null) throw new ConnectionLost(new Error('empty response body'));

      const events = response.body.pipeThrough(
        createSimpleChatDecoder({
          onRetry: (ms) => {
            serverRetryMs = ms;
          },
        }),
      );
      const reader = events.getReader();
      try {
        while (true) {
          let next: ReadableStreamReadResult<ChatStreamEvent>;
          try {
            next = await reader.read();
          } catch (error) {
            if (signal?.aborted) throw cancelled(signal.reason);
            if (RelayKitError.isInstance(error)) throw error; // a malformed frame: not a network problem
            throw new ConnectionLost(error);
          }
          if (next.done) break;
          const event = next.value;
          if (event.id !== undefined) {
            if (seen.has(event.id)) continue;
            seen.add(event.id);
            lastEventId = event.id;
          }
          progressed = true;
          if (!('unknown' in event) && event.event === 'session') {
            session.sessionId = event.data.sessionId;
            session.threadId = event.data.threadId;
          }
          yield event;
          if (isTerminal(event)) return;
        }
      } finally {
        reader.cancel().catch(() => {});
      }
      reason = new Error('the stream ended before a done or error event');
    } catch (error) {
      if (!(error instanceof ConnectionLost)) throw error;
      reason = error.cause;
    }

    if (progressed) failures = 0;
    failures += 1;
    if (lastEventId === undefined || options.resumeUrl === false || failures > maxRetries) {
      throw new ProviderError(
        'provider_unavailable',
        lastEventId === undefined
          ? `The connection was lost before any event arrived: ${describe(reason)}`
          : options.resumeUrl === false
            ? `The connection was lost after event ${lastEventId} and resuming is disabled: ${describe(reason)}`
            : `The connection was lost after event ${lastEventId} and ${maxRetries} reconnection attempts failed: ${describe(reason)}`,
        { retryable: true, cause: reason, details: { lastEventId } },
      );
    }
    const delayMs = Math.min(maxDelay, (serverRetryMs ?? baseDelay) * 2 ** (failures - 1));
    options.onReconnect?.({ attempt: failures, lastEventId, delayMs, reason });
    try {
      await sleep(delayMs, signal);
    } catch (error) {
      throw cancelled(error);
    }
    resuming = true;
  }
}

/** Marks a dropped connection (network failure, early end of body) that a resume may repair. */
class ConnectionLost extends Error {
  constructor(cause: unknown) {
    super('connection lost', { cause });
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
