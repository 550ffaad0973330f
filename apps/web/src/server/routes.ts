import {
  type AdapterContext,
  errorResponse,
  jsonResponse,
  openAIHealthCheck,
  type RequestAuthenticator,
} from '@relaykit/agent-core';
import {
  createChatKitRoute,
  createChatStreamRoute,
  createHealthRoute,
  createUsageRoute,
} from '@relaykit/next';
import { RelayKitError } from '@relaykit/sse-protocol';
import { createAppAuthenticator } from './auth';
import type { AppRuntime } from './runtime';
import { getRuntime } from './runtime';
import { recentErrors, userDailyUsage } from './usage-reports';

/** A route handler as Next.js calls it. */
export type Handler = (request: Request) => Promise<Response>;

/** The handlers of every API route, built once per runtime. */
export interface AppRoutes {
  chatkit: Handler;
  chat: Handler;
  health: Handler;
  usage: Handler;
  agents: Handler;
}

const MAX_CHAT_BODY_BYTES = 1024 * 1024;

function usageHandler(runtime: AppRuntime, authenticate: RequestAuthenticator): Handler {
  const base = createUsageRoute({
    auth: authenticate,
    getUsageSummary: (userId, range) => runtime.recorder.getUsageSummary(userId, range),
    getDailyStats: async () => [],
  });
  return async (request) => {
    const response = await base.GET(request);
    if (!response.ok) return response;
    try {
      const user = await authenticate(request);
      const body = (await response.json()) as { range: { from: string; to: string } };
      const range = { from: new Date(body.range.from), to: new Date(body.range.to) };
      const [daily, errors] = await Promise.all([
        userDailyUsage(runtime.stores.query, user.userId, range),
        recentErrors(runtime.stores.query, user.userId),
      ]);
      const last = runtime.chatLimiter.last(user.userId);
      const rateLimit = {
        policy: runtime.chatLimiter.policy,
        ...(last
          ? { limit: last.limit, remaining: last.remaining, reset: last.reset, success: last.success }
          : { limit: null, remaining: null, reset: null, success: true }),
      };
      return jsonResponse({ ...body, daily, rateLimit, recentErrors: errors });
    } catch (error) {
      return errorResponse(error);
    }
  };
}

function agentsHandler(runtime: AppRuntime, authenticate: RequestAuthenticator): Handler {
  return async (request) => {
    try {
      await authenticate(request);
      return jsonResponse({ agents: runtime.agents });
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/** Builds the handlers over one runtime. */
export function createAppRoutes(runtime: AppRuntime): AppRoutes {
  const authenticate = createAppAuthenticator(runtime.config);
  const shared = {
    auth: authenticate,
    maxBodyBytes: MAX_CHAT_BODY_BYTES,
    onUnexpectedError: (error: unknown) => console.error('[relaykit/web]', error),
  };
  const chatkit = createChatKitRoute<AdapterContext>({ ...shared, server: runtime.chatKit });
  const chat = createChatStreamRoute<AdapterContext>({ ...shared, server: runtime.chatKit });
  const { config, fake } = runtime;
  const baseURL = fake?.url ?? config.openAIBaseURL ?? 'https://api.openai.com/v1';
  const health = createHealthRoute({
    checks: {
      database: async () => {
        await runtime.stores.query('select 1', []);
      },
      model: openAIHealthCheck({ apiKey: config.openAIApiKey ?? 'offline-demo-model', baseURL }),
    },
  });
  return {
    chatkit: chatkit.POST,
    chat: chat.POST,
    health: health.GET,
    usage: usageHandler(runtime, authenticate),
    agents: agentsHandler(runtime, authenticate),
  };
}

const routesByRuntime = new WeakMap<AppRuntime, AppRoutes>();

/** Returns a handler that starts (or reuses) the runtime on first call, then delegates to route `name`. */
export function lazyRoute(name: keyof AppRoutes): Handler {
  return async (request) => {
    let runtime: AppRuntime;
    try {
      runtime = await getRuntime();
    } catch (error) {
      console.error('[relaykit/web] the runtime failed to start', error);
      return errorResponse(
        RelayKitError.isInstance(error)
          ? error
          : new RelayKitError('configuration', 'The app failed to start.'),
      );
    }
    let routes = routesByRuntime.get(runtime);
    if (!routes) {
      routes = createAppRoutes(runtime);
      routesByRuntime.set(runtime, routes);
    }
    return routes[name](request);
  };
}
