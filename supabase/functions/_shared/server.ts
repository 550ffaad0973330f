/**
 * Shared glue of the RelayKit Edge Functions: configuration from `Deno.env` (through `readEdgeConfig`), the store
 * choice, the model access and the edge handler, all built at a function's first request (`createFunctionHandler`),
 * so a missing secret or a bad setting answers 500 `configuration` (logged) instead of failing the boot. Every
 * function stays a thin `index.ts` over this file; all logic lives in `@relaykit/agent-core`.
 */
import {
  type AdapterContext,
  type AgentRegistry,
  type ChatKitServer,
  createChatKitServer,
  createDeferredHandler,
  createModelAccess,
  parseJsonBody,
  validateBody,
} from '@relaykit/agent-core';
import { type ChatKitStore, type ChatKitStoreContext, createMemoryStore } from '@relaykit/chatkit-store';
import {
  createEdgeHandler,
  type EdgeConfig,
  RelayKitError,
  readEdgeConfig,
  type VaultApiKeyResolver,
} from '@relaykit/supabase-edge';
import {
  createMemoryRateLimitStore,
  createMemoryUsageStore,
  createPriceTable,
  createRateLimiter,
  createUsageRecorder,
  fixedWindow,
  type RateLimiter,
  type RateLimitStore,
  type UsageRecorder,
  type UsageStore,
} from '@relaykit/usage-tracker';
import type { z } from 'zod';
import { vaultApiKeys } from './vault.ts';

/** A setting the function cannot run without, or one with a bad value: 500 `configuration`, message client-safe. */
function configurationError(message: string): RelayKitError {
  return new RelayKitError('configuration', message);
}

/** What a function serves once its server exists: the ChatKit protocol (`server`) or its own `handler`. */
export type FunctionTarget =
  | { server: ChatKitServer<AdapterContext> }
  | { handler: (request: Request, context: AdapterContext) => Promise<Response> };

/**
 * The function's request handler, built at its first request: the configuration from `Deno.env`, the backends, the
 * ChatKit server over `agents()`, and the edge handler around `target(server)`. While that fails (a missing secret, a
 * bad setting, an unreachable database) each request answers the error (500 `configuration` for settings) and logs it;
 * the next request tries again.
 */
export function createFunctionHandler(
  agents: () => AgentRegistry,
  target: (server: ChatKitServer<AdapterContext>) => FunctionTarget,
): (request: Request) => Promise<Response> {
  return createDeferredHandler(
    async () => {
      const config = readEdgeConfig();
      edgeAuth(config); // before any pool is opened: a missing secret must not leak a pool per request
      const backends = await createBackends(config);
      return edgeHandler(config, backends, target(createServer(config, backends, agents())));
    },
    { onBuildError: (error) => console.error('relaykit: the function could not start:', error) },
  );
}

/** What the functions run on: the thread store, the per-user rate limiter and the usage recorder. */
export interface Backends {
  store: ChatKitStore<ChatKitStoreContext>;
  rateLimiter?: RateLimiter;
  usage: UsageRecorder;
  /** With `OPENAI_KEY_SOURCE=vault`: each user's OpenAI key from Supabase Vault (see `vault.ts`). */
  apiKeys?: VaultApiKeyResolver<AdapterContext>;
}

/**
 * Postgres when `DATABASE_URL` (or the platform's `SUPABASE_DB_URL`) is set: one postgres.js pool for the threads
 * (every call under the caller's `authenticated` role, so RLS holds), the rate-limit counters and the usage rows.
 * Otherwise in-memory stores (local demos only: an Edge Function instance is short-lived).
 * `RELAYKIT_RATE_LIMIT_PER_MINUTE` (default 20, `0` turns it off) limits each user's requests per minute.
 * `OPENAI_KEY_SOURCE=vault` reads the OpenAI keys from Supabase Vault on the same pool (it needs the database).
 */
