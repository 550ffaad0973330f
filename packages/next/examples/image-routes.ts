// app/api/images/route.ts exports `generate`, app/api/images/batch/route.ts exports `batch`:
//   export const { POST } = routes.generate;   /   export const { POST } = routes.batch;
import { createMemoryBlobStore } from '@relaykit/image-gen';
import { createEnvironmentAuthenticator, createImageRoutes, readRelayKitConfig } from '@relaykit/next';
import OpenAI from 'openai';

const config = readRelayKitConfig(); // never throws: values may be missing while `next build` runs
const client = new OpenAI({ apiKey: config.openai.apiKey ?? 'unset', baseURL: config.openai.baseURL });

export const routes = createImageRoutes({
  auth: createEnvironmentAuthenticator(), // SUPABASE_JWT_SECRET / SUPABASE_URL, read at the first request
  client,
  // Supabase Storage in production: createSupabaseBlobStore() from @relaykit/image-gen/supabase.
  blobs: createMemoryBlobStore(),
  publicUrl: (path) => `/api/images/file/${path}`,
  maxBatchSize: 40,
});
