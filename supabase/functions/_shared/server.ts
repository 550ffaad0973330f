/**
 * Shared glue of the RelayKit Edge Functions: configuration from `Deno.env` (through `readEdgeConfig`), the store
 * choice, the model access and the edge handler. Every function stays a thin `index.ts` over this file; all logic
 * lives in `@relaykit/agent-core`.
 */
import {
  type AdapterContext,
  type AgentRegistry,
  type ChatKitServer,
  createChatKitServer,
  createModelAccess,
  validateBody,
} from '@relaykit/agent-core';
import { type ChatKitStore, type ChatKitStoreContext, createMemoryStore } from '@relaykit/chatkit-store';
import { createEdgeHandler, type EdgeConfig, readEdgeConfig } from '@relaykit/supabase-edge';
import type { z } from 'zod';

/** The configuration of this function instance, read once from `Deno.env`. */
export function loadConfig(): EdgeConfig {
  return readEdgeConfig();
}

/**
 * The thread store: Postgres when `DATABASE_URL` (or the platform's `SUPABASE_DB_URL`) is set, every call under
 * the caller's `authenticated` role so RLS holds; otherwise an in-memory store (local demos only: an Edge
 * Function instance is short-lived, so threads would not survive it).
 */
export async function createStore(config: EdgeConfig): Promise<ChatKitStore<ChatKitStoreContext>> {
  if (config.databaseUrl) {
    const { createPostgresStore } = await import('@relaykit/chatkit-store/postgres');
    return createPostgresStore({ connectionString: config.databaseUrl });
  }
  console.warn('relaykit: no DATABASE_URL or SUPABASE_DB_URL, threads are kept in memory');
  return createMemoryStore();
}

/**
 * The ChatKit server of a function: the registry's agents on the configured OpenAI endpoint (`OPENAI_API_KEY`,
 * `OPENAI_BASE_URL`; any OpenAI-compatible server, e.g. the fake one in tests).
 */
export async function createServer(
  config: EdgeConfig,
  registry: AgentRegistry,
): Promise<ChatKitServer<AdapterContext>> {
  const store = await createStore(config);
  const modelAccess = createModelAccess<AdapterContext>({
    ...(config.openai.apiKey ? { apiKey: config.openai.apiKey } : {}),
    ...(config.openai.baseURL ? { baseURL: config.openai.baseURL } : {}),
  });
  return createChatKitServer<AdapterContext>({ store, agents: { registry, modelAccess } });
}

/** The Edge Function handler around `server` or `handler`: CORS, JWT (or the platform's `verify_jwt`), 401/413/400. */
export function edgeHandler(
  config: EdgeConfig,
  target:
    | { server: ChatKitServer<AdapterContext> }
    | { handler: (request: Request, context: AdapterContext) => Promise<Response> },
): (request: Request) => Promise<Response> {
  const auth = config.trustPlatformJwt ? { trustPlatformJwt: true as const } : config.auth;
  if (!auth) {
    throw new Error(
      'relaykit: set SUPABASE_JWT_SECRET or SUPABASE_URL (JWKS) so the function can verify callers',
    );
  }
  return createEdgeHandler({ ...target, auth, cors: config.cors });
}

/**
 * Validates a JSON body (400 with the zod issues). The edge handler has already capped the body (413) and checked
 * it is JSON (400); a body of only whitespace counts as `{}` here.
 */
export async function readJsonBody<TSchema extends z.ZodType>(
  request: Request,
  schema: TSchema,
): Promise<z.output<TSchema>> {
  const text = await request.text();
  return validateBody(schema, text.trim() === '' ? {} : JSON.parse(text));
}

/**
 * Serves `handler`: on Supabase the runtime chooses the socket (`Deno.serve(handler)`); locally, with
 * `RELAYKIT_LOCAL_PORT` set (0 picks a free port), on 127.0.0.1, printing `LISTENING <port>`.
 */
export function serve(handler: (request: Request) => Promise<Response>): void {
  // biome-ignore lint/suspicious/noUndeclaredEnvVars: read by the deployed function at runtime, not by a turbo task
  const localPort = Deno.env.get('RELAYKIT_LOCAL_PORT');
  if (localPort === undefined) {
    Deno.serve(handler);
    return;
  }
  Deno.serve(
    {
      hostname: '127.0.0.1',
      port: Number(localPort),
      onListen: ({ port }) => console.log(`LISTENING ${port}`),
    },
    handler,
  );
}
