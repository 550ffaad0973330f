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
export const { POST } = createChatKitRoute({
  server,
  auth: config.auth ?? { jwtSecret: 'set SUPABASE_JWT_SECRET' },
  maxBodyBytes: 256 * 1024,
});
