import { expect, it } from 'vitest';
import * as pglite from './drivers/pglite';
import * as postgres from './drivers/postgres';
import * as redis from './drivers/redis';
import * as supabase from './drivers/supabase';
import * as api from './index';
import * as testing from './testing';

it('pins the exported names of @relaykit/usage-tracker', () => {
  expect(Object.keys(api).sort()).toEqual(
    [
      'BudgetExceededError',
      'IMAGE_PRICE_SOURCE',
      'ImageCount',
      'MAX_KEY_BYTES',
      'MIGRATIONS',
      'REVIEWED_PRICES',
      'RateLimitExceededError',
      'RelayKitError',
      'TRANSCRIPTION_PRICE_SOURCE',
      'USAGE_KINDS',
      'Usage',
      'addUsage',
      'costMicrosFor',
      'createBudgetGuard',
      'createMemoryBudgetStore',
      'createMemoryRateLimitStore',
      'createMemoryUsageStore',
      'createPriceTable',
      'createRateLimiter',
      'createUsage',
      'createUsageRecorder',
      'emptySummary',
      'emptyUsage',
      'fixedWindow',
      'formatMicros',
      'isRelayKitError',
      'modelFamily',
      'parseUsage',
      'rateLimitHeaders',
      'rateLimitResponse',
      'slidingWindow',
      'tokenBucket',
      'usageFromAgents',
      'usageFromChatCompletions',
      'usageFromImages',
      'usageFromResponses',
      'usageFromTranscription',
    ].sort(),
  );
});

it('pins the exported names of each subpath', () => {
  expect(Object.keys(postgres).sort()).toEqual(['createPostgresStores', 'migratePostgres']);
  expect(Object.keys(pglite).sort()).toEqual(['createPGliteStores', 'migratePGlite']);
  expect(Object.keys(supabase).sort()).toEqual(['createSupabaseStores']);
  expect(Object.keys(redis).sort()).toEqual([
    'BUDGET_SCRIPT',
    'BUDGET_SCRIPT_SHA1',
    'RATE_LIMIT_SCRIPT',
    'RATE_LIMIT_SCRIPT_SHA1',
    'createRedisBudgetStore',
    'createRedisRateLimitStore',
  ]);
  expect(Object.keys(testing).sort()).toEqual([
    'budgetStoreContract',
    'createFailingRateLimitStore',
    'rateLimitStoreContract',
    'usageStoreContract',
  ]);
});
