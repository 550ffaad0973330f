// biome-ignore-all assist/source/organizeImports: three short import lines keep the README quick start short
import { createMemoryRateLimitStore, createMemoryUsageStore } from '@relaykit/usage-tracker';
import { createPriceTable, createRateLimiter, createUsageRecorder } from '@relaykit/usage-tracker';
import { fixedWindow, rateLimitResponse, usageFromResponses } from '@relaykit/usage-tracker';

const store = createMemoryRateLimitStore(); // or /postgres, /supabase, /redis for many instances
const limiter = createRateLimiter({ store, algorithm: fixedWindow(10, '1m'), onStoreFailure: 'deny' });
const recorder = createUsageRecorder({ store: createMemoryUsageStore(), prices: createPriceTable() });
type CallModel = () => Promise<{ model: string; usage: unknown }>;

export async function handleChat(userId: string, callModel: CallModel) {
  const decision = await limiter.limit(`chat:${userId}`);
  if (!decision.success) return rateLimitResponse(decision); // 429, Retry-After, RateLimit-* headers
  const response = await callModel();
  const usage = usageFromResponses(response.usage);
  const { cost } = await recorder.recordUsage({ userId, kind: 'chat', model: response.model, usage });
  return Response.json({ cost }); // { status: 'priced', costMicros, source, ... } or { status: 'unpriced' }
}
