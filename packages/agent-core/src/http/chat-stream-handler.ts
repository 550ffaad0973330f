import {
  boundedJsonRecord,
  boundedText,
  CHATKIT_REQUEST_LIMITS,
  ChatKitId,
  RequestError,
  type StreamLog,
} from '@relaykit/sse-protocol';
import { z } from 'zod';
import { resumeChatStream, stopChatStream } from '../server/chat-stream-resumable';
import type { ChatKitServer } from '../server/types';
import { DEFAULT_MAX_BODY_BYTES, readJsonBody, validateBody } from './body';
import { createChatStream } from './chat-stream';
import { jsonResponse } from './errors';
import type { ChatKitServerLike } from './guard';

/** The JSON body of the simple chat endpoint (mobile clients, curl, the health assistant). */
export const ChatStreamBody = z
  .object({
    /** The user's text (no NUL, no lone surrogate: what Postgres can store). Required unless `approval` is given. */
    message: boundedText(32_000, 1).optional(),
    /** Answers an `approval_required` event of this thread instead of sending a message (needs `threadId`). */
    approval: z
      .object({
        approvalId: ChatKitId,
        callId: boundedText(256, 1),
        decision: z.enum(['approve', 'reject']),
      })
      .optional(),
    /** Continue this thread (a ChatKit id: 1-128 letters, digits, `_`, `-`); without it a new thread is created. */
    threadId: ChatKitId.optional(),
    /** Agent type to answer. */
    agent: boundedText(128, 1).optional(),
    /** Request metadata for routing and context builders (at most 64 KiB of JSON). */
    metadata: boundedJsonRecord(CHATKIT_REQUEST_LIMITS.metadataBytes).optional(),
    /** `false` answers one JSON document instead of SSE. Default true. */
    stream: z.boolean().optional(),
    /** Names the stream in every event (with a `streamLog`: 1-128 letters, digits, `_`, `.`, `-`). */
    sessionId: boundedText(256, 1).optional(),
  })
  .superRefine((body, context) => {
    if (!body.approval) {
      if (body.message === undefined)
        context.addIssue({ code: 'custom', path: ['message'], message: 'A message is required.' });
      return;
    }
    if (body.threadId === undefined)
      context.addIssue({ code: 'custom', path: ['threadId'], message: 'An approval needs its threadId.' });
    if (body.message !== undefined)
      context.addIssue({
        code: 'custom',
        path: ['message'],
        message: 'Send a message or an approval, not both.',
      });
  });
export type ChatStreamBody = z.infer<typeof ChatStreamBody>;

/** Options of {@link createChatStreamHandler}. */
export interface ChatStreamHandlerOptions {
  /**
   * Makes POST runs resumable (`createChatStream` with `streamLog`) and enables `GET ?sessionId=` (resume by
   * `Last-Event-ID`) and `DELETE ?sessionId=` (stop, from any instance sharing the log).
   */
  streamLog?: StreamLog;
  /** Largest accepted JSON body; defaults to 1 MiB (413 above). */
  maxBodyBytes?: number;
  /** SSE heartbeat interval; defaults to 15 000 ms, `0` turns heartbeats off. */
  heartbeatMs?: number;
}

function requireLog(log: StreamLog | undefined, method: string): StreamLog {
  if (log) return log;
  throw new RequestError(
    'invalid_request',
    `${method} on the chat stream endpoint needs resumable runs (createChatStreamHandler with a streamLog).`,
  );
}

/**
 * Wraps a ChatKit server as the simple chat endpoint both adapters serve.
 *
 * - `POST` validates {@link ChatStreamBody} (an empty body is `{}`; 400 with the zod issues) and answers through
 *   `createChatStream` (simple SSE events, or JSON with `stream: false`). Without `streamLog` the request's abort
 *   signal cancels the run; with it the run is resumable and only a stop cancels it.
 * - `GET ?sessionId=<id>` with `Last-Event-ID` (or `?lastEventId=`) replays the run after that id, then follows it
 *   live (`resumeChatStream`); unknown, expired or another user's session → 404.
 * - `DELETE ?sessionId=<id>` stops the run on whichever instance runs it (`stopChatStream`) and answers
 *   `200 { sessionId, state }`.
 *
 * `GET` and `DELETE` need `streamLog`; other methods are `invalid_request`.
 */
export function createChatStreamHandler<TContext>(
  server: ChatKitServer<TContext>,
  options: ChatStreamHandlerOptions = {},
): ChatKitServerLike<TContext> {
  const { streamLog } = options;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const post = (body: ChatStreamBody, request: Request, context: TContext) =>
    createChatStream(
      server,
      { ...body, signal: request.signal, heartbeatMs, ...(streamLog ? { streamLog } : {}) },
      context,
    );
  const handler: ChatKitServerLike<TContext> = {
    async handleJson(body, request, context) {
      // GET and DELETE carry their input in the URL: the parsed body (normally `{}`) is not theirs.
      if (request.method !== 'POST') return handler.handle(request, context);
      return post(validateBody(ChatStreamBody, body), request, context);
    },
    async handle(request, context) {
      const url = new URL(request.url);
      switch (request.method) {
        case 'POST': {
          const body = await readJsonBody(request, {
            schema: ChatStreamBody,
            maxBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
          });
          return post(body, request, context);
        }
        case 'GET':
          return resumeChatStream(
            requireLog(streamLog, 'GET'),
            {
              sessionId: url.searchParams.get('sessionId'),
              lastEventId: request.headers.get('last-event-id') ?? url.searchParams.get('lastEventId'),
              signal: request.signal,
              heartbeatMs,
            },
            context,
          );
        case 'DELETE': {
          const result = await stopChatStream(
            requireLog(streamLog, 'DELETE'),
            url.searchParams.get('sessionId'),
            context,
          );
          return jsonResponse(result);
        }
        default:
          throw new RequestError(
            'invalid_request',
            `The chat stream endpoint answers POST, GET and DELETE, not ${request.method}.`,
          );
      }
    },
  };
  return handler;
}
