import { signIn, signOut } from '../../../../src/server/sign-in-route';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = signIn;
export const GET = signOut;
export const DELETE = signOut;
