/**
 * Ports this package's drivers implement. Every driver decides with the store's own clock (the database's or
 * Redis's), never the caller's, and in one round trip.
 */

/** Rate-limit algorithms. */
export type RateLimitAlgorithmName = 'fixed_window' | 'sliding_window' | 'token_bucket';

/** One decision asked of a {@link RateLimitStore}. */
export interface RateLimitRequest {
  /** The full key (prefix included), at most 256 UTF-8 bytes. */
  key: string;
  algorithm: RateLimitAlgorithmName;
  /** Units allowed per window (fixed/sliding), or the bucket size (token bucket). */
  limit: number;
  /** Window length in ms (fixed/sliding), or the refill interval (token bucket). */
  windowMs: number;
  /** Units this call weighs (requests, tokens or micro-dollars); 0 asks without consuming. */
  cost: number;
  /** Tokens added every `windowMs` (token bucket only). */
  refillRate?: number;
}

/** A store's answer. `reset` and `nowMs` are epoch milliseconds of the store's clock. */
export interface RateLimitDecision {
  success: boolean;
  limit: number;
  remaining: number;
  /** When the window ends (fixed/sliding) or the next token arrives (token bucket), epoch ms. */
  reset: number;
  /** 0 when admitted; otherwise the earliest time in ms a retry of the same weight may succeed. */
  retryAfterMs: number;
  /** The store's clock at the decision, epoch ms. */
  nowMs: number;
}

/** Decides rate limits atomically: one call per decision, exact under concurrency across processes. */
export interface RateLimitStore {
  consume(request: RateLimitRequest): Promise<RateLimitDecision>;
}

/** Spend periods (UTC calendar). */
export type BudgetPeriod = 'day' | 'month';

/** One charge against a spending cap. */
export interface BudgetChargeRequest {
  key: string;
  period: BudgetPeriod;
  limitMicros: number;
  /** Micro-dollars to add (negative refunds, never below zero). */
  amountMicros: number;
  /** Add even past the cap (settling actual cost after the call). */
  force: boolean;
  /** The period to charge (epoch ms of its start) instead of the current one, to settle a reservation. */
  periodStart?: number;
}

/** A store's answer to a budget charge. */
export interface BudgetChargeResult {
  success: boolean;
  limitMicros: number;
  spentMicros: number;
  /** Start of the charged period, epoch ms (UTC). */
  periodStart: number;
  /** Start of the next period, epoch ms. */
  reset: number;
  nowMs: number;
}

/** Keeps spend per key and period atomically. */
export interface BudgetStore {
  charge(request: BudgetChargeRequest): Promise<BudgetChargeResult>;
}

/** Kinds of recorded calls (`transcription`: speech to text, `POST /v1/audio/transcriptions`). */
export type UsageKind = 'chat' | 'image' | 'tool' | 'embedding' | 'transcription';

/** One row of `openai_usage` as a driver writes it. */
export interface UsageRow {
  userId: string;
  organizationId?: string | undefined;
  kind: UsageKind;
  model: string;
  promptTokens: number;
  cachedTokens: number;
  cacheWriteTokens: number;
  completionTokens: number;
  reasoningTokens: number;
  images: number;
  requests: number;
  /** null when the model is unpriced (never $0). */
  costMicros: number | null;
  requestId?: string | undefined;
  requestData?: unknown;
  responseData?: unknown;
  metadata?: Record<string, unknown> | undefined;
  error?: string | undefined;
}

/** A half-open time range `[from, to)`. */
export interface TimeRange {
  from: Date;
  to: Date;
}

/** Per-user totals (the `openai_usage_summary` shape). */
export interface UsageSummary {
  userId: string;
  chatRequests: number;
  imageRequests: number;
  totalRequests: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  cachedTokens: number;
  reasoningTokens: number;
  images: number;
  costMicros: number;
  /** Calls whose model had no price (their cost is not in `costMicros`). */
  unpricedRequests: number;
  failedRequests: number;
  lastRequestAt: Date | null;
}

/** Options of {@link UsageStore.dailyStats}. */
export interface DailyStatsOptions {
  /** Only this user's calls (`usage_user_daily_stats`); absent: every user's (platform-wide, for admins). */
  userId?: string | undefined;
}

/** Per-day totals (the `openai_daily_stats` shape). */
export interface DailyStats {
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  requests: number;
  users: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  costMicros: number;
  averageCostMicrosPerRequest: number;
  unpricedRequests: number;
  failedRequests: number;
}

/** One failed call: a usage row with `error` set (the `usage_recent_errors_v2` shape). */
export interface UsageErrorRow {
  /** When the call was recorded. */
  at: Date;
  kind: UsageKind;
  model: string;
  /** The recorded failure message. */
  message: string;
  /** The error code recorded with it (`metadata.error_code`), when there is one. */
  code: string | undefined;
  /**
   * The id of the HTTP request that failed (`metadata.request_id`: the `x-request-id` its response carried), `null`
   * when it was recorded without one. Not the row's idempotency key ({@link UsageRow.requestId}).
   */
  requestId: string | null;
}

/** Options of {@link UsageStore.recentErrors}. */
export interface RecentErrorsOptions {
  /** Only the failed calls recorded with this request id (`metadata.request_id`). */
  requestId?: string | undefined;
}

/** Where usage rows live. Writes are idempotent on `requestId`. */
export interface UsageStore {
  insert(row: UsageRow): Promise<{ id: string; duplicate: boolean }>;
  summary(userId: string, range: TimeRange): Promise<UsageSummary>;
  /** Totals per UTC day over `range`, oldest first: one user's with `options.userId`, otherwise every user's. */
  dailyStats(range: TimeRange, options?: DailyStatsOptions): Promise<DailyStats[]>;
  /** The newest `limit` (1..100) failed calls of a user, newest first; with `options.requestId` only that request's. */
  recentErrors(userId: string, limit: number, options?: RecentErrorsOptions): Promise<UsageErrorRow[]>;
}
