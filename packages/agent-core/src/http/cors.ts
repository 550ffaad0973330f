import { RequestError } from '@relaykit/sse-protocol';
import { errorResponse } from './errors';
import { requestIdOf } from './request-id';

/** CORS policy for browser callers. */
export interface CorsOptions {
  /** Origins allowed to call (exact `scheme://host[:port]`), or `'*'` for any. */
  allowedOrigins: readonly string[] | '*';
  /** Request headers a browser may send; defaults to the ones supabase-js and ChatKit send. */
  allowedHeaders?: readonly string[];
  /** Methods allowed; defaults to `GET, POST, OPTIONS`. */
  allowedMethods?: readonly string[];
  /** Response headers a browser script may read; defaults to `Retry-After`, `RateLimit-*` and the thread id. */
  exposedHeaders?: readonly string[];
  /** How long a preflight may be cached, in seconds; defaults to 600. */
  maxAgeSeconds?: number;
}

const DEFAULT_ALLOWED_HEADERS = [
  'authorization',
  'x-client-info',
  'apikey',
  'content-type',
  'last-event-id',
  'accept',
];
const DEFAULT_EXPOSED_HEADERS = [
  'retry-after',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
  'ratelimit-policy',
];

/** True when `origin` may call under `options`. */
export function isOriginAllowed(origin: string, options: CorsOptions): boolean {
  return options.allowedOrigins === '*' || options.allowedOrigins.includes(origin);
}

/**
 * The CORS headers for a request: none when it has no `Origin` (server to server, curl), `null` when its
 * origin is not allowed, otherwise `Access-Control-Allow-Origin` (the origin itself, never `*` with
 * credentials), `Vary: Origin` and the exposed headers.
 */
export function corsHeaders(request: Request, options: CorsOptions): Headers | null {
  const headers = new Headers();
  const origin = request.headers.get('origin');
  if (origin === null) return headers;
  if (!isOriginAllowed(origin, options)) return null;
  headers.set('access-control-allow-origin', origin);
  headers.set('vary', 'Origin');
  headers.set(
    'access-control-expose-headers',
    (options.exposedHeaders ?? DEFAULT_EXPOSED_HEADERS).join(', '),
  );
  return headers;
}

/** True for a CORS preflight (`OPTIONS` with `Access-Control-Request-Method`). */
export function isPreflightRequest(request: Request): boolean {
  return request.method === 'OPTIONS' && request.headers.has('access-control-request-method');
}

/**
 * Answers a preflight: `204` with the allow headers for an allowed origin, `403 forbidden` otherwise
 * (including a preflight without an `Origin`).
 */
export function preflightResponse(request: Request, options: CorsOptions): Response {
  const origin = request.headers.get('origin');
  if (origin === null || !isOriginAllowed(origin, options))
    return errorResponse(new RequestError('forbidden', 'This origin is not allowed.'), {
      headers: { vary: 'Origin' },
      requestId: requestIdOf(request),
    });
  const headers = new Headers({
    'access-control-allow-origin': origin,
    'access-control-allow-methods': (options.allowedMethods ?? ['GET', 'POST', 'OPTIONS']).join(', '),
    'access-control-allow-headers': (options.allowedHeaders ?? DEFAULT_ALLOWED_HEADERS).join(', '),
    'access-control-max-age': String(options.maxAgeSeconds ?? 600),
    vary: 'Origin',
  });
  return new Response(null, { status: 204, headers });
}
