import { ConfigurationError } from '@relaykit/sse-protocol';
import { invalidRequest } from './errors';
import { assertKey } from './internal/validate';
import type {
  DailyStats,
  DailyStatsOptions,
  RecentErrorsOptions,
  TimeRange,
  UsageErrorRow,
  UsageKind,
  UsageStore,
  UsageSummary,
} from './ports';
import type { CostResult, PriceTable } from './prices';
import { parseUsage, type Usage } from './usage';

/** The kinds {@link UsageRecorder.recordUsage} accepts. */
export const USAGE_KINDS: readonly UsageKind[] = ['chat', 'image', 'tool', 'embedding', 'transcription'];

/** One call to record. */
export interface RecordUsageInput {
  userId: string;
  organizationId?: string;
  kind: UsageKind;
  model: string;
  usage: Usage;
  /** A cost you computed; by default the recorder prices the usage with its price table. */
  cost?: CostResult;
  /** Makes recording idempotent: the same id is stored once. */
  requestId?: string;
  metadata?: Record<string, unknown>;
  /** What was asked and answered (kept as JSON; keep secrets out). */
  requestData?: unknown;
  responseData?: unknown;
  /** The failure message when the call failed. */
  error?: string;
  /** The failure's code (a `RelayKitError` code such as `content_policy`), kept as `metadata.error_code`. */
  errorCode?: string;
}

/** What {@link UsageRecorder.recordUsage} answers. */
export interface RecordUsageResult {
  id: string;
  /** True when a row with the same `requestId` existed (nothing new was stored). */
  duplicate: boolean;
  cost: CostResult;
}

/** Records calls and answers the dashboard's reports. */
export interface UsageRecorder {
  recordUsage(input: RecordUsageInput): Promise<RecordUsageResult>;
  /** One user's totals over `[from, to)` (zeros when the user made no call). */
  getUsageSummary(userId: string, range: TimeRange): Promise<UsageSummary>;
  /**
   * Totals per UTC day over `[from, to)`, oldest first. With `options.userId`, only that user's calls (what a
   * user's own dashboard shows); without it, every user's (platform-wide, for admins).
   */
  getDailyStats(range: TimeRange, options?: DailyStatsOptions): Promise<DailyStats[]>;
  /**
   * One user's newest failed calls (rows recorded with `error`), newest first; `limit` 1..100, default 10. Each
   * carries the `requestId` of the request that failed (`metadata.request_id`, else `null`); with
   * `options.requestId`, only the failed calls of that request (find the row of an `x-request-id` a user reports).
   */
  getRecentErrors(userId: string, limit?: number, options?: RecentErrorsOptions): Promise<UsageErrorRow[]>;
}

function assertRange(range: TimeRange): void {
  if (
    !(range?.from instanceof Date) ||
    !(range.to instanceof Date) ||
    Number.isNaN(range.from.getTime()) ||
    Number.isNaN(range.to.getTime()) ||
    range.from > range.to
  )
    throw invalidRequest('range must be { from: Date, to: Date } with from ≤ to');
}

/** Creates a {@link UsageRecorder} over a store and a price table. */
export function createUsageRecorder(options: { store: UsageStore; prices: PriceTable }): UsageRecorder {
  if (!options?.store || !options.prices)
    throw new ConfigurationError('createUsageRecorder needs a store and a price table');
  const { store, prices } = options;
  return {
    async recordUsage(input) {
      assertKey(input?.userId, 'userId');
      if (input.organizationId !== undefined) assertKey(input.organizationId, 'organizationId');
      if (input.requestId !== undefined) assertKey(input.requestId, 'requestId');
      if (input.errorCode !== undefined) assertKey(input.errorCode, 'errorCode');
      if (!USAGE_KINDS.includes(input.kind))
        throw invalidRequest(
          `kind must be one of ${USAGE_KINDS.join(', ')}, got ${JSON.stringify(input.kind)}`,
        );
      assertKey(input.model, 'model');
      const usage = parseUsage(input.usage);
      const cost = input.cost ?? prices.cost(input.model, usage);
      if (cost.status === 'priced' && (!Number.isSafeInteger(cost.costMicros) || cost.costMicros < 0))
        throw invalidRequest('cost.costMicros must be a non-negative integer');
      const stored = await store.insert({
        userId: input.userId,
        organizationId: input.organizationId,
        kind: input.kind,
        model: input.model,
        promptTokens: usage.inputTokens,
        cachedTokens: usage.cachedInputTokens,
        cacheWriteTokens: usage.cacheWriteTokens,
        completionTokens: usage.outputTokens,
        reasoningTokens: usage.reasoningTokens,
        images: usage.images.reduce((sum, image) => sum + image.count, 0),
        requests: usage.requests,
        costMicros: cost.status === 'priced' ? cost.costMicros : null,
        requestId: input.requestId,
        requestData: input.requestData,
        responseData: input.responseData,
        metadata: {
          ...input.metadata,
          ...(input.errorCode === undefined ? {} : { error_code: input.errorCode }),
          ...(usage.inputAudioTokens ? { inputAudioTokens: usage.inputAudioTokens } : {}),
          ...(usage.audioSeconds ? { audioSeconds: usage.audioSeconds } : {}),
          ...(cost.status === 'priced'
            ? { pricedAs: cost.pricedAs, priceSource: cost.source, priceCheckedAt: cost.checkedAt }
            : { unpriced: cost.reason }),
        },
        error: input.error,
      });
      return { ...stored, cost };
    },
    async getUsageSummary(userId, range) {
      assertKey(userId, 'userId');
      assertRange(range);
      return store.summary(userId, range);
    },
    async getDailyStats(range, options = {}) {
      assertRange(range);
      if (options.userId !== undefined) assertKey(options.userId, 'userId');
      return store.dailyStats(range, options.userId === undefined ? {} : { userId: options.userId });
    },
    async getRecentErrors(userId, limit = 10, options = {}) {
      assertKey(userId, 'userId');
      if (!Number.isInteger(limit) || limit < 1 || limit > 100)
        throw invalidRequest(`limit must be an integer from 1 to 100, got ${JSON.stringify(limit)}`);
      if (options.requestId === undefined) return store.recentErrors(userId, limit);
      assertKey(options.requestId, 'requestId');
      return store.recentErrors(userId, limit, { requestId: options.requestId });
    },
  };
}

/** A summary with every total zero. */
export function emptySummary(userId: string): UsageSummary {
  return {
    userId,
    chatRequests: 0,
    imageRequests: 0,
    totalRequests: 0,
    promptTokens: 0,
    completionTokens: 0,
    totalTokens: 0,
    cachedTokens: 0,
    reasoningTokens: 0,
    images: 0,
    costMicros: 0,
    unpricedRequests: 0,
    failedRequests: 0,
    lastRequestAt: null,
  };
}
