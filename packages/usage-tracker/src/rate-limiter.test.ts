import { describe, expect, it, vi } from 'vitest';
import {
  createMemoryBudgetStore,
  createMemoryRateLimitStore,
  createMemoryUsageStore,
} from './drivers/memory';
import { RateLimitExceededError } from './errors';
import { rateLimitHeaders, rateLimitResponse } from './http';
import { createRateLimiter, fixedWindow, slidingWindow, tokenBucket } from './rate-limiter';
import {
  budgetStoreContract,
  createFailingRateLimitStore,
  rateLimitStoreContract,
  usageStoreContract,
} from './testing';

describe('memory driver contracts', () => {
  for (const check of rateLimitStoreContract(() => createMemoryRateLimitStore())) it(check.name, check.run);
  for (const check of budgetStoreContract(() => createMemoryBudgetStore())) it(check.name, check.run);
  for (const check of usageStoreContract(() => createMemoryUsageStore())) it(check.name, check.run);
});

describe('createRateLimiter', () => {
  it('enforces the scenario limits: chat 10 a minute per user', async () => {
    const limiter = createRateLimiter({
      store: createMemoryRateLimitStore(),
      algorithm: fixedWindow(10, '1m'),
      onStoreFailure: 'deny',
    });
    const results = [];
    for (let index = 0; index < 12; index++) results.push(await limiter.limit('chat:user-1'));
    expect(results.filter((result) => result.success)).toHaveLength(10);
    expect(results[11]).toMatchObject({ success: false, limit: 10, remaining: 0, windowMs: 60_000 });
    expect((await limiter.limit('chat:user-2')).success).toBe(true);
  });

  it('limits by weight (tokens) and refuses a weight that can never fit', async () => {
    const limiter = createRateLimiter({
      store: createMemoryRateLimitStore(),
      algorithm: slidingWindow(10_000, '1 m'),
      onStoreFailure: 'deny',
    });
    expect((await limiter.limit('u', { rate: 9_000 })).remaining).toBe(1_000);
    expect((await limiter.limit('u', { rate: 2_000 })).success).toBe(false);
    await expect(limiter.limit('u', { rate: 10_001 })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(limiter.limit('u', { rate: -1 })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(limiter.limit('u', { rate: Number.NaN })).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('rejects keys longer than 256 bytes (counting UTF-8 bytes, prefix included)', async () => {
    const limiter = createRateLimiter({
      store: createMemoryRateLimitStore(),
      algorithm: fixedWindow(1, 1000),
      onStoreFailure: 'deny',
    });
    await expect(limiter.limit('x'.repeat(257))).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(limiter.limit('é'.repeat(125))).rejects.toMatchObject({ code: 'invalid_request' }); // 250 bytes + "relaykit:"
    await expect(limiter.limit('')).rejects.toMatchObject({ code: 'invalid_request' });
    expect((await limiter.limit('x'.repeat(256 - 'relaykit:'.length))).success).toBe(true);
  });

  it('needs an explicit failure policy and a valid algorithm', () => {
    const store = createMemoryRateLimitStore();
    expect(() => createRateLimiter({ store, algorithm: fixedWindow(1, 1000) } as never)).toThrow(
      expect.objectContaining({ code: 'configuration' }),
    );
    expect(() => fixedWindow(0, 1000)).toThrow(expect.objectContaining({ code: 'invalid_request' }));
    expect(() => fixedWindow(1, '10 parsecs' as never)).toThrow(
      expect.objectContaining({ code: 'invalid_request' }),
    );
    expect(tokenBucket(5, '10s', 20)).toEqual({
      name: 'token_bucket',
      limit: 20,
      windowMs: 10_000,
      refillRate: 5,
    });
  });

  it.each(['allow', 'deny'] as const)('follows onStoreFailure %s and reports the failure', async (policy) => {
    const store = createFailingRateLimitStore();
    const onError = vi.fn();
    const limiter = createRateLimiter({
      store,
      algorithm: fixedWindow(5, '1m'),
      onStoreFailure: policy,
      onError,
    });
    const result = await limiter.limit('user');
    expect(result.success).toBe(policy === 'allow');
    expect(result.storeError).toMatchObject({ code: 'store_unavailable' });
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'store_unavailable' }), {
      key: 'user',
    });
    expect(store.calls).toHaveLength(1);
    if (policy === 'deny') await expect(limiter.check('user')).rejects.toBeInstanceOf(RateLimitExceededError);
  });

  it('decides with the store clock, not the caller clock (memory store with its own clock)', async () => {
    let storeNow = Date.UTC(2026, 0, 1, 12, 0, 30);
    const limiter = createRateLimiter({
      store: createMemoryRateLimitStore({ now: () => storeNow }),
      algorithm: fixedWindow(1, '1m'),
      onStoreFailure: 'deny',
    });
    vi.useFakeTimers({ now: Date.UTC(2030, 0, 1), toFake: ['Date'] }); // the caller's clock is years off
    try {
      expect((await limiter.limit('k')).success).toBe(true);
      const denied = await limiter.limit('k');
      expect(denied.reset).toBe(Date.UTC(2026, 0, 1, 12, 1, 0));
      expect(denied.retryAfterMs).toBe(30_000);
      storeNow += 30_000;
      expect((await limiter.limit('k')).success).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('HTTP helpers', () => {
  it('builds IETF RateLimit headers and Retry-After, and a 429 Response', async () => {
    const now = 1_000_000;
    const denied = {
      success: false,
      limit: 10,
      remaining: 0,
      reset: now + 12_300,
      retryAfterMs: 12_300,
      windowMs: 60_000,
    };
    expect(rateLimitHeaders(denied, now)).toEqual({
      'RateLimit-Limit': '10',
      'RateLimit-Remaining': '0',
      'RateLimit-Reset': '13',
      'RateLimit-Policy': '10;w=60',
      'Retry-After': '13',
    });
    expect(
      rateLimitHeaders({ ...denied, success: true, remaining: 4, retryAfterMs: 0 }, now),
    ).not.toHaveProperty('Retry-After');
    const response = rateLimitResponse(denied, { nowMs: now });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('13');
    expect(response.headers.get('ratelimit-remaining')).toBe('0');
    expect(await response.json()).toEqual({
      error: {
        name: 'RateLimitExceededError',
        code: 'rate_limited',
        message: 'Rate limit exceeded. Wait and retry.',
        retryable: true,
        details: { limit: 10, remaining: 0, reset: now + 12_300, windowMs: 60_000 },
        retryAfterMs: 12_300,
      },
    });
    const { 'RateLimit-Policy': _policy, ...withoutWindow } = rateLimitHeaders(denied, now);
    const { windowMs: _window, ...unknownWindow } = denied;
    expect(rateLimitHeaders(unknownWindow, now)).toEqual(withoutWindow);
  });
});
