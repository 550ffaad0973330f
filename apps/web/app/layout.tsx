import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { SiteHeader } from '../src/components/site-header';
import { readAppConfig } from '../src/server/config';
import { currentUser } from '../src/server/session';
import '@relaykit/chat-ui/styles.css';
import './globals.css';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = {
  title: 'RelayKit',
  description: 'RelayKit reference app: multi-agent chat, image batches and usage on Next.js.',
};

/** The shell of every page: header with navigation, the offline banner, and the page. */
export default async function RootLayout({ children }: { children: ReactNode }) {
  const config = readAppConfig();
  const user = await currentUser();
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <SiteHeader
          signedIn={user !== null}
          email={typeof user?.claims.email === 'string' ? user.claims.email : null}
        />
        {config.offline ? (
          <div role="status" className="offline-banner">
            Running on the <strong>offline demo model</strong>: answers are scripted by the fake OpenAI
            server. Set OPENAI_API_KEY for real answers.
          </div>
        ) : null}
        <main id="main">{children}</main>
      </body>
    </html>
  );
}
