import { ConfigurationError } from '@relaykit/sse-protocol';
import { RateLimitExceededError, type RateLimitResult, rateLimitHeaders } from '@relaykit/usage-tracker';
import { markRateLimitDecided } from '../server/rate-limit-decision';
import {
  type AuthenticatedUser,
  createBearerAuthenticator,
  type JwtVerificationOptions,
  type RequestAuthenticator,
} from './auth';
import { DEFAULT_MAX_BODY_BYTES, parseJsonBody, readBodyText } from './body';
import { errorResponse, type ServerErrorInfo, withHeaders } from './errors';
import { REQUEST_ID_HEADER, requestIdOf } from './request-id';

/**
 * The shape adapters call: a Web-standard handler taking the request and the caller's context
 * (what `createChatKitServer()` returns).
 */
export interface ChatKitServerLike<TContext> {
  handle(request: Request, context: TContext): Promise<Response>;
  /**
   * Answers a request whose body the guard already read (capped) and parsed as JSON: `body` is that value, `request`
   * the original request (its body is consumed; read its URL, headers and signal). When present, the guard calls it
   * instead of `handle`, so a body is read and parsed once per request. `createChatKitServer()` and
   * `createChatStreamHandler()` have it.
   */
  handleJson?(body: unknown, request: Request, context: TContext): Promise<Response>;
}

/** Schedules work that must finish after the response (usage settle, title generation). */
export type WaitUntil = (task: Promise<unknown>) => void;

/** The context adapters give the server by default: the authenticated user plus {@link WaitUntil}. */
export interface AdapterContext extends AuthenticatedUser {
  waitUntil: WaitUntil;
  /**
   * The request's id (`x-request-id`: a proxy's, else a fresh one), also sent back in the response's `x-request-id`
   * header: name it in logs so a user who quotes it can be found.
   */
  requestId?: string;
}

/** The part of a `RateLimiter` (`@relaykit/usage-tracker`) the guard uses. */
export interface RequestRateLimiter {
  limit(key: string): Promise<RateLimitResult>;
}

/** Options of {@link createGuardedHandler}. */
export interface GuardedHandlerOptions<TContext> {
  /** The server (or any object with `handle(request, context)`). */
  server: ChatKitServerLike<TContext>;
  /** Authenticates each request; failures are answered 401. */
  authenticate: RequestAuthenticator;
  /** Builds the server's context; defaults to the {@link AdapterContext} itself. */
  context?: (context: AdapterContext, request: Request) => TContext | Promise<TContext>;
  /**
   * Keeps the runtime alive for work after the response: `EdgeRuntime.waitUntil`, Next's `after`. Without
   * it, tasks still run (their rejections are reported to `onUnexpectedError`) but nothing waits for them.
   */
  waitUntil?: WaitUntil;
  /** Largest accepted JSON body; defaults to 1 MiB. Bodies are read, capped and JSON-checked before the server sees them. */
  maxBodyBytes?: number;
  /**
   * Limits calls per user; denied calls get 429 with `Retry-After` and `RateLimit-*`. A request this limiter let
   * through is not limited again by the server's own `rateLimiter` (one decision per request).
   */
  rateLimiter?: RequestRateLimiter;
  /** The rate-limit key of a user; defaults to its `userId`. */
  rateLimitKey?: (user: AuthenticatedUser) => string;
  /**
   * Called with unexpected (non-RelayKit) errors before they are answered as a generic 500 (with the status, code and
   * request id), and with failures of `waitUntil` tasks (without). Other answers ≥ 500 are logged by `errorResponse`.
   */
  onUnexpectedError?: (error: unknown, info?: ServerErrorInfo) => void;
}

/**
 * The request pipeline both adapters share: authenticate (401) → rate limit (429) → read the body with a byte
 * cap (413) and parse it as JSON (400) → call the server with the user's context (`handleJson` with the parsed body
 * when the server has it, so the body is read and parsed once; else `handle`) → add `RateLimit-*` headers.
 * Every thrown error, the server's included, becomes a JSON response through {@link errorResponse}.
 */
