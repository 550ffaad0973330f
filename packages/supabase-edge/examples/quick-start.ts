// supabase/functions/health-agent/index.ts: served with Deno.serve(handler) on Supabase Edge Functions.
import type { AdapterContext } from '@relaykit/agent-core';
import { createEdgeHandler, createEnvironmentAuthenticator, readEdgeConfig } from '@relaykit/supabase-edge';

export const handler = createEdgeHandler({
  // Deno.env's SUPABASE_JWT_SECRET (or SUPABASE_URL's JWKS), read at the first request: the function boots
  // without it, and answers 500 `configuration` (logged) until it is set.
  auth: createEnvironmentAuthenticator(),
  cors: readEdgeConfig().cors, // ALLOWED_ORIGINS
  // Stand-in for createChatKitServer({ ... }) from @relaykit/agent-core.
  handler: async (request: Request, context: AdapterContext) => {
    const { message } = (await request.json()) as { message: string };
    return Response.json({ reply: `You said: ${message}`, userId: context.userId });
  },
});
// Deno.serve(handler);
