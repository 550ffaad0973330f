import { redirect } from 'next/navigation';
import { readAppConfig } from '../../src/server/config';
import { currentUser } from '../../src/server/session';

export const dynamic = 'force-dynamic';

/** Sign-in: the development sign-in for the seeded demo user (clearly labelled), or a note about Supabase Auth. */
export default async function SignInPage() {
  if (await currentUser()) redirect('/chat');
  const config = readAppConfig();
  return (
    <div className="card narrow">
      <h1>Sign in</h1>
      {config.devSignInEnabled ? (
        <>
          <p>
            <strong>Development only.</strong> Signs you in as the seeded demo user (ada@relaykit.dev) with a
            token minted from a development secret. Disabled in production unless
            RELAYKIT_ENABLE_DEV_SIGN_IN=1.
          </p>
          <form action="/api/dev/sign-in" method="post">
            <button type="submit">Sign in as demo user</button>
          </form>
        </>
      ) : config.auth.mode === 'supabase' ? (
        <p>
          This deployment uses Supabase Auth: sign in through your Supabase project and send the access token
          as the relaykit-session cookie or an Authorization: Bearer header.
        </p>
      ) : (
        <p role="alert">
          The development sign-in is disabled (NODE_ENV=production). Set RELAYKIT_ENABLE_DEV_SIGN_IN=1 for a
          demo, or configure Supabase Auth (SUPABASE_JWT_SECRET).
        </p>
      )}
    </div>
  );
}
