import { ConfigurationError, RelayKitError, RequestError } from '@relaykit/sse-protocol';
import { jwtVerifierFor, sessionCookie } from './auth';
import { type AppConfig, readAppConfig } from './config';

/** A Supabase Auth session as `POST /auth/v1/token?grant_type=password` answers it (the fields the app uses). */
interface SupabaseSession {
  access_token: string;
  expires_in: number;
}

/**
 * Signs in with e-mail and password against Supabase Auth (GoTrue's password grant), then checks the access token with
 * the project's JWT secret, as every API route will. Wrong credentials are `unauthorized`; an unreachable or broken Auth
 * server is `provider_unavailable`.
 */
export async function supabasePasswordSignIn(
  config: AppConfig,
  email: string,
  password: string,
  fetcher: typeof fetch = fetch,
): Promise<SupabaseSession> {
  if (config.auth.mode !== 'supabase' || !config.auth.supabaseUrl || !config.auth.supabaseAnonKey)
    throw new ConfigurationError(
      'Supabase sign-in needs SUPABASE_JWT_SECRET (or SUPABASE_JWKS_URL), SUPABASE_URL and SUPABASE_ANON_KEY',
    );
  if (!email.includes('@') || password === '')
    throw new RequestError('invalid_request', 'Enter your e-mail address and password.');
  let response: Response;
  try {
    response = await fetcher(new URL('/auth/v1/token?grant_type=password', config.auth.supabaseUrl), {
      method: 'POST',
      headers: { apikey: config.auth.supabaseAnonKey, 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
  } catch (cause) {
    throw new RelayKitError('provider_unavailable', 'Supabase Auth is unreachable.', {
      cause,
      retryable: true,
    });
  }
  if (response.status === 400 || response.status === 401 || response.status === 422)
    throw new RelayKitError('unauthorized', 'The e-mail address or password is wrong.');
  if (!response.ok)
    throw new RelayKitError('provider_unavailable', `Supabase Auth answered ${response.status}.`, {
      retryable: true,
    });
  const session = (await response.json()) as Partial<SupabaseSession>;
  if (typeof session.access_token !== 'string')
    throw new RelayKitError('provider_unavailable', 'Supabase Auth answered without an access token.');
  await jwtVerifierFor(config)(session.access_token);
  return { access_token: session.access_token, expires_in: Number(session.expires_in) || 3600 };
}

const back = (error: string) =>
  new Response(null, { status: 303, headers: { location: `/sign-in?error=${encodeURIComponent(error)}` } });

/** `POST /api/auth/sign-in` (form `email`, `password`): sets the session cookie and redirects to `/chat`. */
export async function supabaseSignInRoute(request: Request): Promise<Response> {
  try {
    const form = await request.formData();
    const session = await supabasePasswordSignIn(
      readAppConfig(),
      String(form.get('email') ?? '').trim(),
      String(form.get('password') ?? ''),
    );
    return new Response(null, {
      status: 303,
      headers: {
        location: '/chat',
        'set-cookie': sessionCookie(session.access_token, request, session.expires_in),
      },
    });
  } catch (error) {
    if (RelayKitError.isInstance(error)) return back(error.message);
    console.error('[relaykit/web] the Supabase sign-in failed unexpectedly', error);
    return back('The sign-in failed.');
  }
}
