import { StoreError } from '@relaykit/sse-protocol';
import { describe, expect, it } from 'vitest';
import { runHealthChecks } from './health';

describe('runHealthChecks', () => {
  it('reports ok with each check latency when all pass', async () => {
    const report = await runHealthChecks({ store: async () => 'pong', provider: async () => undefined });
    expect(report.status).toBe('ok');
    expect(report.checks.store).toMatchObject({ ok: true });
    expect(report.checks.provider?.latencyMs).toBeGreaterThanOrEqual(0);
    expect(Number.isNaN(Date.parse(report.timestamp))).toBe(false);
  });

  it('reports failures by code only, never their messages, and times out slow checks with an abort', async () => {
    let aborted = false;
    const report = await runHealthChecks(
      {
        store: async () => {
          throw new StoreError('store_unavailable', 'postgres://admin:hunter2@db refused');
        },
        redis: async () => {
          throw new Error('redis://:password@cache down');
        },
        provider: (signal) =>
          new Promise((resolve) => {
            signal.addEventListener('abort', () => {
              aborted = true;
              resolve(undefined);
            });
          }),
      },
      { timeoutMs: 50 },
    );
    expect(report.status).toBe('error');
    expect(report.checks.store).toMatchObject({ ok: false, error: 'store_unavailable' });
    expect(report.checks.redis).toMatchObject({ ok: false, error: 'failed' });
    expect(report.checks.provider).toMatchObject({ ok: false, error: 'timeout' });
    expect(aborted).toBe(true);
    const json = JSON.stringify(report);
    expect(json).not.toContain('hunter2');
    expect(json).not.toContain('password');
  });
});
