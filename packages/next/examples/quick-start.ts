// app/api/chatkit/route.ts: the ChatKit endpoint of a Next.js App Router app.
import type { AdapterContext } from '@relaykit/agent-core';
import { createChatKitRoute, readRelayKitConfig } from '@relaykit/next';

// Stand-in for `createChatKitServer({ ... })` from @relaykit/agent-core.
const server = {
  async handle(request: Request, context: AdapterContext): Promise<Response> {
    const body = (await request.json()) as { type: string };
    return Response.json({ type: body.type, userId: context.userId });
  },
};

const config = readRelayKitConfig();
if (!config.auth)
  throw new Error('Set SUPABASE_JWT_SECRET (or SUPABASE_URL for its JWKS) to verify callers.');
export const { POST } = createChatKitRoute({
  server,
  auth: config.auth,
  maxBodyBytes: 256 * 1024,
});
