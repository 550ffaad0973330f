import { redirect } from 'next/navigation';
import { currentUser } from '../src/server/session';

export const dynamic = 'force-dynamic';

export default async function Home() {
  redirect((await currentUser()) ? '/chat' : '/sign-in');
}
