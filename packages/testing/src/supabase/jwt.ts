import { errors, type JWTPayload, jwtVerify, SignJWT } from 'jose';

/** Options of {@link mintSupabaseJwt}. */
export interface MintSupabaseJwtOptions {
  /** The project's JWT secret (Supabase's legacy HS256 secret, used as UTF-8 bytes). */
  secret: string;
  /** The user id (`sub`). Omit for API keys (`anon`, `service_role`). */
  sub?: string;
  /** The Postgres role PostgREST and Storage switch to. Default `authenticated`. */
  role?: string;
  /** Lifetime in seconds from `now`; negative values mint an already expired token. Default 3600. */
  expiresIn?: number;
  /** The user's email, as Supabase Auth puts it in access tokens. */
  email?: string;
  /** Extra claims, merged last (they win over the defaults except `role`, `sub`, `iat` and `exp`). */
  claims?: Record<string, unknown>;
  /** Issue time in seconds since the epoch. Default: the current time. */
  now?: number;
}

/**
 * Mints an HS256 JWT shaped like the ones Supabase issues: a user access token from Supabase Auth when `sub` is
 * given (`aud: 'authenticated'`, `iss`, `email`, `app_metadata`, `user_metadata`, `aal`, `session_id`), or an API
 * key (`iss: 'supabase'`, only `role`, `iat`, `exp`) when it is not. Verify-compatible with the stand-ins and with
 * any server configured with the same secret.
 */
export async function mintSupabaseJwt(options: MintSupabaseJwtOptions): Promise<string> {
  const role = options.role ?? 'authenticated';
  const iat = options.now ?? Math.floor(Date.now() / 1000);
  const exp = iat + (options.expiresIn ?? 3600);
  const base: JWTPayload & Record<string, unknown> =
    options.sub === undefined
      ? { iss: 'supabase' }
      : {
          iss: 'supabase-auth-stand-in',
          aud: 'authenticated',
          email: options.email ?? '',
          phone: '',
          app_metadata: { provider: 'email', providers: ['email'] },
          user_metadata: {},
          aal: 'aal1',
          amr: [{ method: 'password', timestamp: iat }],
          session_id: crypto.randomUUID(),
          is_anonymous: false,
        };
  const payload: Record<string, unknown> = { ...base, ...options.claims, role, iat, exp };
  if (options.sub !== undefined) payload.sub = options.sub;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(secretKey(options.secret));
}

export function secretKey(secret: string): Uint8Array {
  if (secret === '') throw new TypeError('A Supabase JWT secret must not be empty');
  return new TextEncoder().encode(secret);
}

/** Why a JWT was rejected: `expired`, `signature` (bad signature), `malformed`, or `claims` (other claim checks). */
export type JwtFailure = 'expired' | 'signature' | 'malformed' | 'claims';

export type JwtVerification =
  | { ok: true; claims: Record<string, unknown> }
  | { ok: false; failure: JwtFailure; message: string };

/** Verifies an HS256 JWT against the project secret (`exp`/`nbf` checked, no clock tolerance). */
export async function verifySupabaseJwt(token: string, secret: Uint8Array): Promise<JwtVerification> {
  const parts = token.split('.').length;
  if (parts !== 3)
    return { ok: false, failure: 'malformed', message: `Expected 3 parts in JWT; got ${parts}` };
  try {
    const { payload } = await jwtVerify(token, secret, { algorithms: ['HS256'] });
    return { ok: true, claims: payload as Record<string, unknown> };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof errors.JWTExpired) return { ok: false, failure: 'expired', message };
    if (error instanceof errors.JWSSignatureVerificationFailed)
      return { ok: false, failure: 'signature', message };
    if (error instanceof errors.JWTClaimValidationFailed) return { ok: false, failure: 'claims', message };
    return { ok: false, failure: 'malformed', message };
  }
}
