/**
 * `@relaykit/chat-ui` in the system Chromium against a RelayKit ChatKit server (the real `createChatKitServer`,
 * scripted to stream every item type) over HTTP: every item type, a widget action round trip, an attachment upload,
 * edit-and-resend, stop, client tools, search, export, a 429 with its wait and the kept text, "Thread not found";
 * at 1280 px and 390 px, light and dark; no horizontal overflow; no serious or critical axe violations. One browser
 * and one server for the file; screenshots in `e2e/artifacts/`.
 */
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCRIPTED_PROMPTS, TINY_PNG } from '../test/scripted-server';
import {
  browserSkipReason,
  launchChromium,
  pageSize,
  screenshot,
  seriousAxeViolations,
  startTestServer,
  type TestServer,
} from './harness';

const skip = browserSkipReason();
if (skip) console.warn(`[chat-ui e2e] skipped: ${skip}`);

interface Variant {
  name: string;
  width: number;
  height: number;
  scheme: 'light' | 'dark';
  /** Run every scenario (the other variants check rendering, overflow and axe only). */
  full: boolean;
}

const VARIANTS: Variant[] = [
  { name: 'desktop-light', width: 1280, height: 900, scheme: 'light', full: true },
  { name: 'mobile-dark', width: 390, height: 844, scheme: 'dark', full: true },
  { name: 'desktop-dark', width: 1280, height: 900, scheme: 'dark', full: false },
  { name: 'mobile-light', width: 390, height: 844, scheme: 'light', full: false },
  { name: 'narrow-light', width: 320, height: 700, scheme: 'light', full: false },
];

let browser: Browser | undefined;
let server: TestServer | undefined;

