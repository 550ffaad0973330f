import { errorResponse, jsonResponse } from '@relaykit/agent-core';
import { clearedSessionCookie, DEV_SESSION_SECONDS, mintDevSessionToken, sessionCookie } from './auth';
import { DEMO_USER_EMAIL, DEMO_USER_ID, readAppConfig } from './config';

const isFormPost = (request: Request) =>
  (request.headers.get('content-type') ?? '').startsWith('application/x-www-form-urlencoded') ||
  (request.headers.get('content-type') ?? '').startsWith('multipart/form-data');

/**
 * A 303 to a path of this app. The `Location` is relative: behind `next start` the request URL's host can differ from
 * the one the browser used (localhost vs 127.0.0.1), and the session cookie belongs to the browser's host.
 */
const redirectTo = (path: string, cookie: string) =>
  new Response(null, { status: 303, headers: { location: path, 'set-cookie': cookie } });

/**
 * `POST /api/dev/sign-in`: signs the seeded demo user in with a development JWT (403 `forbidden` when disabled).
 * A form post is redirected to `/chat`; other callers get `{ user, accessToken, expiresIn }` JSON (a bearer token for
 * `apps/cli` or scripts). The session cookie is set either way.
 */
export async function signIn(request: Request): Promise<Response> {
  try {
    const token = await mintDevSessionToken(readAppConfig());
    const cookie = sessionCookie(token, request);
    if (isFormPost(request)) return redirectTo('/chat', cookie);
    const response = jsonResponse({
      user: { id: DEMO_USER_ID, email: DEMO_USER_EMAIL },
      accessToken: token,
      expiresIn: DEV_SESSION_SECONDS,
    });
    response.headers.set('set-cookie', cookie);
    return response;
  } catch (error) {
    return errorResponse(error, {
      onUnexpectedError: (unexpected) => console.error('[relaykit/web] dev sign-in failed', unexpected),
    });
  }
}

/** `GET /api/dev/sign-in` (a link or form) signs out and redirects to `/sign-in`; `DELETE` answers `{}`. */
export async function signOut(request: Request): Promise<Response> {
  if (request.method === 'GET') return redirectTo('/sign-in', clearedSessionCookie());
  const response = jsonResponse({});
  response.headers.set('set-cookie', clearedSessionCookie());
  return response;
}
