import { z } from 'zod';
import { createChatStream } from '../server/chat-stream';
import type { ChatKitServer } from '../server/types';
import { validateBody } from './body';
import type { ChatKitServerLike } from './guard';

/** The JSON body of the simple chat endpoint (mobile clients, curl, the health assistant). */
export const ChatStreamBody = z.object({
  /** The user's text. */
  message: z.string().min(1).max(32_000),
  /** Continue this thread; without it a new thread is created. */
  threadId: z.string().min(1).max(256).optional(),
  /** Agent type to answer. */
  agent: z.string().min(1).max(128).optional(),
  /** Request metadata for routing and context builders. */
  metadata: z.record(z.string(), z.unknown()).optional(),
  /** `false` answers one JSON document instead of SSE. Default true. */
  stream: z.boolean().optional(),
  /** Names the stream in every event. */
  sessionId: z.string().min(1).max(256).optional(),
});
export type ChatStreamBody = z.infer<typeof ChatStreamBody>;

/**
 * Wraps a ChatKit server as the simple chat endpoint both adapters serve: validates {@link ChatStreamBody}
 * (400 with the zod issues) and answers through `createChatStream` (simple SSE events, or JSON with
 * `stream: false`). The request's abort signal cancels the run.
 */
export function createChatStreamHandler<TContext>(
  server: ChatKitServer<TContext>,
): ChatKitServerLike<TContext> {
  return {
    async handle(request, context) {
      const body = validateBody(ChatStreamBody, await request.json());
      return createChatStream(server, { ...body, signal: request.signal }, context);
    },
  };
}
