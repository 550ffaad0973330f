import { lazyRoute } from '../../../../../src/server/routes';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = lazyRoute('attachmentUpload');
export const PUT = lazyRoute('attachmentUpload');
export const GET = lazyRoute('attachmentFile');
