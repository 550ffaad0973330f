/** The harness's own decisions and in-page helpers, checked without the app. */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatViolations, seriousAxeViolations } from './accessibility';
import { E2EEnvironmentError } from './errors';
import { appVariants, browserSkipReason, freePort, launchChromium, servicesRequired } from './harness';
import { startRecorder } from './recorder';

describe('variants', () => {
  it('runs PGlite and Postgres, on RELAYKIT_TEST_DATABASE_URL or the default test server', () => {
    for (const env of [{ RELAYKIT_TEST_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' }, {}]) {
      expect(appVariants(env).map((variant) => [variant.name, variant.skipReason])).toEqual([
        ['pglite', undefined],
        ['postgres', undefined],
      ]);
    }
  });

  it('fails the Postgres variant with the reason when its server does not answer', async () => {
    const postgres = appVariants({ RELAYKIT_TEST_DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' }).find(
      (variant) => variant.name === 'postgres',
    )!;
    const failure = await postgres.prepare().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(E2EEnvironmentError);
    expect((failure as E2EEnvironmentError).code).toBe('configuration');
    expect((failure as Error).message).toMatch(/unreachable/);
  });
});

describe('browser availability', () => {
  const missing = { RELAYKIT_CHROMIUM: '/nonexistent/chromium' };

  it('skips with a reason when Chromium is missing on a developer machine', () => {
    expect(browserSkipReason(missing)).toMatch(/Chromium is not installed at \/nonexistent\/chromium/);
  });

  it('fails with a clear error when Chromium is missing in CI', () => {
    for (const env of [
      { ...missing, CI: 'true' },
      { ...missing, RELAYKIT_REQUIRE_SERVICES: '1' },
    ]) {
      expect(servicesRequired(env)).toBe(true);
      expect(() => browserSkipReason(env)).toThrow(E2EEnvironmentError);
      expect(() => browserSkipReason(env)).toThrow(/apt-get install -y chromium/);
    }
  });

  it('gives free ports', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    expect(port).toBeLessThan(65_536);
  });
});

const browserMissing = browserSkipReason();

describe.skipIf(browserMissing !== undefined)('in-page helpers', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('records every committed state of a growing text and of an attribute', async () => {
    await page.setContent(
      '<main><article aria-label="Reply"></article><div role="progressbar"></div></main>',
    );
    const lengths = await startRecorder(page, 'article', { kind: 'text-length' });
    const values = await startRecorder(page, '[role="progressbar"]', {
      kind: 'attribute',
      name: 'aria-valuenow',
    });
    await page.evaluate(async () => {
      const article = document.querySelector('article')!;
      const bar = document.querySelector('[role="progressbar"]')!;
      for (const [index, piece] of ['Once ', 'upon ', 'a time'].entries()) {
        article.append(piece);
        bar.setAttribute('aria-valuenow', String(index + 1));
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
    });
    expect((await lengths.stop()).map(Number)).toEqual([0, 5, 10, 16]);
    expect(await values.stop()).toEqual(['', '1', '2', '3']);
  });

  it('keeps every distinct text of transient elements', async () => {
    await page.setContent('<main></main>');
    const statuses = await startRecorder(page, '[role="status"]', { kind: 'texts' });
    await page.evaluate(async () => {
      const status = document.createElement('p');
      status.setAttribute('role', 'status');
      status.textContent = 'Running addGuest';
      document.body.append(status);
      await new Promise((resolve) => setTimeout(resolve, 0));
      status.remove();
    });
    expect(await statuses.stop()).toEqual(['Running addGuest']);
  });

  it('reports serious axe violations and passes a clean page', async () => {
    await page.setContent(
      '<!doctype html><html lang="en"><head><title>t</title></head><body><main><h1>Clean</h1></main></body></html>',
    );
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.setContent(
      '<!doctype html><html lang="en"><head><title>t</title></head><body><main><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><button></button></main></body></html>',
    );
    const violations = await seriousAxeViolations(page);
    expect(violations.map((violation) => violation.id).sort()).toEqual(['button-name', 'image-alt']);
    expect(formatViolations('/page', violations)).toMatch(/\/page: \[critical\] button-name/);
  });
});
