import { lazyRoute } from '../../../../src/server/routes';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = lazyRoute('threadSearch');
