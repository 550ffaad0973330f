import type { ChatKitServer } from '@relaykit/agent-core';
import { type AdapterContext, createChatStreamHandler } from '@relaykit/agent-core/http';
import type { StreamLog } from '@relaykit/sse-protocol';
import { type ChatKitRouteOptions, createChatKitRoute, type RouteHandler } from './chatkit-route';

/** Options of {@link createChatStreamRoute}: those of `createChatKitRoute`, with the full ChatKit server. */
export interface ChatStreamRouteOptions<TContext = AdapterContext>
  extends Omit<ChatKitRouteOptions<TContext>, 'server' | 'handler'> {
  /** The ChatKit server (`createChatKitServer()`); the route speaks the simple chat protocol on top of it. */
  server: ChatKitServer<TContext>;
  /**
   * Makes runs resumable and stoppable from any instance sharing the log (`createRedisStreamLog` of
   * `@relaykit/sse-protocol/redis`, `createPostgresStreamLog` of `@relaykit/sse-protocol/postgres`;
   * `createMemoryStreamLog` for one instance). Without it,
   * `GET` and `DELETE` answer 400 and a client disconnect cancels the run.
   */
  streamLog?: StreamLog;
  /** SSE heartbeat interval in milliseconds; defaults to 15 000, `0` turns heartbeats off. */
  heartbeatMs?: number;
}

/** The handlers of {@link createChatStreamRoute}, for `export const { POST, GET, DELETE } = ...`. */
export interface ChatStreamRoute {
  /** Starts a chat run (rate limited). */
  POST: RouteHandler;
  /** `?sessionId=` + `Last-Event-ID` (or `&lastEventId=`): resumes a run (needs `streamLog`). */
  GET: RouteHandler;
  /** `?sessionId=`: stops a run on any instance, `200 { sessionId, state }` (needs `streamLog`). */
  DELETE: RouteHandler;
}

/**
 * Creates the simple chat route (`app/api/chat/route.ts`): POST `{ message, threadId?, agent?, metadata?, stream?,
 * sessionId? }` answers the simple SSE events (`session`, `chunk`, `text_done`, `response_done`, `done`, `error`) or,
 * with `stream: false`, one JSON reply. With `streamLog`, `GET ?sessionId=` resumes a run after its `Last-Event-ID`
 * and `DELETE ?sessionId=` stops it (see `createChatStreamHandler` in `@relaykit/agent-core`). Same auth, body cap
 * and error mapping as the ChatKit route on every method; the rate limit applies to POST only.
 */
export function createChatStreamRoute<TContext = AdapterContext>(
  options: ChatStreamRouteOptions<TContext>,
): ChatStreamRoute {
  const { server, streamLog, heartbeatMs, rateLimiter, ...rest } = options;
  const handler = createChatStreamHandler(server, {
    ...(streamLog ? { streamLog } : {}),
    ...(heartbeatMs === undefined ? {} : { heartbeatMs }),
    ...(rest.maxBodyBytes === undefined ? {} : { maxBodyBytes: rest.maxBodyBytes }),
  });
  const { POST } = createChatKitRoute<TContext>({
    ...rest,
    ...(rateLimiter ? { rateLimiter } : {}),
    server: handler,
  });
  const { POST: unlimited } = createChatKitRoute<TContext>({ ...rest, server: handler });
  return { POST, GET: unlimited, DELETE: unlimited };
}
