import { ConfigurationError, type StoreError } from '@relaykit/sse-protocol';
import { BudgetExceededError } from './errors';
import { storeFailureOf } from './internal/store-failure';
import { assertInteger, assertKey } from './internal/validate';
import type { BudgetPeriod, BudgetStore } from './ports';

/** A spending cap. */
export interface BudgetLimit {
  scope: 'user' | 'organization';
  period: BudgetPeriod;
  /** The cap in integer micro-dollars per period. */
  limitMicros: number;
}

/** Options of {@link createBudgetGuard}. */
export interface BudgetGuardOptions {
  store: BudgetStore;
  limits: readonly BudgetLimit[];
  /** What to do when the store fails (required): `'allow'` lets the call run, `'deny'` refuses it. */
  onStoreFailure: 'allow' | 'deny';
  onError?: (error: StoreError) => void;
  /** Key prefix, default `'relaykit:budget'`. */
  prefix?: string;
}

/** Who is spending. */
export interface BudgetSubject {
  userId: string;
  organizationId?: string;
}

/** A reservation made before a call; settle it after the call with the actual cost. */
export interface BudgetReservation {
  subject: BudgetSubject;
  estimatedMicros: number;
  /** The charges made (one per applicable limit), with the period they landed in. */
  charges: Array<{ key: string; limit: BudgetLimit; periodStart: number }>;
  /** Set when the decision came from `onStoreFailure`. */
  storeError?: StoreError;
}

/** Checks spending caps before a call (estimated cost) and settles them after (actual cost). */
export interface BudgetGuard {
  /**
   * Reserves `estimatedMicros` against every applicable cap, all or nothing. Throws {@link BudgetExceededError}
   * (`quota_exceeded`, with `retryAfterMs` until the period resets) when a cap would be passed.
   */
  reserve(subject: BudgetSubject, estimatedMicros: number): Promise<BudgetReservation>;
  /** Replaces the estimate with the actual cost (may pass the cap: the money is already spent). */
  settle(reservation: BudgetReservation, actualMicros: number): Promise<void>;
  /** Spend so far in the current period for each applicable cap. */
  status(
    subject: BudgetSubject,
  ): Promise<Array<{ limit: BudgetLimit; spentMicros: number; remainingMicros: number; reset: number }>>;
}

/** Creates a {@link BudgetGuard}. */
export function createBudgetGuard(options: BudgetGuardOptions): BudgetGuard {
  if (!options?.store) throw new ConfigurationError('createBudgetGuard needs a store (a BudgetStore driver)');
  if (options.onStoreFailure !== 'allow' && options.onStoreFailure !== 'deny')
    throw new ConfigurationError(
      "createBudgetGuard needs onStoreFailure: 'allow' or 'deny' (there is no default)",
    );
  for (const limit of options.limits ?? []) {
    if (limit.scope !== 'user' && limit.scope !== 'organization')
      throw new ConfigurationError(`unknown budget scope ${String(limit.scope)}`);
    if (limit.period !== 'day' && limit.period !== 'month')
      throw new ConfigurationError(`unknown budget period ${String(limit.period)}`);
    if (!Number.isSafeInteger(limit.limitMicros) || limit.limitMicros < 0)
      throw new ConfigurationError('budget limitMicros must be a non-negative integer');
  }
  const prefix = options.prefix ?? 'relaykit:budget';
  const { store } = options;

  function applicable(subject: BudgetSubject) {
    assertKey(subject?.userId, 'userId');
    if (subject.organizationId !== undefined) assertKey(subject.organizationId, 'organizationId');
    const result: Array<{ key: string; limit: BudgetLimit }> = [];
    for (const limit of options.limits) {
      const id = limit.scope === 'user' ? subject.userId : subject.organizationId;
      if (id === undefined) continue;
      const key = `${prefix}:${limit.scope}:${id}`;
      assertKey(key);
      result.push({ key, limit });
    }
    return result;
  }

  function failed(error: unknown): StoreError {
    const storeError = storeFailureOf(error, 'budget');
    options.onError?.(storeError);
    return storeError;
  }

  return {
    async reserve(subject, estimatedMicros) {
      assertInteger(estimatedMicros, 'estimatedMicros', 0);
      const targets = applicable(subject);
      const charges: BudgetReservation['charges'] = [];
      try {
        for (const { key, limit } of targets) {
          const result = await store.charge({
            key,
            period: limit.period,
            limitMicros: limit.limitMicros,
            amountMicros: estimatedMicros,
            force: false,
          });
          if (!result.success) {
            for (const charge of charges)
              await store.charge({
                key: charge.key,
                period: charge.limit.period,
                limitMicros: charge.limit.limitMicros,
                amountMicros: -estimatedMicros,
                force: true,
                periodStart: charge.periodStart,
              });
            throw new BudgetExceededError(
              `the ${limit.period}ly ${limit.scope} budget is exhausted (${result.spentMicros} of ${limit.limitMicros} micro-dollars spent)`,
              {
                retryAfterMs: Math.max(result.reset - result.nowMs, 0),
                details: {
                  scope: limit.scope,
                  period: limit.period,
                  limitMicros: limit.limitMicros,
                  spentMicros: result.spentMicros,
                },
              },
            );
          }
          charges.push({ key, limit, periodStart: result.periodStart });
        }
      } catch (error) {
        if (error instanceof BudgetExceededError) throw error;
        const storeError = failed(error);
        if (options.onStoreFailure === 'deny')
          throw new BudgetExceededError('the budget store is unavailable and the policy is to deny', {
            cause: storeError,
          });
        return { subject, estimatedMicros, charges, storeError };
      }
      return { subject, estimatedMicros, charges };
    },
    async settle(reservation, actualMicros) {
      assertInteger(actualMicros, 'actualMicros', 0);
      const delta = actualMicros - reservation.estimatedMicros;
      if (delta === 0) return;
      for (const charge of reservation.charges) {
        try {
          await store.charge({
            key: charge.key,
            period: charge.limit.period,
            limitMicros: charge.limit.limitMicros,
            amountMicros: delta,
            force: true,
            periodStart: charge.periodStart,
          });
        } catch (error) {
          throw failed(error);
        }
      }
    },
    async status(subject) {
      const targets = applicable(subject);
      const result = [];
      for (const { key, limit } of targets) {
        const charge = await store
          .charge({
            key,
            period: limit.period,
            limitMicros: limit.limitMicros,
            amountMicros: 0,
            force: false,
          })
          .catch((error: unknown) => {
            throw failed(error);
          });
        result.push({
          limit,
          spentMicros: charge.spentMicros,
          remainingMicros: Math.max(limit.limitMicros - charge.spentMicros, 0),
          reset: charge.reset,
        });
      }
      return result;
    },
  };
}
