import { describe, expect, it, vi } from 'vitest';
import { createBudgetGuard } from './budget';
import { createMemoryBudgetStore } from './drivers/memory';
import { BudgetExceededError } from './errors';

describe('createBudgetGuard', () => {
  it('reserves before a call, settles after, and refuses past the cap', async () => {
    let now = Date.UTC(2026, 10, 23, 10);
    const guard = createBudgetGuard({
      store: createMemoryBudgetStore({ now: () => now }),
      limits: [
        { scope: 'user', period: 'day', limitMicros: 1_000_000 },
        { scope: 'organization', period: 'month', limitMicros: 1_500_000 },
      ],
      onStoreFailure: 'deny',
    });
    const subject = { userId: 'u1', organizationId: 'org' };
    const reservation = await guard.reserve(subject, 600_000);
    await guard.settle(reservation, 400_000);
    expect((await guard.status(subject)).map((s) => s.spentMicros)).toEqual([400_000, 400_000]);
    await guard.reserve(subject, 600_000);
    const refused = await guard.reserve(subject, 100_000).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(BudgetExceededError);
    expect(refused).toMatchObject({ code: 'quota_exceeded', retryAfterMs: Date.UTC(2026, 10, 24) - now });
    // all or nothing: the refused reservation left no charge behind
    expect((await guard.status(subject)).map((s) => s.spentMicros)).toEqual([1_000_000, 1_000_000]);
    now = Date.UTC(2026, 10, 24, 1); // next day: the user's daily cap resets, the org's monthly cap does not
    await guard.reserve(subject, 500_000);
    await expect(guard.reserve({ userId: 'u2', organizationId: 'org' }, 1)).rejects.toMatchObject({
      code: 'quota_exceeded',
    });
    expect((await guard.reserve({ userId: 'u3' }, 1)).charges).toHaveLength(1);
  });

  it('needs an explicit failure policy and follows it', async () => {
    const store = { charge: vi.fn(async () => Promise.reject(new Error('connect ECONNREFUSED'))) };
    expect(() => createBudgetGuard({ store, limits: [] } as never)).toThrow(
      expect.objectContaining({ code: 'configuration' }),
    );
    const onError = vi.fn();
    const limits = [{ scope: 'user' as const, period: 'day' as const, limitMicros: 10 }];
    const allow = createBudgetGuard({ store, limits, onStoreFailure: 'allow', onError });
    expect((await allow.reserve({ userId: 'u' }, 5)).storeError).toMatchObject({ code: 'store_unavailable' });
    expect(onError).toHaveBeenCalledTimes(1);
    const deny = createBudgetGuard({ store, limits, onStoreFailure: 'deny' });
    await expect(deny.reserve({ userId: 'u' }, 5)).rejects.toMatchObject({ code: 'quota_exceeded' });
    await expect(deny.reserve({ userId: 'u' }, -5)).rejects.toMatchObject({ code: 'invalid_request' });
  });
});
