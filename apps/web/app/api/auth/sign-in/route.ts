import { supabaseSignInRoute } from '../../../../src/server/supabase-sign-in';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = supabaseSignInRoute;
