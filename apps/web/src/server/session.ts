import type { AuthenticatedUser } from '@relaykit/agent-core';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { SESSION_COOKIE, verifySession } from './auth';
import { readAppConfig } from './config';

/** The signed-in user of the current page request, or `null`. */
export async function currentUser(): Promise<AuthenticatedUser | null> {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  return verifySession(readAppConfig(), token);
}

/** The signed-in user; redirects to `/sign-in` when there is none. */
export async function requireUser(): Promise<AuthenticatedUser> {
  const user = await currentUser();
  if (!user) redirect('/sign-in');
  return user;
}