beforeAll(async () => {
  if (skip) return;
  server = await startTestServer();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const log = (page: Page) => page.getByRole('log', { name: 'Messages' });
const composer = (page: Page) => page.getByRole('textbox', { name: 'Message', exact: true });
const idle = (page: Page) =>
  page.getByRole('button', { name: 'Stop' }).waitFor({ state: 'hidden', timeout: 60_000 });

async function send(page: Page, text: string) {
  await composer(page).fill(text);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
}

/** No horizontal overflow; and the chat fills the page exactly, so nothing (hidden text included) makes it taller. */
async function expectNoOverflow(page: Page, what: string) {
  const [scrollWidth, innerWidth, scrollHeight, innerHeight] = await pageSize(page);
  expect(scrollWidth, `${what}: ${scrollWidth} px wide in a ${innerWidth} px viewport`).toBeLessThanOrEqual(
    innerWidth,
  );
  expect(
    scrollHeight,
    `${what}: ${scrollHeight} px tall in a ${innerHeight} px viewport`,
  ).toBeLessThanOrEqual(innerHeight);
}

async function expectAccessible(page: Page, what: string) {
  const violations = await seriousAxeViolations(page);
  expect(violations, `${what}:\n${violations.join('\n')}`).toEqual([]);
}

/** Opens the thread list (a drawer on narrow screens). */
async function showThreads(page: Page) {
  const toggle = page.getByRole('button', { name: 'Show threads' });
  if (await toggle.isVisible()) await toggle.click();
}

for (const variant of VARIANTS) {
  describe.skipIf(skip !== undefined)(
    `chat-ui ${variant.name} (${variant.width} px, ${variant.scheme})`,
    () => {
      let context: BrowserContext;
      let page: Page;
      const home = () => `${server!.url}/?scheme=${variant.scheme}`;
      const shot = (name: string) => screenshot(page, `${variant.name}-${name}`);

      beforeAll(async () => {
        context = await browser!.newContext({
          viewport: { width: variant.width, height: variant.height },
          colorScheme: variant.scheme,
          acceptDownloads: true,
        });
        page = await context.newPage();
        page.setDefaultTimeout(30_000);
      });
      afterAll(async () => {
        await context?.close();
      });

      it('renders every item type: messages with GFM and code, workflow tasks, a task, an image, widgets; no hidden items', async () => {
        await page.goto(home());
        await page
          .getByRole('group', { name: 'Starter prompts' })
          .getByRole('button', { name: 'Every item type' })
          .click();
        await log(page).getByText('console.log(greeting)').waitFor();
        await idle(page);
        const answer = log(page).getByRole('article', { name: 'Assistant message' }).last();
        await answer.getByRole('table').waitFor();
        expect(await answer.locator('code .sh__token--keyword').first().textContent()).toBe('const');
        await answer.getByRole('button', { name: 'Copy code' }).waitFor();
        expect(await answer.textContent()).toContain('Answered by scripted_agent');
        const text = (await log(page).textContent()) ?? '';
        for (const expected of [
          'Show every item type',
          'Looked up the guest list',
          'Searched the web',
          'Read the contract',
          'Drew a floor plan',
          'Checked the calendar',
          'Trip planner',
          'Approve the refund?',
        ])
          expect(text, expected).toContain(expected);
        expect(text).not.toMatch(/HIDDEN|never shown/);
        // Images load lazily: bring the generated one into view, then it must have loaded.
        await log(page).getByRole('img', { name: 'Made by the assistant' }).scrollIntoViewIfNeeded();
        await page.waitForFunction(() =>
          [...document.images].some(
            (image) => image.alt === 'Made by the assistant' && image.complete && image.naturalWidth > 0,
          ),
        );
        await answer.scrollIntoViewIfNeeded();
        await log(page).getByRole('radiogroup', { name: 'Pace' }).waitFor();
        await log(page).getByRole('img', { name: /Chart/ }).waitFor();
        await shot('every-item-type');
        await expectNoOverflow(page, 'every item type');
        await expectAccessible(page, 'every item type');
        await log(page).evaluate((element) => {
          element.scrollTop = element.scrollHeight / 3;
        });
        await shot('widgets');
      });

      it.runIf(variant.full)(
        'round-trips a widget action: the approval card updates, the answer names the payload',
        async () => {
          await page.getByRole('button', { name: 'Approve', exact: true }).click();
          await log(page).getByText('Approved by the reviewer.').waitFor();
          await log(page).getByText('Action approval.approve with {"order":1001,"amount":42}').waitFor();
          const request = server!.backend.requests.findLast(
            (entry) => entry.type === 'threads.custom_action',
          );
          expect(request?.params).toMatchObject({
            item_id: expect.stringMatching(/^msg_/),
            action: { type: 'approval.approve', payload: { order: 1001, amount: 42 } },
          });
          await idle(page);
          await log(page).getByText('Approved by the reviewer.').scrollIntoViewIfNeeded();
          await shot('widget-action');
        },
      );

      it.runIf(variant.full)('uploads an attachment in two phases, previews it and sends it', async () => {
        await page.goto(home());
        const bytes = Buffer.from(TINY_PNG.split(',')[1]!, 'base64');
        await page
          .locator('input[type="file"]')
          .setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: bytes });
        await page.getByRole('list', { name: 'Attachments' }).getByText('Ready').waitFor();
        await shot('attachment-ready');
        await send(page, 'See attached');
        await log(page).getByText('You said: "See attached" (with photo.png)').waitFor();
        await page.waitForFunction(() =>
          [...document.querySelectorAll('[aria-label="User message"] img')].some(
            (image) =>
              (image as HTMLImageElement).alt === 'photo.png' && (image as HTMLImageElement).naturalWidth > 0,
          ),
        );
        await idle(page);
        await shot('attachment-sent');
      });

      it.runIf(variant.full)(
        'edits a sent message: the old answer is replaced by the answer to the edited text',
        async () => {
          await page.goto(home());
          await send(page, 'Original question');
          await log(page).getByText('You said: "Original question"').waitFor();
          await idle(page);
          await page.getByRole('button', { name: 'Edit message' }).click();
          await page.getByRole('textbox', { name: 'Edit message' }).fill('Edited question');
          await page.getByRole('button', { name: 'Save and resend' }).click();
          await log(page).getByText('You said: "Edited question"').waitFor();
          await idle(page);
          expect(await log(page).textContent()).not.toContain('You said: "Original question"');
          await shot('edited');
        },
      );

      it.runIf(variant.full)('exports the open thread as Markdown and JSON', async () => {
        const markdownDownload = page.waitForEvent('download');
        await page.getByRole('button', { name: 'Export Markdown' }).click();
        const markdown = readFileSync((await (await markdownDownload).path())!, 'utf8');
        expect(markdown).toMatch(/^# /);
        expect(markdown).toContain('Edited question');
        expect(markdown).toContain('### Assistant (scripted_agent)');
        const jsonDownload = page.waitForEvent('download');
        await page.getByRole('button', { name: 'Export JSON' }).click();
        const json = JSON.parse(readFileSync((await (await jsonDownload).path())!, 'utf8'));
        expect(json).toMatchObject({ format: 'relaykit.chatkit-thread', version: 1 });
        expect(json.items.length).toBeGreaterThanOrEqual(2);
      });

      it.runIf(variant.full)('searches past threads (full text, matches marked)', async () => {
        await showThreads(page);
        await page.getByRole('searchbox', { name: 'Search threads' }).fill('edited');
        const results = page.getByRole('list', { name: 'Search results' });
        await results.locator('mark').first().waitFor();
        expect((await results.textContent())?.toLowerCase()).toContain('edited');
        await shot('search');
        await expectNoOverflow(page, 'search');
        await expectAccessible(page, 'search');
        await page.getByRole('searchbox', { name: 'Search threads' }).fill('');
      });

      it.runIf(variant.full)(
        'stops a streaming answer; the partial text survives a reload; runs a client tool',
        async () => {
          await page.goto(home());
          await send(page, SCRIPTED_PROMPTS.long);
          await page.waitForFunction(
            () => (document.querySelector('[aria-label="Assistant message"]')?.textContent ?? '').length > 40,
          );
          await page.getByRole('button', { name: 'Stop' }).click();
          await idle(page);
          await page.waitForURL(/thread=/);
          let persisted = '';
          for (let attempt = 0; attempt < 20 && persisted === ''; attempt += 1) {
            await page.reload();
            await log(page).waitFor();
            const reply = log(page).getByRole('article', { name: 'Assistant message' });
            if ((await reply.count()) > 0) persisted = ((await reply.last().textContent()) ?? '').trim();
          }
          expect(persisted).toMatch(/^Once upon a time/);
          expect(persisted).not.toContain('The end.');
          await page.goto(home());
          await page.getByRole('button', { name: 'Client tool' }).click();
          await log(page).getByText('The page answered: {"tool":"get_location","city":"Lisbon"}').waitFor();
        },
      );

      it.runIf(variant.full)('shows a 429 with its wait time and keeps the typed text', async () => {
        await page.goto(home());
        server!.backend.rateLimit.denyMs = 45_000;
        try {
          await send(page, 'Please keep this text');
          const alert = page.getByRole('alert').filter({ hasText: 'Too many requests' });
          await alert.waitFor();
          expect(await alert.textContent()).toMatch(/try again in (4[0-5]|3\d) s/);
          expect(await composer(page).inputValue()).toBe('Please keep this text');
          expect(await page.getByRole('button', { name: 'Send', exact: true }).isDisabled()).toBe(true);
          await shot('rate-limited');
          await expectNoOverflow(page, 'rate limited');
          await expectAccessible(page, 'rate limited');
        } finally {
          server!.backend.rateLimit.denyMs = null;
        }
      });

      it('shows "Thread not found" for an unknown thread, and keeps the text', async () => {
        await page.goto(`${home()}&thread=thr_unknown1`);
        await page.getByRole('heading', { name: 'Thread not found' }).waitFor();
        await composer(page).fill('Still here');
        await shot('not-found');
        await expectNoOverflow(page, 'not found');
        await expectAccessible(page, 'not found');
        expect(await composer(page).inputValue()).toBe('Still here');
      });

      it('opens the thread list (a drawer on narrow screens) without overflow', async () => {
        await page.goto(home());
        await showThreads(page);
        await page
          .getByRole('navigation', { name: 'Threads' })
          .getByRole('button', { name: 'New thread' })
          .waitFor();
        await page.waitForFunction(
          () => (document.querySelector('.rk-sidebar')?.getBoundingClientRect().left ?? -1) >= 0,
        );
        await shot('threads');
        await expectNoOverflow(page, 'thread list');
        await expectAccessible(page, 'thread list');
      });
    },
  );
}