export function createGuardedHandler<TContext = AdapterContext>(
  options: GuardedHandlerOptions<TContext>,
): (request: Request) => Promise<Response> {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const waitUntil: WaitUntil = (task) => {
    const guarded = task.catch((error: unknown) => options.onUnexpectedError?.(error));
    options.waitUntil?.(guarded);
  };
  return async (request) => {
    // Every answer carries the request id (`x-request-id`), errors also in their JSON body.
    const requestId = requestIdOf(request);
    const idHeader = { [REQUEST_ID_HEADER]: requestId };
    try {
      const user = await options.authenticate(request);
      let limitHeaders: Record<string, string> | undefined;
      if (options.rateLimiter) {
        const result = await options.rateLimiter.limit(options.rateLimitKey?.(user) ?? user.userId);
        // Answered by errorResponse below, as every error: the id in the body as in the header.
        if (!result.success) throw rateLimitDenial(result);
        limitHeaders = rateLimitHeaders(result);
      }
      const { server } = options;
      let forwarded = request;
      let parsed: { body: unknown } | undefined;
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        const text = await readBodyText(request, maxBodyBytes);
        const body = parseJsonBody(text);
        if (server.handleJson) parsed = { body };
        else {
          // A plain handler reads the body itself: hand it a fresh request with the text already read.
          const headers = new Headers(request.headers);
          headers.delete('content-length');
          headers.set(REQUEST_ID_HEADER, requestId);
          forwarded = new Request(request.url, {
            method: request.method,
            headers,
            body: text,
            signal: request.signal,
          });
        }
      }
      const adapterContext: AdapterContext = { ...user, waitUntil, requestId };
      const context = options.context
        ? await options.context(adapterContext, forwarded)
        : (adapterContext as unknown as TContext);
      // The server's own `rateLimiter` (if any) skips this request: the guard decided already.
      if (limitHeaders) markRateLimitDecided(context);
      const response =
        parsed && server.handleJson
          ? await server.handleJson(parsed.body, request, context)
          : await server.handle(forwarded, context);
      return withHeaders(response, { ...limitHeaders, ...idHeader });
    } catch (error) {
      return errorResponse(error, {
        requestId,
        ...(options.onUnexpectedError ? { onUnexpectedError: options.onUnexpectedError } : {}),
      });
    }
  };
}

/**
 * The error of a denied rate-limit decision: what `rateLimitResponse` of `@relaykit/usage-tracker` answers (the same
 * message, `RateLimit-*` and `Retry-After` headers), for `errorResponse` to answer with the request id.
 */
export function rateLimitDenial(result: RateLimitResult): RateLimitExceededError {
  return new RateLimitExceededError('Rate limit exceeded. Wait and retry.', result);
}

/** How an adapter authenticates callers: JWT verification options (bearer token) or a custom authenticator. */
export type AdapterAuth = JwtVerificationOptions | RequestAuthenticator;

/**
 * Resolves {@link AdapterAuth} to an authenticator. A missing `auth` throws `configuration` at startup, so a
 * route can never be served unauthenticated by accident.
 */
export function resolveAuthenticator(auth: AdapterAuth | undefined, name: string): RequestAuthenticator {
  if (auth === undefined || auth === null)
    throw new ConfigurationError(
      `${name} needs auth: { jwtSecret } (SUPABASE_JWT_SECRET), { jwksUrl }, { jwks } or an authenticator function`,
    );
  return typeof auth === 'function' ? auth : createBearerAuthenticator(auth);
}

/** Either a server object or a plain handler function, as adapters accept them. */
export interface ServerOrHandler<TContext> {
  /** The ChatKit server (`createChatKitServer()`), or any object with `handle(request, context)`. */
  server?: ChatKitServerLike<TContext>;
  /** A plain handler function, instead of `server`. */
  handler?: (request: Request, context: TContext) => Promise<Response>;
}

/** `server` or `handler` as a {@link ChatKitServerLike}; exactly one is required (`configuration` otherwise). */
export function resolveServer<TContext>(
  options: ServerOrHandler<TContext>,
  name: string,
): ChatKitServerLike<TContext> {
  if (options.server && options.handler)
    throw new ConfigurationError(`${name} takes server or handler, not both`);
  if (options.server) return options.server;
  const handler = options.handler;
  if (handler) return { handle: (request, context) => handler(request, context) };
  throw new ConfigurationError(`${name} needs a server (createChatKitServer()) or a handler`);
}
