/**
 * `@relaykit/usage-tracker`: rate limits exact across instances, normalized token usage, cost in integer
 * micro-dollars from a price table with provenance, spending budgets and usage reports.
 * Backends are subpaths: `./postgres`, `./pglite`, `./supabase`, `./redis`; contract suites in `./testing`.
 */
export {
  isRelayKitError,
  RelayKitError,
  type RelayKitErrorCode,
  type RelayKitErrorJSON,
} from '@relaykit/sse-protocol';
export {
  type BudgetGuard,
  type BudgetGuardOptions,
  type BudgetLimit,
  type BudgetReservation,
  type BudgetSubject,
  createBudgetGuard,
} from './budget';
export {
  createMemoryBudgetStore,
  createMemoryRateLimitStore,
  createMemoryUsageStore,
  type MemoryStoreOptions,
} from './drivers/memory';
export { BudgetExceededError, type RateLimitDenial, RateLimitExceededError } from './errors';
export { rateLimitHeaders, rateLimitResponse } from './http';
export { MIGRATIONS } from './internal/migrations';
export { type Duration, MAX_KEY_BYTES } from './internal/validate';
export type {
  BudgetChargeRequest,
  BudgetChargeResult,
  BudgetPeriod,
  BudgetStore,
  DailyStats,
  DailyStatsOptions,
  RateLimitAlgorithmName,
  RateLimitDecision,
  RateLimitRequest,
  RateLimitStore,
  RecentErrorsOptions,
  TimeRange,
  UsageErrorRow,
  UsageKind,
  UsageRow,
  UsageStore,
  UsageSummary,
} from './ports';
export {
  type CostResult,
  costMicrosFor,
  createPriceTable,
  formatMicros,
  IMAGE_PRICE_SOURCE,
  type ImagePrice,
  type ModelMatch,
  modelFamily,
  type PriceEntry,
  type PriceTable,
  type PriceTableOptions,
  REVIEWED_PRICES,
  type TokenPrice,
  type TokenPrices,
  TRANSCRIPTION_PRICE_SOURCE,
} from './prices';
export {
  createRateLimiter,
  fixedWindow,
  type LimitOptions,
  type RateLimitAlgorithm,
  type RateLimiter,
  type RateLimiterOptions,
  type RateLimitResult,
  slidingWindow,
  tokenBucket,
} from './rate-limiter';
export {
  createUsageRecorder,
  emptySummary,
  type RecordUsageInput,
  type RecordUsageResult,
  USAGE_KINDS,
  type UsageRecorder,
} from './recorder';
export {
  type AgentsUsageInput,
  addUsage,
  type ChatCompletionsUsageInput,
  createUsage,
  emptyUsage,
  ImageCount,
  type ImagesUsageInput,
  parseUsage,
  type ResponsesUsageInput,
  type TranscriptionUsageInput,
  Usage,
  usageFromAgents,
  usageFromChatCompletions,
  usageFromImages,
  usageFromResponses,
  usageFromTranscription,
} from './usage';
