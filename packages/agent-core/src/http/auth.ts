import { ConfigurationError, RequestError } from '@relaykit/sse-protocol';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
  errors as joseErrors,
  jwtVerify,
} from 'jose';

/** The authenticated caller, the context adapters hand to the ChatKit server, stores and usage tracking. */
export interface AuthenticatedUser {
  /** The Supabase user id (the JWT `sub`, always a UUID). */
  userId: string;
  /** The JWT `role` claim (`authenticated` for signed-in users). */
  role: string;
  /** Every claim of the verified token. */
  claims: JWTPayload & Record<string, unknown>;
  /** The raw bearer token, for calls made on the user's behalf (for example supabase-js with RLS). */
  accessToken: string;
}

/** Common options of every JWT verification mode. */
export interface JwtClaimOptions {
  /** Expected `aud`; defaults to `'authenticated'` (what Supabase Auth issues to users). `null` skips the check. */
  audience?: string | string[] | null;
  /** Expected `iss`, when set. */
  issuer?: string | string[];
  /** Accepted clock skew in seconds; defaults to 30. */
  clockToleranceSeconds?: number;
  /** The clock, for tests. */
  now?: () => Date;
}

/**
 * How Supabase access tokens are checked: the project's HS256 `jwtSecret`, a JWKS (`jwksUrl`, for example
 * `${SUPABASE_URL}/auth/v1/.well-known/jwks.json`, or an inline `jwks`), or `trustPlatformVerification` when the
 * platform in front already verified the signature (Supabase Edge Functions with `verify_jwt = true`): then only
 * the claims (expiry, audience, subject) are checked.
 */
export type JwtVerificationOptions = JwtClaimOptions &
  (
    | { jwtSecret: string }
    | { jwksUrl: string | URL }
    | { jwks: JSONWebKeySet }
    | { trustPlatformVerification: true }
  );

/** Turns a request into its authenticated user, or throws `unauthorized` (401). */
export type RequestAuthenticator = (request: Request) => Promise<AuthenticatedUser>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when `value` is a UUID in its canonical textual form (any version). */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** The token of an `Authorization: Bearer <token>` header, or `undefined`. */
export function bearerToken(request: Request): string | undefined {
  const header = request.headers.get('authorization');
  if (header === null) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

function unauthorized(message: string, cause?: unknown): RequestError {
  return new RequestError('unauthorized', message, cause === undefined ? undefined : { cause });
}

/** The shortest HMAC secret {@link createJwtVerifier} accepts, in bytes (Supabase JWT secrets are ≥ 32 characters). */
const MIN_JWT_SECRET_BYTES = 32;

/**
 * Creates a verifier of Supabase access tokens. It checks the signature (unless the platform did), expiry,
 * audience and issuer, and requires a UUID `sub`; every failure is `unauthorized` (401) with a clear message,
 * never a crash. Throws `configuration` for an empty secret, a secret shorter than 32 bytes, or no verification mode.
 */
export function createJwtVerifier(
  options: JwtVerificationOptions,
): (token: string) => Promise<AuthenticatedUser> {
  const audience = options.audience === undefined ? 'authenticated' : options.audience;
  const clockTolerance = options.clockToleranceSeconds ?? 30;
  let key: Uint8Array | JWTVerifyGetKey | undefined;
  if ('jwtSecret' in options) {
    if (typeof options.jwtSecret !== 'string' || options.jwtSecret === '')
      throw new ConfigurationError('createJwtVerifier needs a non-empty jwtSecret');
    key = new TextEncoder().encode(options.jwtSecret);
    if (key.byteLength < MIN_JWT_SECRET_BYTES)
      throw new ConfigurationError(
        `createJwtVerifier: jwtSecret must be at least ${MIN_JWT_SECRET_BYTES} bytes (a Supabase JWT secret has at least 32 characters; short secrets can be guessed)`,
      );
  } else if ('jwksUrl' in options) {
    key = createRemoteJWKSet(new URL(options.jwksUrl));
  } else if ('jwks' in options) {
    key = createLocalJWKSet(options.jwks);
  } else if (!('trustPlatformVerification' in options) || options.trustPlatformVerification !== true) {
    throw new ConfigurationError(
      'createJwtVerifier needs jwtSecret, jwksUrl, jwks or trustPlatformVerification: true',
    );
  }

  return async (token) => {
    const now = options.now?.() ?? new Date();
    let claims: JWTPayload;
    if (key === undefined) {
      claims = decodeTrusted(token, now, clockTolerance, audience, options.issuer);
    } else {
      try {
        const verifyOptions = {
          currentDate: now,
          clockTolerance,
          ...(audience === null ? {} : { audience }),
          ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
        };
        const result =
          key instanceof Uint8Array
            ? await jwtVerify(token, key, { ...verifyOptions, algorithms: ['HS256'] })
            : await jwtVerify(token, key, verifyOptions);
        claims = result.payload;
      } catch (error) {
        throw unauthorized(describeJoseError(error), error);
      }
    }
    if (claims.sub === undefined) throw unauthorized('The token has no subject (not a user token).');
    if (!isUuid(claims.sub)) throw unauthorized('The token subject is not a valid user id.');
    const role = typeof claims.role === 'string' ? claims.role : 'authenticated';
    return {
      userId: claims.sub.toLowerCase(),
      role,
      claims: claims as JWTPayload & Record<string, unknown>,
      accessToken: token,
    };
  };
}

function decodeTrusted(
  token: string,
  now: Date,
  clockTolerance: number,
  audience: string | string[] | null,
  issuer: string | string[] | undefined,
): JWTPayload {
  let claims: JWTPayload;
  try {
    claims = decodeJwt(token);
  } catch (error) {
    throw unauthorized('The token is malformed.', error);
  }
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (typeof claims.exp === 'number' && claims.exp + clockTolerance <= nowSeconds)
    throw unauthorized('The token has expired.');
  if (audience !== null) {
    const expected = Array.isArray(audience) ? audience : [audience];
    const actual = Array.isArray(claims.aud) ? claims.aud : claims.aud === undefined ? [] : [claims.aud];
    if (!actual.some((value) => expected.includes(value)))
      throw unauthorized('The token audience is not accepted.');
  }
  if (issuer !== undefined) {
    const expected = Array.isArray(issuer) ? issuer : [issuer];
    if (claims.iss === undefined || !expected.includes(claims.iss))
      throw unauthorized('The token issuer is not accepted.');
  }
  return claims;
}

function describeJoseError(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'The token has expired.';
  if (error instanceof joseErrors.JWTClaimValidationFailed)
    return `The token claim "${error.claim}" is not accepted.`;
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'The token signature is invalid.';
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'The token algorithm is not accepted.';
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'No key matches the token.';
  if (error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JWKSInvalid)
    return 'The signing keys could not be loaded.';
  return 'The token is invalid.';
}

/**
 * Creates a {@link RequestAuthenticator} reading `Authorization: Bearer <Supabase JWT>`. No header is
 * `unauthorized` (401) "Authentication required"; a bad token is `unauthorized` with the reason.
 */
export function createBearerAuthenticator(options: JwtVerificationOptions): RequestAuthenticator {
  const verify = createJwtVerifier(options);
  return async (request) => {
    const token = bearerToken(request);
    if (token === undefined)
      throw unauthorized('Authentication required: send Authorization: Bearer <token>.');
    return verify(token);
  };
}
