import {
  type AuthenticatedUser,
  bearerToken,
  createJwtVerifier,
  type JwtVerificationOptions,
  type RequestAuthenticator,
} from '@relaykit/agent-core/http';
import { ConfigurationError, RequestError } from '@relaykit/sse-protocol';
import { createServerClient, parseCookieHeader } from '@supabase/ssr';

/** Options of {@link createSupabaseCookieAuthenticator}. */
export interface SupabaseCookieAuthOptions {
  /** `SUPABASE_URL` (names the `sb-<ref>-auth-token` cookie). */
  supabaseUrl: string;
  /** `SUPABASE_ANON_KEY`. */
  supabaseAnonKey: string;
  /** How the session's access token is verified (`{ jwtSecret }` or `{ jwksUrl }`): the cookie alone is never trusted. */
  verify: JwtVerificationOptions;
  /** Accept `Authorization: Bearer` too (mobile and server callers); defaults to true. */
  allowBearer?: boolean;
}

/**
 * Authenticates App Router requests by the Supabase session cookie that `@supabase/ssr` writes (chunked and
 * `base64-` encoded cookies included), falling back to a bearer token. The session's access token is then
 * verified with `jose` like a bearer token, so a forged or expired cookie is `unauthorized` (401). Refreshing
 * expired sessions is left to the app's middleware (the `@supabase/ssr` pattern); a route never writes cookies.
 */
export function createSupabaseCookieAuthenticator(options: SupabaseCookieAuthOptions): RequestAuthenticator {
  if (!options?.supabaseUrl || !options.supabaseAnonKey)
    throw new ConfigurationError(
      'createSupabaseCookieAuthenticator needs supabaseUrl (SUPABASE_URL) and supabaseAnonKey (SUPABASE_ANON_KEY)',
    );
  const verify = createJwtVerifier(options.verify);
  const allowBearer = options.allowBearer ?? true;
  return async (request): Promise<AuthenticatedUser> => {
    const bearer = allowBearer ? bearerToken(request) : undefined;
    if (bearer !== undefined) return verify(bearer);
    const cookies = parseCookieHeader(request.headers.get('cookie') ?? '');
    const client = createServerClient(options.supabaseUrl, options.supabaseAnonKey, {
      cookies: {
        getAll: () => cookies.map(({ name, value }) => ({ name, value: value ?? '' })),
        setAll: () => undefined,
      },
      auth: { autoRefreshToken: false, detectSessionInUrl: false },
    });
    let accessToken: string | undefined;
    try {
      const { data } = await client.auth.getSession();
      accessToken = data.session?.access_token;
    } catch (error) {
      throw new RequestError('unauthorized', 'The session cookie could not be read.', { cause: error });
    }
    if (!accessToken) throw new RequestError('unauthorized', 'Authentication required: no Supabase session.');
    return verify(accessToken);
  };
}
