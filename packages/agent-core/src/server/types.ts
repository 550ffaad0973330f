import type { ChatKitStore } from '@relaykit/chatkit-store';
import type {
  Action,
  Attachment,
  ChatKitRequest,
  StreamOptions,
  ThreadItem,
  ThreadMetadata,
  ThreadStreamEventInput,
  UserMessageItem,
  WidgetItem,
} from '@relaykit/sse-protocol';
import type { AgentRoute } from '../agents/registry';
import type { ChatKitAgentsOptions } from './agents-respond';

/** Cancel marker text the server saves as an `sdk_hidden_context` item when the client disconnects mid-run (docs/specs/chatkit-protocol.md §6.6). */
export const CANCELLED_STREAM_CONTEXT =
  'The user cancelled the stream. Stop responding to the prior request.';

/**
 * The `sdk_hidden_context` saved after the partial text of a reply whose run failed mid-way (a provider stream that
 * broke or timed out), so the model knows on the next turn that its previous answer is incomplete.
 */
export const INCOMPLETE_REPLY_CONTEXT =
  'The previous assistant reply was cut off by an error before it finished; it is incomplete.';

/** `limit` used when a paged request sends none or `0` (docs/specs/chatkit-protocol.md §2.B). */
export const DEFAULT_PAGE_SIZE = 20;

/** What a `respond` / `action` handler yields: any ChatKit stream event (validated on the way out). */
export type ChatKitHandlerEvents = AsyncIterable<ThreadStreamEventInput>;

/** Per-run information the server hands to `respond` and `action`. */
export interface ChatKitRunInfo {
  /** Aborts when the client disconnects or the run is stopped; stop model calls on it. */
  signal: AbortSignal;
  /** The request's free-form `metadata` (integration data such as the agent type). */
  requestMetadata: Record<string, unknown>;
  /**
   * The route the server already chose for this run (with the `agents` option, for a new user message): the agents
   * responder uses it instead of routing again. Absent when the server did not route (custom `respond`, client tool
   * output, structured input, retry).
   */
  route?: AgentRoute;
}

const TRUSTED_EVENTS = Symbol.for('relaykit.trustedEvents');

/**
 * Marks a responder whose events are built by a RelayKit translator (typed, complete): the server does not check them
 * against the ChatKit schema one by one. Returns the same function.
 */
export function trustResponderEvents<T extends (...args: never[]) => unknown>(respond: T): T {
  (respond as unknown as Record<symbol, boolean>)[TRUSTED_EVENTS] = true;
  return respond;
}

/** Whether {@link trustResponderEvents} marked this responder. */
export function hasTrustedEvents(respond: unknown): boolean {
  return (respond as Record<symbol, unknown> | undefined)?.[TRUSTED_EVENTS] === true;
}

/**
 * Produces the assistant's answer. `input` is the user message (`null` after a client tool output or structured
 * input). Mutating `thread` (title, status, metadata) makes the server save it and emit `thread.updated`.
 */
export type ChatKitRespond<TContext> = (
  thread: ThreadMetadata,
  input: UserMessageItem | null,
  context: TContext,
  info: ChatKitRunInfo,
) => ChatKitHandlerEvents;

/** Handles `threads.custom_action`; `sender` is the widget item that sent it, if any. */
export type ChatKitAction<TContext> = (
  thread: ThreadMetadata,
  action: Action,
  sender: WidgetItem | null,
  context: TContext,
  info: ChatKitRunInfo,
) => ChatKitHandlerEvents;

/** Handles `threads.sync_custom_action`; returns the updated item or null. It must persist changes itself. */
export type ChatKitSyncAction<TContext> = (
  thread: ThreadMetadata,
  action: Action,
  sender: WidgetItem | null,
  context: TContext,
) => Promise<ThreadItem | null> | ThreadItem | null;

/** Stores attachment bytes (docs/specs/chatkit-protocol.md §7). `createAttachment` starts a two-phase upload. */
export interface AttachmentStore<TContext> {
  /** Returns the attachment (with `upload_descriptor` for the upload); the server saves its metadata. */
  createAttachment(
    input: { name: string; size: number; mime_type: string },
    context: TContext,
  ): Promise<Attachment>;
  /**
   * Deletes the bytes; the server calls it only after loading the attachment as the caller (another user's or an
   * unknown attachment is a 404 `not_found` and never reaches this), then deletes the metadata.
   */
  deleteAttachment(attachmentId: string, context: TContext): Promise<void>;
}

/** Audio handed to the transcriber: `media_type` is `mime_type` cut at the first `;`. */
export interface TranscriptionInput {
  data: Uint8Array;
  mime_type: string;
  media_type: string;
  /** Aborted when the client goes away; forward it to the provider call (`create(body, { signal })`). */
  signal?: AbortSignal;
}

/**
 * A rate limiter the server consults before a model run (the `@relaykit/usage-tracker` `RateLimiter` fits). A denial
 * answers 429 with `Retry-After`; with `limit` and `remaining` also the `RateLimit-*` headers (`reset`, epoch ms,
 * defaults to now + `retryAfterMs`; `windowMs` adds `RateLimit-Policy`).
 */
export interface ChatKitRateLimiter {
  limit(key: string): Promise<{
    success: boolean;
    retryAfterMs?: number;
    limit?: number;
    remaining?: number;
    reset?: number;
    windowMs?: number;
  }>;
}

