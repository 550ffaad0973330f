// app/api/chatkit/route.ts: the ChatKit endpoint of a Next.js App Router app.
import type { AdapterContext } from '@relaykit/agent-core';
import { createChatKitRoute, createEnvironmentAuthenticator } from '@relaykit/next';

// Stand-in for `createChatKitServer({ ... })` from @relaykit/agent-core.
const server = {
  async handle(request: Request, context: AdapterContext): Promise<Response> {
    const body = (await request.json()) as { type: string };
    return Response.json({ type: body.type, userId: context.userId });
  },
};

// SUPABASE_JWT_SECRET (or SUPABASE_URL, for its JWKS) is read at the first request, so `next build` needs no
// secrets; while it is missing, requests get 500 `configuration` and the server logs why.
export const { POST } = createChatKitRoute({
  server,
  auth: createEnvironmentAuthenticator(),
  maxBodyBytes: 256 * 1024,
});
