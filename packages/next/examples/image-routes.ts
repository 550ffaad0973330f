// app/api/images/route.ts exports `generate`, app/api/images/batch/route.ts exports `batch`:
//   export const { POST } = routes.generate;   /   export const { POST } = routes.batch;
import { createMemoryBlobStore } from '@relaykit/image-gen';
import { createImageRoutes, readRelayKitConfig } from '@relaykit/next';
import OpenAI from 'openai';

const config = readRelayKitConfig();
if (!config.auth)
  throw new Error('Set SUPABASE_JWT_SECRET (or SUPABASE_URL for its JWKS) to verify callers.');
const client = new OpenAI({ apiKey: config.openai.apiKey ?? 'unset', baseURL: config.openai.baseURL });

export const routes = createImageRoutes({
  auth: config.auth,
  client,
  // Supabase Storage in production: createSupabaseBlobStore() from @relaykit/image-gen/supabase.
  blobs: createMemoryBlobStore(),
  publicUrl: (path) => `/api/images/file/${path}`,
  maxBatchSize: 40,
});
