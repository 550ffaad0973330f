/**
 * Scenario A, the multi-agent workflow assistant: `POST {message, sessionId?, agentType?, stream?}`. The
 * orchestrator hands off to a specialist unless `agentType` names one. `sessionId` continues an earlier
 * conversation (the `threadId` of a previous answer). JSON by default; SSE with `stream: true` or
 * `Accept: text/event-stream`.
 */
import { createChatStream } from '@relaykit/agent-core';
import { z } from 'zod';
import { workflowAssistantRegistry } from '../_shared/agents.ts';
import { createFunctionHandler, readJsonBody, serve } from '../_shared/server.ts';

const AiChatSystemBody = z.object({
  message: z.string().min(1).max(32_000),
  sessionId: z.string().min(1).max(256).optional(),
  agentType: z.enum(['orchestrator', 'workflow_designer', 'deployment', 'system']).optional(),
  stream: z.boolean().optional(),
});

export const handler = createFunctionHandler(workflowAssistantRegistry, (server) => ({
  handler: async (request, context) => {
    const body = await readJsonBody(request, AiChatSystemBody);
    const stream = body.stream ?? (request.headers.get('accept') ?? '').includes('text/event-stream');
    return createChatStream(
      server,
      {
        message: body.message,
        ...(body.sessionId ? { threadId: body.sessionId } : {}),
        ...(body.agentType ? { agent: body.agentType } : {}),
        stream,
        signal: request.signal,
      },
      context,
    );
  },
}));

serve(handler);
