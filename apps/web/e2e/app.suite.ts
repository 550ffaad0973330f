/**
 * The reference app in a real browser: `next start` of the production build, driven through the system Chromium,
 * once per variant (PGlite, then Postgres) with the same scenario list. One browser for the test file
 * (`browser.test.ts`), one server per variant; screenshots go to `apps/web/e2e/artifacts/<variant>/`.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  appVariants,
  browserSkipReason,
  ensureWebBuild,
  launchChromium,
  type PreparedVariant,
  saveScreenshot,
  startWebServer,
  type WebServer,
} from './harness';
import { SCENARIOS, type ScenarioContext, type ScenarioMemory } from './scenarios';

const browserMissing = browserSkipReason();
if (browserMissing !== undefined) console.warn(`[e2e] skipping the browser tests: ${browserMissing}`);

let browser: Browser | undefined;

beforeAll(async () => {
  if (browserMissing !== undefined) return;
  await ensureWebBuild();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

for (const variant of appVariants()) {
  const skipReason = browserMissing ?? variant.skipReason;
  if (browserMissing === undefined && variant.skipReason !== undefined) {
    console.warn(`[e2e] skipping the ${variant.name} variant: ${variant.skipReason}`);
  }

  describe.skipIf(skipReason !== undefined)(`apps/web on ${variant.name}`, () => {
    let prepared: PreparedVariant | undefined;
    let server: WebServer | undefined;
    let browserContext: BrowserContext | undefined;
    let page: Page | undefined;
    const memory: ScenarioMemory = {};

    beforeAll(async () => {
      prepared = await variant.prepare();
      server = await startWebServer({
        name: variant.name,
        env: { ...prepared.env, RELAYKIT_OFFLINE_DELAY_MS: '20' },
      });
      browserContext = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
      page = await browserContext.newPage();
      page.setDefaultTimeout(30_000);
    }, 180_000);

    afterAll(async () => {
      await browserContext?.close();
      await server?.stop();
      await prepared?.cleanup();
    }, 60_000);

    for (const scenario of SCENARIOS) {
      it.skipIf(scenario.onlyOn !== undefined && scenario.onlyOn !== variant.name)(
        scenario.name,
        async () => {
          const context: ScenarioContext = {
            variant: variant.name,
            baseUrl: server!.url,
            browser: browser!,
            page: page!,
            memory,
            screenshot: (target, name) => saveScreenshot(target, variant.name, name),
          };
          try {
            await scenario.run(context);
          } catch (error) {
            await saveScreenshot(page!, variant.name, `failed-${scenario.name.replace(/\W+/g, '-')}`).catch(
              () => {},
            );
            console.error(`[e2e] ${variant.name} server log:\n${server!.logTail()}`);
            throw error;
          }
        },
      );
    }
  });
}
