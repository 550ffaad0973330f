/**
 * Scenario B, the mobile health assistant: `POST {message, user, deviceId?, stream}`. `stream: true` answers the
 * simple SSE events `session`, `chunk`, `text_done`, `response_done`, `done` (or `error`); `stream: false` one JSON
 * body `{success, session: {id, user, threadId}, message, agent, threadId, sessionId, usage}`. The caller is the
 * verified Supabase user; `user` is the app's own label, kept as thread metadata.
 */
import { type ChatStreamResult, createChatStream } from '@relaykit/agent-core';
import { z } from 'zod';
import { healthAssistantRegistry } from '../_shared/agents.ts';
import { createFunctionHandler, readJsonBody, serve } from '../_shared/server.ts';

const HealthAgentBody = z.object({
  message: z.string().min(1).max(32_000),
  user: z.string().min(1).max(256).optional(),
  deviceId: z.string().min(1).max(256).optional(),
  stream: z.boolean().optional(),
  sessionId: z.string().min(1).max(256).optional(),
});

export const handler = createFunctionHandler(healthAssistantRegistry, (server) => ({
  handler: async (request, context) => {
    const body = await readJsonBody(request, HealthAgentBody);
    const stream = body.stream ?? true;
    const response = await createChatStream(
      server,
      {
        message: body.message,
        agent: 'health',
        metadata: {
          ...(body.deviceId ? { deviceId: body.deviceId } : {}),
          ...(body.user ? { appUser: body.user } : {}),
        },
        stream,
        ...(body.sessionId ? { sessionId: body.sessionId } : {}),
        signal: request.signal,
      },
      context,
    );
    if (stream || !response.ok) return response;
    // The app's JSON shape: `success` and `session` beside the reply (`message`) and its thread.
    const result = (await response.json()) as ChatStreamResult;
    return Response.json({
      success: true,
      session: { id: result.sessionId, user: body.user ?? context.userId, threadId: result.threadId },
      ...result,
    });
  },
}));

serve(handler);
