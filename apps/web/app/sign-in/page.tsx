import { redirect } from 'next/navigation';
import { readAppConfig } from '../../src/server/config';
import { currentUser } from '../../src/server/session';

export const dynamic = 'force-dynamic';

/** Sign-in: Supabase Auth (e-mail and password) when configured, otherwise the clearly labelled development sign-in. */
export default async function SignInPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  if (await currentUser()) redirect('/chat');
  const config = readAppConfig();
  const { error } = await searchParams;
  const supabase = config.auth.mode === 'supabase' && config.auth.supabaseUrl && config.auth.supabaseAnonKey;
  return (
    <div className="card narrow">
      <h1>Sign in</h1>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
      {supabase ? (
        <form action="/api/auth/sign-in" method="post" className="stack">
          <label htmlFor="email">E-mail</label>
          <input id="email" name="email" type="email" autoComplete="email" required />
          <label htmlFor="password">Password</label>
          <input id="password" name="password" type="password" autoComplete="current-password" required />
          <button type="submit">Sign in</button>
        </form>
      ) : null}
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
      ) : null}
      {!supabase && !config.devSignInEnabled ? (
        <p role="alert">
          {config.auth.mode === 'supabase'
            ? 'Supabase Auth is configured without SUPABASE_URL and SUPABASE_ANON_KEY: send your access token as an Authorization: Bearer header.'
            : 'The development sign-in is disabled (NODE_ENV=production). Set RELAYKIT_ENABLE_DEV_SIGN_IN=1 for a demo, or configure Supabase Auth (SUPABASE_JWT_SECRET, SUPABASE_URL, SUPABASE_ANON_KEY).'}
        </p>
      ) : null}
    </div>
  );
}
