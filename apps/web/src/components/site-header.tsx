import Link from 'next/link';

/** The header: app name, the main navigation and the sign-out button (a form, so it works without JavaScript). */
export function SiteHeader({ signedIn, email }: { signedIn: boolean; email: string | null }) {
  return (
    <header className="site-header">
      <Link href="/chat" className="brand">
        RelayKit
      </Link>
      {signedIn ? (
        <>
          <nav aria-label="Main">
            <ul>
              <li>
                <Link href="/chat">Chat</Link>
              </li>
              <li>
                <Link href="/images">Images</Link>
              </li>
              <li>
                <Link href="/usage">Usage</Link>
              </li>
            </ul>
          </nav>
          <form action="/api/dev/sign-in" method="get" className="sign-out">
            {email ? <span className="who">{email}</span> : null}
            <button type="submit">Sign out</button>
          </form>
        </>
      ) : null}
    </header>
  );
}
