import type {
  BudgetStore,
  RateLimitDecision,
  RateLimitRequest,
  RateLimitStore,
  UsageRow,
  UsageStore,
} from '../ports';

/** One named check of a contract suite; `run` rejects when the driver breaks the contract. */
export interface ContractCheck {
  name: string;
  run: () => Promise<void>;
}

type Make<T> = () => T | Promise<T>;

class ContractViolation extends Error {
  override name = 'ContractViolation';
}

function expectThat(condition: boolean, message: string, actual?: unknown): void {
  if (!condition)
    throw new ContractViolation(
      actual === undefined ? message : `${message} (got ${JSON.stringify(actual)})`,
    );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const uniqueKey = (label: string) => `contract:${label}:${crypto.randomUUID()}`;

/**
 * The {@link RateLimitStore} contract: exact admission, weights, the three algorithms, resets, independence of keys,
 * exactness under concurrency. Every check uses fresh random keys, so one store may serve all checks.
 */
export function rateLimitStoreContract(make: Make<RateLimitStore>): ContractCheck[] {
  const request = (key: string, overrides: Partial<RateLimitRequest> = {}): RateLimitRequest => ({
    key,
    algorithm: 'fixed_window',
    limit: 3,
    windowMs: 3_600_000,
    cost: 1,
    ...overrides,
  });
  return [
    {
      name: 'fixed window admits exactly the limit, then denies with retryAfterMs until the window resets',
      async run() {
        const store = await make();
        const key = uniqueKey('fixed');
        const results: RateLimitDecision[] = [];
        for (let index = 0; index < 5; index++) results.push(await store.consume(request(key)));
        expectThat(
          results.map((r) => r.success).join() === 'true,true,true,false,false',
          'admits 3 of 5',
          results.map((r) => r.success),
        );
        expectThat(
          results.map((r) => r.remaining).join() === '2,1,0,0,0',
          'remaining counts down',
          results.map((r) => r.remaining),
        );
        const denied = results[3]!;
        expectThat(denied.limit === 3, 'reports the limit', denied.limit);
        expectThat(
          denied.reset > denied.nowMs && denied.reset - denied.nowMs <= 3_600_000,
          'reset is within the window',
          denied,
        );
        expectThat(
          denied.retryAfterMs === denied.reset - denied.nowMs,
          'retryAfterMs runs to the reset',
          denied,
        );
        expectThat(results[0]!.retryAfterMs === 0, 'admitted calls have retryAfterMs 0', results[0]);
      },
    },
    {
      name: 'weighted calls consume their weight, a denied call consumes nothing, weight 0 only asks',
      async run() {
        const store = await make();
        const key = uniqueKey('weighted');
        const limit = 100;
        const first = await store.consume(request(key, { limit, cost: 60 }));
        const second = await store.consume(request(key, { limit, cost: 60 }));
        const peek = await store.consume(request(key, { limit, cost: 0 }));
        const third = await store.consume(request(key, { limit, cost: 40 }));
        expectThat(first.success && first.remaining === 40, 'first call of 60 admitted, 40 left', first);
        expectThat(
          !second.success && second.remaining === 40,
          'second call of 60 denied, still 40 left',
          second,
        );
        expectThat(peek.success && peek.remaining === 40, 'weight 0 admits and consumes nothing', peek);
        expectThat(third.success && third.remaining === 0, 'a call of 40 fits exactly', third);
      },
    },
    {
      name: 'keys are independent',
      async run() {
        const store = await make();
        const a = uniqueKey('a');
        const b = uniqueKey('b');
        await store.consume(request(a, { limit: 1 }));
        const deniedA = await store.consume(request(a, { limit: 1 }));
        const firstB = await store.consume(request(b, { limit: 1 }));
        expectThat(!deniedA.success && firstB.success, 'a full key does not affect another', {
          deniedA,
          firstB,
        });
      },
    },
    {
      name: 'is exact under concurrency: 60 simultaneous calls with a limit of 10 admit exactly 10',
      async run() {
        const store = await make();
        const key = uniqueKey('concurrent');
        const results = await Promise.all(
          Array.from({ length: 60 }, () => store.consume(request(key, { limit: 10 }))),
        );
        const admitted = results.filter((r) => r.success).length;
        expectThat(admitted === 10, 'admits exactly 10', admitted);
      },
    },
    {
      name: 'a fixed window admits again once it resets',
      async run() {
        const store = await make();
        const key = uniqueKey('reset');
        const windowMs = 400;
        // start right after a window boundary of the store's clock, so both calls land in one window
        const probe = await store.consume(request(uniqueKey('probe'), { limit: 1, windowMs }));
        await sleep(probe.reset - probe.nowMs + 5);
        await store.consume(request(key, { limit: 1, windowMs }));
        const denied = await store.consume(request(key, { limit: 1, windowMs }));
        expectThat(
          !denied.success && denied.retryAfterMs > 0 && denied.retryAfterMs <= windowMs,
          'denied until reset',
          denied,
        );
        await sleep(denied.retryAfterMs + 30);
        const again = await store.consume(request(key, { limit: 1, windowMs }));
        expectThat(again.success, 'admitted in the next window', again);
      },
    },
    {
      name: 'sliding window weighs the previous window and admits again when it has slid past',
      async run() {
        const store = await make();
        const key = uniqueKey('sliding');
        const windowMs = 200;
        const sliding = { algorithm: 'sliding_window' as const, limit: 4, windowMs };
        // start right after a window boundary of the store's clock, so the burst lands in one window
        const probe = await store.consume(request(uniqueKey('probe'), sliding));
        await sleep(probe.reset - probe.nowMs + 5);
        const results: RateLimitDecision[] = [];
        for (let index = 0; index < 5; index++) results.push(await store.consume(request(key, sliding)));
        const oneWindow = results.every((r) => r.reset === results[0]!.reset);
        if (oneWindow)
          expectThat(results.filter((r) => r.success).length === 4, 'admits 4 of 5 in one window', results);
        const denied = results[4]!;
        if (!denied.success)
          expectThat(
            denied.retryAfterMs > 0 && denied.retryAfterMs <= 2 * windowMs,
            'retryAfterMs within two windows',
            denied,
          );
        // Right after the boundary the previous window still weighs almost fully.
        await sleep(denied.reset - denied.nowMs + 5);
        const early = await store.consume(request(key, sliding));
        const elapsed = early.nowMs % windowMs;
        if (oneWindow && early.reset === denied.reset + windowMs && elapsed < windowMs / 4)
          expectThat(!early.success, 'the previous window still counts after the boundary', early);
        await sleep(2 * windowMs + 20);
        const later = await store.consume(request(key, sliding));
        expectThat(later.success, 'admitted once the previous window slid out', later);
      },
    },
    {
      name: 'token bucket bursts to its size, then refills at its rate',
      async run() {
        const store = await make();
        const key = uniqueKey('bucket');
        const windowMs = 400;
        const bucket = { algorithm: 'token_bucket' as const, limit: 3, windowMs, refillRate: 1 };
        const results: RateLimitDecision[] = [];
        for (let index = 0; index < 4; index++) results.push(await store.consume(request(key, bucket)));
        expectThat(
          results.slice(0, 3).every((r) => r.success),
          'a full bucket admits a burst of 3',
          results,
        );
        // The assertions below hold whenever the store's own clock shows no refill happened in between
        // (always, unless the machine stalls for a whole interval).
        const denied = results[3]!;
        if (denied.nowMs < results[0]!.nowMs + windowMs) {
          expectThat(!denied.success, 'the 4th call of the burst is denied', denied);
          expectThat(
            denied.retryAfterMs > 0 && denied.retryAfterMs <= windowMs,
            'retry after at most one interval',
            denied,
          );
        }
        await sleep(Math.max(denied.retryAfterMs, 0) + 30);
        const refilled = await store.consume(request(key, bucket));
        const empty = await store.consume(request(key, bucket));
        expectThat(refilled.success, 'one token came back', refilled);
        if (empty.nowMs < refilled.reset) expectThat(!empty.success, 'only one token came back', empty);
      },
    },
  ];
}

function row(overrides: Partial<UsageRow>): UsageRow {
  return {
    userId: 'user',
    kind: 'chat',
    model: 'gpt-4o-mini',
    promptTokens: 100,
    cachedTokens: 20,
    cacheWriteTokens: 0,
    completionTokens: 50,
    reasoningTokens: 10,
    images: 0,
    requests: 1,
    costMicros: 45,
    ...overrides,
  };
}

/** The {@link UsageStore} contract: idempotent writes, per-user summaries, daily stats (all users or one) over a range. */
export function usageStoreContract(make: Make<UsageStore>): ContractCheck[] {
  const range = () => ({ from: new Date(Date.now() - 86_400_000), to: new Date(Date.now() + 86_400_000) });
  return [
    {
      name: 'never fails with a server error on hostile values: a NUL character, an integer beyond the column',
      async run() {
        // A driver may store these (memory) or refuse them; refusing is `invalid_request`, never `store_error`.
        const store = await make();
        for (const hostile of [
          row({ model: 'gpt\u0000mini' }),
          row({ error: 'a\u0000b' }),
          row({ images: 1e12 }),
        ]) {
          let outcome = 'stored';
          try {
            await store.insert(hostile);
          } catch (error) {
            outcome = String((error as { code?: unknown }).code);
          }
          expectThat(
            outcome === 'stored' || outcome === 'invalid_request',
            'stores or refuses as invalid_request',
            outcome,
          );
        }
      },
    },
    {
      name: 'summarizes one user: requests by kind, tokens, cost, unpriced and failed calls',
      async run() {
        const store = await make();
        const userId = crypto.randomUUID();
        await store.insert(row({ userId }));
        await store.insert(
          row({
            userId,
            kind: 'image',
            model: 'gpt-image-1',
            promptTokens: 0,
            cachedTokens: 0,
            completionTokens: 0,
            reasoningTokens: 0,
            images: 2,
            costMicros: 84_000,
          }),
        );
        await store.insert(
          row({ userId, model: 'mystery-model', costMicros: null, error: 'upstream failed' }),
        );
        await store.insert(row({ userId: crypto.randomUUID(), costMicros: 999 }));
        const summary = await store.summary(userId, range());
        expectThat(summary.userId === userId, 'summary names the user', summary);
        expectThat(
          summary.totalRequests === 3 && summary.chatRequests === 2 && summary.imageRequests === 1,
          'counts by kind',
          summary,
        );
        expectThat(
          summary.promptTokens === 200 && summary.completionTokens === 100 && summary.totalTokens === 300,
          'sums tokens',
          summary,
        );
        expectThat(
          summary.cachedTokens === 40 && summary.reasoningTokens === 20 && summary.images === 2,
          'sums cached, reasoning, images',
          summary,
        );
        expectThat(summary.costMicros === 84_045, 'sums priced cost only', summary.costMicros);
        expectThat(
          summary.unpricedRequests === 1 && summary.failedRequests === 1,
          'counts unpriced and failed calls',
          summary,
        );
        expectThat(summary.lastRequestAt instanceof Date, 'has the last request time', summary.lastRequestAt);
      },
    },
    {
      name: 'records a request id once (a retried write is a duplicate)',
      async run() {
        const store = await make();
        const userId = crypto.randomUUID();
        const requestId = crypto.randomUUID();
        const first = await store.insert(row({ userId, requestId }));
        const second = await store.insert(row({ userId, requestId }));
        expectThat(
          !first.duplicate && second.duplicate && first.id === second.id,
          'second write is a duplicate of the first',
          { first, second },
        );
        const summary = await store.summary(userId, range());
        expectThat(summary.totalRequests === 1, 'stored once', summary.totalRequests);
      },
    },
    {
      name: 'a user without calls, or calls outside the range, sums to zero',
      async run() {
        const store = await make();
        const userId = crypto.randomUUID();
        await store.insert(row({ userId }));
        const past = await store.summary(userId, {
          from: new Date('2000-01-01'),
          to: new Date('2000-01-02'),
        });
        expectThat(
          past.totalRequests === 0 && past.costMicros === 0 && past.lastRequestAt === null,
          'empty range sums to zero',
          past,
        );
      },
    },
    {
      name: 'daily stats count requests, users, tokens and cost per UTC day',
      async run() {
        const store = await make();
        const today = new Date().toISOString().slice(0, 10);
        const before = (await store.dailyStats(range())).find((day) => day.day === today);
        await store.insert(row({ userId: crypto.randomUUID(), costMicros: 100 }));
        await store.insert(row({ userId: crypto.randomUUID(), costMicros: 300 }));
        const after = (await store.dailyStats(range())).find((day) => day.day === today);
        expectThat(after !== undefined, 'has a row for today', after);
        expectThat(after!.requests - (before?.requests ?? 0) === 2, 'two more requests', after);
        expectThat(after!.users - (before?.users ?? 0) === 2, 'two more users', after);
        expectThat(after!.totalTokens - (before?.totalTokens ?? 0) === 300, '300 more tokens', after);
        expectThat(after!.costMicros - (before?.costMicros ?? 0) === 400, '400 more micro-dollars', after);
        expectThat(
          after!.averageCostMicrosPerRequest === Math.round(after!.costMicros / after!.requests),
          'average cost per request',
          after,
        );
      },
    },
    {
      name: "daily stats for one user count only that user's calls; other users see only their own days",
      async run() {
        const store = await make();
        const alice = crypto.randomUUID();
        const bob = crypto.randomUUID();
        const nobody = crypto.randomUUID();
        await store.insert(row({ userId: alice, costMicros: 100 }));
        await store.insert(row({ userId: alice, costMicros: null, error: 'upstream failed' }));
        await store.insert(row({ userId: bob, costMicros: 300 }));
        const today = new Date().toISOString().slice(0, 10);
        const aliceDays = await store.dailyStats(range(), { userId: alice });
        expectThat(
          aliceDays.length === 1 && aliceDays[0]!.day === today,
          "alice's only day is today",
          aliceDays,
        );
        expectThat(
          aliceDays[0]!.requests === 2 && aliceDays[0]!.users === 1,
          "counts alice's two calls, one user",
          aliceDays[0],
        );
        expectThat(
          aliceDays[0]!.totalTokens === 300 && aliceDays[0]!.costMicros === 100,
          "sums alice's tokens and priced cost only",
          aliceDays[0],
        );
        expectThat(
          aliceDays[0]!.unpricedRequests === 1 &&
            aliceDays[0]!.failedRequests === 1 &&
            aliceDays[0]!.averageCostMicrosPerRequest === 50,
          "counts alice's unpriced and failed calls, averages her cost",
          aliceDays[0],
        );
        const bobDays = await store.dailyStats(range(), { userId: bob });
        expectThat(
          bobDays.length === 1 &&
            bobDays[0]!.requests === 1 &&
            bobDays[0]!.users === 1 &&
            bobDays[0]!.costMicros === 300,
          'bob sees only his one call',
          bobDays,
        );
        const none = await store.dailyStats(range(), { userId: nobody });
        expectThat(none.length === 0, 'a user without calls has no days', none);
        const all = (await store.dailyStats(range())).find((day) => day.day === today);
        expectThat(
          all !== undefined && all.requests >= 3 && all.users >= 2,
          'without a user id the stats stay platform-wide',
          all,
        );
      },
    },
    {
      name: 'stores transcription calls: counted in the total (not as chat or image), kind read back',
      async run() {
        const store = await make();
        const userId = crypto.randomUUID();
        await store.insert(row({ userId }));
        await store.insert(
          row({
            userId,
            kind: 'transcription',
            model: 'gpt-4o-mini-transcribe',
            promptTokens: 40,
            cachedTokens: 0,
            completionTokens: 12,
            reasoningTokens: 0,
            costMicros: 150,
            metadata: { inputAudioTokens: 32 },
            error: 'client went away',
          }),
        );
        const summary = await store.summary(userId, range());
        expectThat(
          summary.totalRequests === 2 && summary.chatRequests === 1 && summary.imageRequests === 0,
          'a transcription is a request of its own kind',
          summary,
        );
        expectThat(
          summary.promptTokens === 140 && summary.completionTokens === 62 && summary.costMicros === 195,
          'its tokens and cost are summed',
          summary,
        );
        const errors = await store.recentErrors(userId, 10);
        expectThat(
          errors.length === 1 &&
            errors[0]!.kind === 'transcription' &&
            errors[0]!.model === 'gpt-4o-mini-transcribe',
          'the kind is read back',
          errors,
        );
      },
    },
    {
      name: "recent errors: only the user's failed calls, newest first, with code and model, limited",
      async run() {
        const store = await make();
        const userId = crypto.randomUUID();
        await store.insert(row({ userId }));
        await store.insert(
          row({
            userId,
            kind: 'image',
            model: 'gpt-image-1',
            error: 'Blocked.',
            metadata: { error_code: 'content_policy', request_id: 'req_blocked_1' },
          }),
        );
        await new Promise((resolve) => setTimeout(resolve, 5));
        await store.insert(row({ userId, error: 'upstream failed' }));
        await store.insert(row({ userId: crypto.randomUUID(), error: 'someone else' }));
        const errors = await store.recentErrors(userId, 10);
        expectThat(errors.length === 2, 'two failed calls of this user', errors);
        expectThat(
          errors[0]!.message === 'upstream failed' &&
            errors[0]!.code === undefined &&
            errors[0]!.requestId === null &&
            errors[0]!.kind === 'chat',
          'newest first, no code and a null requestId when none was recorded',
          errors[0],
        );
        expectThat(
          errors[1]!.message === 'Blocked.' &&
            errors[1]!.code === 'content_policy' &&
            errors[1]!.requestId === 'req_blocked_1' &&
            errors[1]!.model === 'gpt-image-1' &&
            errors[1]!.kind === 'image' &&
            errors[1]!.at instanceof Date &&
            errors[1]!.at.getTime() <= errors[0]!.at.getTime(),
          'code, request id, model, kind and time of the older one',
          errors[1],
        );
        const one = await store.recentErrors(userId, 1);
        expectThat(
          one.length === 1 && one[0]!.message === 'upstream failed',
          'limit 1 keeps the newest',
          one,
        );
        const none = await store.recentErrors(crypto.randomUUID(), 10);
        expectThat(none.length === 0, 'a user without failures has none', none);
      },
    },
    {
      name: "recent errors by request id: only that request's failed calls of that user",
      async run() {
        const store = await make();
        const userId = crypto.randomUUID();
        const other = crypto.randomUUID();
        const requestId = `req_${crypto.randomUUID()}`;
        await store.insert(row({ userId, error: 'first try failed', metadata: { request_id: requestId } }));
        await new Promise((resolve) => setTimeout(resolve, 5));
        await store.insert(
          row({
            userId,
            error: 'second call failed',
            metadata: { request_id: requestId, error_code: 'provider_unavailable' },
          }),
        );
        await store.insert(row({ userId, error: 'another request', metadata: { request_id: 'req_other' } }));
        await store.insert(row({ userId, error: 'no request id' }));
        await store.insert(row({ userId, metadata: { request_id: requestId } }));
        await store.insert(row({ userId: other, error: 'not yours', metadata: { request_id: requestId } }));
        const found = await store.recentErrors(userId, 10, { requestId });
        expectThat(
          found.length === 2 &&
            found.every((error) => error.requestId === requestId) &&
            found[0]!.message === 'second call failed' &&
            found[0]!.code === 'provider_unavailable' &&
            found[1]!.message === 'first try failed',
          "the request's two failures of this user, newest first (not its successful call, not another user's)",
          found,
        );
        const one = await store.recentErrors(userId, 1, { requestId });
        expectThat(one.length === 1 && one[0]!.message === 'second call failed', 'limited', one);
        const unknown = await store.recentErrors(userId, 10, { requestId: 'req_never_seen' });
        expectThat(unknown.length === 0, 'an unknown request id finds nothing', unknown);
        const all = await store.recentErrors(userId, 10);
        expectThat(all.length === 4, 'without the option, every failed call of the user', all);
      },
    },
  ];
}

/** The {@link BudgetStore} contract: checked charges, forced settlement, refunds, periods. */
export function budgetStoreContract(make: Make<BudgetStore>): ContractCheck[] {
  return [
    {
      name: 'charges within the cap and refuses a charge past it without changing the spend',
      async run() {
        const store = await make();
        const key = uniqueKey('budget');
        const base = { key, period: 'month' as const, limitMicros: 1_000, force: false };
        const first = await store.charge({ ...base, amountMicros: 600 });
        const refused = await store.charge({ ...base, amountMicros: 600 });
        const exact = await store.charge({ ...base, amountMicros: 400 });
        expectThat(first.success && first.spentMicros === 600, 'first charge admitted', first);
        expectThat(
          !refused.success && refused.spentMicros === 600,
          'second charge refused, spend unchanged',
          refused,
        );
        expectThat(exact.success && exact.spentMicros === 1_000, 'a charge up to the cap fits', exact);
        expectThat(
          first.reset > first.nowMs && first.periodStart <= first.nowMs,
          'period bounds around now',
          first,
        );
      },
    },
    {
      name: 'forced charges pass the cap, refunds never go below zero, periodStart targets a period',
      async run() {
        const store = await make();
        const key = uniqueKey('settle');
        const base = { key, period: 'day' as const, limitMicros: 100 };
        const reserve = await store.charge({ ...base, amountMicros: 80, force: false });
        const settle = await store.charge({
          ...base,
          amountMicros: 50,
          force: true,
          periodStart: reserve.periodStart,
        });
        expectThat(settle.success && settle.spentMicros === 130, 'forced charge passes the cap', settle);
        const refund = await store.charge({
          ...base,
          amountMicros: -500,
          force: true,
          periodStart: reserve.periodStart,
        });
        expectThat(refund.spentMicros === 0, 'refund stops at zero', refund);
        const otherPeriod = await store.charge({
          ...base,
          amountMicros: 70,
          force: false,
          periodStart: Date.UTC(2000, 0, 1),
        });
        expectThat(
          otherPeriod.periodStart === Date.UTC(2000, 0, 1) && otherPeriod.spentMicros === 70,
          'charges the given period',
          otherPeriod,
        );
        const now = await store.charge({ ...base, amountMicros: 0, force: false });
        expectThat(now.spentMicros === 0, 'the other period did not touch the current one', now);
      },
    },
  ];
}