export async function createBackends(config: EdgeConfig): Promise<Backends> {
  const perMinute = Number(Deno.env.get('RELAYKIT_RATE_LIMIT_PER_MINUTE') ?? '20');
  if (!Number.isInteger(perMinute) || perMinute < 0) {
    throw configurationError(
      'RELAYKIT_RATE_LIMIT_PER_MINUTE must be a whole number (0 turns the limit off).',
    );
  }
  const prices = createPriceTable();
  let store: ChatKitStore<ChatKitStoreContext>;
  let rateLimits: RateLimitStore;
  let usage: UsageStore;
  let apiKeys: VaultApiKeyResolver<AdapterContext> | undefined;
  if (config.openaiKeySource === 'vault' && !config.databaseUrl) {
    throw configurationError('OPENAI_KEY_SOURCE=vault needs the database (SUPABASE_DB_URL or DATABASE_URL).');
  }
  if (config.databaseUrl) {
    const [{ default: postgres }, { createPostgresStore }, { createPostgresStores }] = await Promise.all([
      import('postgres'),
      import('@relaykit/chatkit-store/postgres'),
      import('@relaykit/usage-tracker/postgres'),
    ]);
    const sql = postgres(config.databaseUrl, { max: 4, prepare: false });
    store = createPostgresStore({ sql });
    ({ rateLimits, usage } = createPostgresStores({ sql }));
    if (config.openaiKeySource === 'vault') apiKeys = vaultApiKeys(sql, config.openai.apiKey);
  } else {
    console.warn('relaykit: no DATABASE_URL or SUPABASE_DB_URL, threads and usage are kept in memory');
    store = createMemoryStore();
    rateLimits = createMemoryRateLimitStore();
    usage = createMemoryUsageStore();
  }
  return {
    store,
    usage: createUsageRecorder({ store: usage, prices }),
    ...(apiKeys ? { apiKeys } : {}),
    ...(perMinute > 0
      ? {
          rateLimiter: createRateLimiter({
            store: rateLimits,
            algorithm: fixedWindow(perMinute, '1 m'),
            onStoreFailure: 'allow',
          }),
        }
      : {}),
  };
}

/**
 * The ChatKit server of a function: the registry's agents on the configured OpenAI endpoint (`OPENAI_BASE_URL`; any
 * OpenAI-compatible server, e.g. the fake one in tests), recording each user's usage. The key is `OPENAI_API_KEY`, or
 * with `OPENAI_KEY_SOURCE=vault` the user's (or the project's) key from Supabase Vault.
 */
export function createServer(
  config: EdgeConfig,
  backends: Backends,
  registry: AgentRegistry,
): ChatKitServer<AdapterContext> {
  const modelAccess = createModelAccess<AdapterContext>({
    ...(config.openai.apiKey ? { apiKey: config.openai.apiKey } : {}),
    ...(backends.apiKeys ? { getApiKey: backends.apiKeys.getApiKey } : {}),
    ...(config.openai.baseURL ? { baseURL: config.openai.baseURL } : {}),
  });
  return createChatKitServer<AdapterContext>({
    store: backends.store,
    agents: { registry, modelAccess, usage: backends.usage },
  });
}

/** How the function verifies callers: the platform's `verify_jwt`, else the JWT secret or JWKS (`configuration` if none). */
function edgeAuth(config: EdgeConfig) {
  const auth = config.trustPlatformJwt ? { trustPlatformJwt: true as const } : config.auth;
  if (!auth) {
    throw configurationError(
      'Set SUPABASE_JWT_SECRET (or SUPABASE_URL for its JWKS) so the function can verify callers.',
    );
  }
  return auth;
}

/**
 * The Edge Function handler around `server` or `handler`: CORS, JWT (or the platform's `verify_jwt`), the per-user
 * rate limit (429 with `Retry-After`), 413, 400.
 */
export function edgeHandler(
  config: EdgeConfig,
  backends: Backends,
  target: FunctionTarget,
): (request: Request) => Promise<Response> {
  const auth = edgeAuth(config);
  return createEdgeHandler({
    ...target,
    auth,
    cors: config.cors,
    ...(backends.rateLimiter ? { rateLimiter: backends.rateLimiter } : {}),
  });
}

/**
 * Validates a JSON body (400 with the zod issues). The edge handler has already capped the body (413) and checked
 * it is JSON (400); a body of only whitespace counts as `{}` here. Parsed with agent-core's `parseJsonBody` (the
 * same reader as its `readJsonBody`, safe from the V8 escaped-key `JSON.parse` defect), not `JSON.parse`.
 */
export async function readJsonBody<TSchema extends z.ZodType>(
  request: Request,
  schema: TSchema,
): Promise<z.output<TSchema>> {
  const text = await request.text();
  return validateBody(schema, parseJsonBody(text));
}

/**
 * Serves `handler`: on Supabase the runtime chooses the socket (`Deno.serve(handler)`); locally, with
 * `RELAYKIT_LOCAL_PORT` set (0 picks a free port), on 127.0.0.1, printing `LISTENING <port>`.
 */
export function serve(handler: (request: Request) => Promise<Response>): void {
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
