import { type AdapterContext, type ChatKitServer, createChatStreamHandler } from '@relaykit/agent-core';
import { type ChatKitRouteOptions, createChatKitRoute, type RouteHandler } from './chatkit-route';

/** Options of {@link createChatStreamRoute}: those of `createChatKitRoute`, with the full ChatKit server. */
export interface ChatStreamRouteOptions<TContext = AdapterContext>
  extends Omit<ChatKitRouteOptions<TContext>, 'server' | 'handler'> {
  /** The ChatKit server (`createChatKitServer()`); the route speaks the simple chat protocol on top of it. */
  server: ChatKitServer<TContext>;
}

/**
 * Creates the simple chat route (`app/api/chat/route.ts`): POST `{ message, threadId?, agent?, metadata?, stream?,
 * sessionId? }` answers the simple SSE events (`session`, `chunk`, `text_done`, `response_done`, `done`, `error`) or,
 * with `stream: false`, one JSON reply. Same auth, body cap, rate limit and error mapping as the ChatKit route.
 */
export function createChatStreamRoute<TContext = AdapterContext>(
  options: ChatStreamRouteOptions<TContext>,
): { POST: RouteHandler } {
  const { server, ...rest } = options;
  return createChatKitRoute<TContext>({ ...rest, server: createChatStreamHandler(server) });
}
