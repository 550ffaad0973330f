import {
  type AdapterAuth,
  type AdapterContext,
  type CorsOptions,
  corsHeaders,
  createGuardedHandler,
  errorResponse,
  isPreflightRequest,
  type JwtClaimOptions,
  preflightResponse,
  type RequestRateLimiter,
  requestIdOf,
  resolveAuthenticator,
  resolveServer,
  type ServerOrHandler,
  type WaitUntil,
  withHeaders,
} from '@relaykit/agent-core/http';
import { ConfigurationError, RequestError } from '@relaykit/sse-protocol';

/**
 * How the function authenticates callers: verify the Supabase JWT itself (`jwtSecret`, `jwksUrl`, `jwks`, or a
 * custom authenticator), or `trustPlatformJwt: true` when the function is deployed with `verify_jwt = true` and the
 * platform already checked the signature (claims, expiry and the user id are still checked here).
 */
export type EdgeAuth = AdapterAuth | (JwtClaimOptions & { trustPlatformJwt: true });

/** Options of {@link createEdgeHandler}. */
export interface EdgeHandlerOptions<TContext = AdapterContext> extends ServerOrHandler<TContext> {
  auth: EdgeAuth;
  /**
   * CORS for browser callers; preflights from other origins get 403. `allowedMethods` defaults to
   * {@link EdgeHandlerOptions.methods} plus `OPTIONS`.
   */
  cors: CorsOptions;
  /**
   * The methods the server answers; any other gets `405` with `Allow` before auth. Default: `cors.allowedMethods`
   * (without `OPTIONS`) when set, else `POST` only. A chat stream handler that resumes and stops runs
   * (`createChatStreamHandler(chatKit, { streamLog })`) needs `methods: ['POST', 'GET', 'DELETE']`.
   */
  methods?: readonly string[];
  /** Largest accepted JSON body in bytes; defaults to 1 MiB (413 above). */
  maxBodyBytes?: number;
  /**
   * Per-user rate limiter (`createRateLimiter()` from `@relaykit/usage-tracker`); 429 when denied. It limits every
   * method but GET, HEAD and DELETE (reading, resuming or stopping a chat run), as in `@relaykit/next`.
   */
  rateLimiter?: RequestRateLimiter;
  /** Builds the server's context (defaults to `{ userId, role, claims, accessToken, waitUntil }`). */
  context?: (context: AdapterContext, request: Request) => TContext | Promise<TContext>;
  /** Work after the response; defaults to `EdgeRuntime.waitUntil` when the runtime has it. */
  waitUntil?: WaitUntil;
  /** Called with unexpected errors (answered as a generic 500); log them here. */
  onUnexpectedError?: (error: unknown) => void;
}

/** `EdgeRuntime.waitUntil` of the Supabase Edge Runtime, read from `globalThis` when present. */
export function runtimeWaitUntil(): WaitUntil | undefined {
  const runtime = (globalThis as { EdgeRuntime?: { waitUntil?: (task: Promise<unknown>) => void } })
    .EdgeRuntime;
  const waitUntil = runtime?.waitUntil;
  return typeof waitUntil === 'function' ? (task) => waitUntil.call(runtime, task) : undefined;
}

/**
 * Creates the handler for `Deno.serve(createEdgeHandler({ ... }))`: CORS preflight (204 for allowed origins,
 * 403 otherwise), CORS headers on every answer, then the shared pipeline of `@relaykit/agent-core`
 * (401 unauthenticated, 429 rate limited (any method but GET, HEAD, DELETE), 413 over the body cap, 400 bad JSON,
 * the server's answer). Only `methods` (default `POST`) reach the server, others get 405 with `Allow`: with
 * `server: createChatStreamHandler(chatKit, { streamLog })` and `methods: ['POST', 'GET', 'DELETE']` the function
 * also resumes (`GET ?sessionId=` + `Last-Event-ID`) and stops (`DELETE ?sessionId=`) chat runs.
 */
export function createEdgeHandler<TContext = AdapterContext>(
  options: EdgeHandlerOptions<TContext>,
): (request: Request) => Promise<Response> {
  if (!options.cors || (options.cors.allowedOrigins !== '*' && !Array.isArray(options.cors.allowedOrigins)))
    throw new ConfigurationError("createEdgeHandler needs cors: { allowedOrigins: [...] | '*' }");
  const methods = allowedMethodsOf(options);
  const cors: CorsOptions = { allowedMethods: [...methods, 'OPTIONS'], ...options.cors };
  const allow = [...methods, 'OPTIONS'].join(', ');
  const authenticate =
    typeof options.auth === 'object' && options.auth !== null && 'trustPlatformJwt' in options.auth
      ? resolveAuthenticator(
          { ...withoutTrustFlag(options.auth), trustPlatformVerification: true },
          'createEdgeHandler',
        )
      : resolveAuthenticator(options.auth as AdapterAuth, 'createEdgeHandler');
  const shared = {
    server: resolveServer(options, 'createEdgeHandler'),
    authenticate,
    waitUntil: (task: Promise<unknown>) => {
      const waitUntil = options.waitUntil ?? runtimeWaitUntil();
      waitUntil?.(task);
    },
    ...(options.context ? { context: options.context } : {}),
    ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
    ...(options.onUnexpectedError ? { onUnexpectedError: options.onUnexpectedError } : {}),
  };
  const limited = createGuardedHandler<TContext>({
    ...shared,
    ...(options.rateLimiter ? { rateLimiter: options.rateLimiter } : {}),
  });
  const unlimited = createGuardedHandler<TContext>(shared);
  return async (request) => {
    if (isPreflightRequest(request)) return preflightResponse(request, cors);
    const headers = corsHeaders(request, cors);
    if (headers === null)
      return errorResponse(new RequestError('forbidden', 'This origin is not allowed.'), {
        headers: { vary: 'Origin' },
        requestId: requestIdOf(request),
      });
    if (!methods.includes(request.method))
      return withHeaders(
        methodNotAllowed(request.method, allow, requestIdOf(request)),
        new Headers([...headers, ['allow', allow]]),
      );
    const response = await (UNLIMITED_METHODS.has(request.method) ? unlimited : limited)(request);
    return [...headers].length === 0 ? response : withHeaders(response, headers);
  };
}

/** Methods that only read, resume or stop work: never rate limited. Every other method is. */
const UNLIMITED_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'DELETE']);

function allowedMethodsOf(options: { methods?: readonly string[]; cors: CorsOptions }): string[] {
  const given = options.methods ?? options.cors.allowedMethods?.filter((method) => method !== 'OPTIONS');
  const methods = [...new Set((given ?? ['POST']).map((method) => method.toUpperCase()))];
  if (methods.length === 0 || methods.some((method) => !/^[A-Z]+$/.test(method)))
    throw new ConfigurationError(
      "createEdgeHandler: methods must list HTTP methods, e.g. ['POST'] or ['POST', 'GET', 'DELETE']",
    );
  return methods;
}

/** 405 for a method the function does not serve (body code `invalid_request`, the `Allow` header added by the caller). */
function methodNotAllowed(method: string, allow: string, requestId: string): Response {
  const response = errorResponse(
    new RequestError('invalid_request', `This function answers ${allow}, not ${method}.`),
    { requestId },
  );
  return new Response(response.body, { status: 405, headers: response.headers });
}

function withoutTrustFlag(auth: JwtClaimOptions & { trustPlatformJwt: true }): JwtClaimOptions {
  const { trustPlatformJwt: _ignored, ...claims } = auth;
  return claims;
}
