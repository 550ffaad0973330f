import {
  type AuthenticatedUser,
  bearerToken,
  createJwtVerifier,
  type RequestAuthenticator,
} from '@relaykit/agent-core';
import { RelayKitError } from '@relaykit/sse-protocol';
import { SignJWT } from 'jose';
import { type AppConfig, DEMO_USER_EMAIL, DEMO_USER_ID } from './config';

/** The httpOnly cookie holding the session's access token. */
export const SESSION_COOKIE = 'relaykit-session';
/** How long a development session lasts, in seconds. */
export const DEV_SESSION_SECONDS = 12 * 60 * 60;

/** Reads one cookie from a `Cookie` header; a malformed value (a bad `%` escape) counts as absent. */
export function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    if (part.slice(0, index).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(index + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The session token of a request: `Authorization: Bearer`, else the session cookie. */
export function sessionToken(request: Request): string | undefined {
  return bearerToken(request) ?? readCookie(request.headers.get('cookie'), SESSION_COOKIE);
}

const verifiers = new Map<string, ReturnType<typeof createJwtVerifier>>();

/**
 * The token verifier of `config`: the HS256 secret (development, or `SUPABASE_JWT_SECRET`), else the Supabase JWKS
 * (`SUPABASE_JWKS_URL`). One per secret or URL per process, so a JWKS is fetched once and cached, not per request.
 */
export function jwtVerifierFor(config: AppConfig): ReturnType<typeof createJwtVerifier> {
  const { jwtSecret } = config.auth;
  const jwksUrl = config.auth.mode === 'supabase' ? config.auth.jwksUrl : undefined;
  const key = jwtSecret !== undefined ? `secret:${jwtSecret}` : `jwks:${jwksUrl}`;
  let verify = verifiers.get(key);
  if (!verify) {
    verify = createJwtVerifier(jwtSecret !== undefined ? { jwtSecret } : { jwksUrl: jwksUrl ?? '' });
    verifiers.set(key, verify);
  }
  return verify;
}

/** API routes accept the session cookie or a bearer token, verified as {@link jwtVerifierFor} says. */
export function createAppAuthenticator(config: AppConfig): RequestAuthenticator {
  const verify = jwtVerifierFor(config);
  return async (request) => {
    const token = sessionToken(request);
    if (!token)
      throw new RelayKitError(
        'unauthorized',
        'Sign in first: no session cookie or Authorization: Bearer token.',
      );
    return verify(token);
  };
}

/** Verifies a session token for server components (pages); `null` when missing or invalid. */
export async function verifySession(
  config: AppConfig,
  token: string | undefined,
): Promise<AuthenticatedUser | null> {
  if (!token) return null;
  try {
    return await jwtVerifierFor(config)(token);
  } catch {
    return null;
  }
}

/** Mints a Supabase-shaped access token for the seeded demo user (development sign-in only). */
export async function mintDevSessionToken(config: AppConfig, now = new Date()): Promise<string> {
  if (!config.devSignInEnabled || config.auth.mode !== 'development')
    throw new RelayKitError(
      'forbidden',
      'The development sign-in is disabled (NODE_ENV=production without RELAYKIT_ENABLE_DEV_SIGN_IN=1, or Supabase Auth is configured).',
    );
  const issuedAt = Math.floor(now.getTime() / 1000);
  return new SignJWT({ role: 'authenticated', email: DEMO_USER_EMAIL, aal: 'aal1', relaykit_dev: true })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(DEMO_USER_ID)
    .setAudience('authenticated')
    .setIssuer('relaykit-dev-sign-in')
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + DEV_SESSION_SECONDS)
    .sign(new TextEncoder().encode(config.auth.jwtSecret));
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether the session cookie gets `Secure`: on https, and in production for any host but localhost/127.0.0.1 (behind
 * a TLS-terminating proxy the app itself sees plain http, while the browser talks https).
 */
export function secureCookieFor(
  request: Request,
  production = process.env.NODE_ENV === 'production',
): boolean {
  const url = new URL(request.url);
  if (url.protocol === 'https:') return true;
  const host = request.headers.get('host') ?? url.host;
  const hostname = host.replace(/:\d+$/, '').toLowerCase();
  return production && !LOOPBACK_HOSTS.has(hostname);
}

/** The `Set-Cookie` value of a session (httpOnly, SameSite=Lax; Secure as {@link secureCookieFor} says). */
export function sessionCookie(token: string, request: Request, maxAgeSeconds = DEV_SESSION_SECONDS): string {
  const secure = secureCookieFor(request) ? '; Secure' : '';
  return `${SESSION_COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure}`;
}

/** The `Set-Cookie` value that ends the session. */
export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;
}
