// supabase/functions/health-agent/index.ts: served with Deno.serve(handler) on Supabase Edge Functions.
import type { AdapterContext } from '@relaykit/agent-core';
import { createEdgeHandler, readEdgeConfig } from '@relaykit/supabase-edge';

const config = readEdgeConfig(); // Deno.env
const auth = config.trustPlatformJwt ? { trustPlatformJwt: true as const } : config.auth;
if (!auth) throw new Error('Set SUPABASE_JWT_SECRET (or SUPABASE_URL for its JWKS) to verify callers.');
export const handler = createEdgeHandler({
  auth,
  cors: config.cors,
  // Stand-in for createChatKitServer({ ... }) from @relaykit/agent-core.
  handler: async (request: Request, context: AdapterContext) => {
    const { message } = (await request.json()) as { message: string };
    return Response.json({ reply: `You said: ${message}`, userId: context.userId });
  },
});
// Deno.serve(handler);