/** Options of {@link createChatKitServer}. */
export interface ChatKitServerOptions<TContext> {
  /** Where threads, items and attachment metadata live. */
  store: ChatKitStore<TContext>;
  /**
   * The responder. Required unless `agents` is given. With both, `respond` answers and `agents` still checks routing
   * before the stream: wrap `createAgentsRespond(store, agents)` to add events around the agents' run (a widget after a
   * tool) and keep the 400 answers for a bad agent type or missing metadata.
   */
  respond?: ChatKitRespond<TContext>;
  /** Runs registry agents on the Agents SDK as the default responder (routing validated before the stream). */
  agents?: ChatKitAgentsOptions<TContext>;
  /** Handler of `threads.custom_action`. Without it the request answers `invalid_request`. */
  action?: ChatKitAction<TContext>;
  /** Handler of `threads.sync_custom_action`. */
  syncAction?: ChatKitSyncAction<TContext>;
  /** Attachment bytes; without it `attachments.create/delete` answer `invalid_request`. */
  attachments?: AttachmentStore<TContext>;
  /** Called on `items.feedback` after the store recorded it. */
  onFeedback?: (
    threadId: string,
    itemIds: string[],
    kind: 'positive' | 'negative',
    context: TContext,
  ) => Promise<void> | void;
  /** Speech to text for `input.transcribe`. */
  transcribe?: (input: TranscriptionInput, context: TContext) => Promise<{ text: string }> | { text: string };
  /** `stream_options` sent first in every run. Default `{ allow_cancel: true }`. */
  getStreamOptions?: (thread: ThreadMetadata, context: TContext) => StreamOptions;
  /**
   * Consulted before every run that calls the model; denied → HTTP 429 JSON with `Retry-After`. A request a route's
   * guard already rate-limited (the adapters' and `createGuardedHandler`'s `rateLimiter`) is not limited again: one
   * decision per request.
   */
  rateLimiter?: ChatKitRateLimiter;
  /** Rate-limit key of a request. Default: the context's `userId`. */
  rateLimitKey?: (context: TContext) => string;
  /**
   * Largest accepted request body in bytes. Default `DEFAULT_MAX_BODY_BYTES` (1 MiB). `input.transcribe` carries its audio
   * as base64 in the body: set `MAX_TRANSCRIPTION_BODY_BYTES` to accept audio up to OpenAI's 25 MB limit.
   */
  maxBodyBytes?: number;
  /**
   * Check every event `respond` and `action` yield against the ChatKit schema before it is persisted and sent
   * (`TypeError` → an `error` event when one is malformed). Default: on for a custom `respond`, off for the agents
   * responder, whose translator builds typed events. Turn it off in production once a custom responder is tested.
   */
  validateEvents?: boolean;
  /** Clock for `created_at`. Default `() => new Date()`. */
  now?: () => Date;
  /** SSE heartbeat interval; default 0 (the reference sends no comments). */
  heartbeatMs?: number;
  /** Called with errors turned into `error` events (never with the request body). */
  onError?: (error: unknown, context: TContext) => void;
}

/** Per-request options of {@link ChatKitServer.process}. */
export interface ChatKitProcessOptions {
  /** Aborts the run (client disconnect or stop). */
  signal?: AbortSignal;
  /**
   * Called with the error a run failed with, before it becomes the spec's `error` event (which carries only
   * `stream.error` or `custom`). Lets a caller such as the simple chat stream report the error's own `code`.
   */
  onRunError?: (error: unknown) => void;
}

/** A non-streaming answer of {@link ChatKitCore.run}: the JSON value to send. */
export interface ChatKitJsonResult {
  readonly kind: 'json';
  readonly value: unknown;
}

/** A streaming answer of {@link ChatKitCore.run}: the typed ChatKit events of the run, and what it runs on. */
export interface ChatKitStreamResult {
  readonly kind: 'stream';
  /**
   * The events, to iterate once: the ones already persisted (`thread.created`, the user message), then the run's
   * (`stream_options` first). Abort the run with the `signal` given to `run` and keep iterating: the server saves the
   * partial answer and the cancellation marker, and the events end. A run's failure is an `error` event (see
   * `runErrorOf`).
   */
  readonly events: AsyncIterable<ThreadStreamEventInput>;
  /** The thread the run is on (null for an empty stream). Its `metadata.last_run` is set when the events end. */
  readonly thread: ThreadMetadata | null;
  /** The route chosen before the first event (agents responder, new user message). */
  readonly route?: AgentRoute;
}

/** What {@link ChatKitCore.run} answers: a JSON value or a stream of events. */
export type ChatKitResult = ChatKitJsonResult | ChatKitStreamResult;

/** The ChatKit server without HTTP: requests in, JSON values or typed events out. */
export interface ChatKitCore<TContext> {
  /** Validates a parsed JSON body (or a JSON string) as a ChatKit request; `invalid_request` otherwise. */
  parse(body: unknown): ChatKitRequest;
  /**
   * Answers a validated request. Every error found before the stream (unknown thread, bad item, routing, rate limit)
   * rejects with its RelayKit error; the HTTP layer answers it as JSON with the code's status.
   */
  run(request: ChatKitRequest, context: TContext, options?: ChatKitProcessOptions): Promise<ChatKitResult>;
  /** The store the server persists to. */
  readonly store: ChatKitStore<TContext>;
}

/** The server: its core (`run`), `handle` for Web `Request`s, `process` for an already-read body. */
export interface ChatKitServer<TContext> extends ChatKitCore<TContext> {
  /** Answers one ChatKit request: JSON (2xx or a 4xx/5xx `{ error }`) or a `text/event-stream`. */
  handle(request: Request, context: TContext): Promise<Response>;
  /**
   * Like `handle`, for a request whose body was already read and parsed (the adapters' guard does that): `body` is
   * the parsed JSON, `request` gives the method and the abort signal.
   */
  handleJson(body: unknown, request: Request, context: TContext): Promise<Response>;
  /** Like `handle`, for a body that is already parsed JSON (or a JSON string). */
  process(body: unknown, context: TContext, options?: ChatKitProcessOptions): Promise<Response>;
}
