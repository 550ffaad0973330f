import {
  createBearerAuthenticator,
  type JwtVerificationOptions,
  type RequestAuthenticator,
} from '@relaykit/agent-core';
import { ConfigurationError } from '@relaykit/sse-protocol';

/** How a route authenticates callers: JWT verification options (bearer token) or a custom authenticator. */
export type RouteAuth = JwtVerificationOptions | RequestAuthenticator;

/** Resolves {@link RouteAuth} to an authenticator; a missing `auth` is a configuration error at startup. */
export function resolveAuthenticator(auth: RouteAuth | undefined, route: string): RequestAuthenticator {
  if (auth === undefined)
    throw new ConfigurationError(
      `${route} needs auth: { jwtSecret } (SUPABASE_JWT_SECRET), { jwksUrl } or an authenticator function`,
    );
  return typeof auth === 'function' ? auth : createBearerAuthenticator(auth);
}
