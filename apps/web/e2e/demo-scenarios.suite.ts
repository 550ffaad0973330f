/**
 * The offline demo, as a newcomer sees it: `next start` on PGlite without `OPENAI_API_KEY`, driven through the
 * system Chromium. For each scenario the test picks the agent, clicks one of its starter prompts and checks what the
 * page shows: the specialist a handoff reached, tool progress, the contract widget, the copilot's real query rows,
 * the classroom's slash commands and a generated portrait, and the health assistant's long streamed answer. The
 * model is the scripted fake (`src/server/offline-script.ts`); the agents, tools, data and images are real.
 * Screenshots go to `apps/web/e2e/artifacts/demo/`.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OFFLINE_LABEL,
  OFFLINE_PROMPTS,
  OFFLINE_SQL,
  OFFLINE_WORKFLOW_STEPS,
} from '../src/server/offline-script';
import { browserSkipReason, type SignedInApp, startSignedInApp } from './harness';
import { type ChatPage, chatPage, finishedAnswer, messageText, openNewThread, SELECTORS } from './pages';
import { startRecorder } from './recorder';

const browserMissing = browserSkipReason();
if (browserMissing !== undefined) console.warn(`[e2e] skipping the demo tests: ${browserMissing}`);

/** The generous wait for one scripted run on a loaded machine (several model calls, tools, a database). */
const RUN_TIMEOUT_MS = 90_000;

describe.skipIf(browserMissing !== undefined)('the offline demo shows each scenario', () => {
  let app: SignedInApp | undefined;
  let page: Page;

  beforeAll(async () => {
    app = await startSignedInApp('demo', { RELAYKIT_OFFLINE_DELAY_MS: '15' });
    page = app.page;
  }, 600_000);

  afterAll(() => app?.close(), 60_000);

  const step = (name: string, body: () => Promise<void>) => app!.step(name, body);

  /** Picks `agent` in the picker, opens a new thread and clicks the starter prompt `prompt`. */
  async function startWith(agent: string, prompt: string): Promise<ChatPage> {
    await page.goto(`${app!.server.url}/chat`);
    const chat = chatPage(page);
    await chat.agent.selectOption({ label: agent });
    await openNewThread(page);
    expect(await chat.agent.evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.text)).toBe(
      agent,
    );
    const starters = page.getByRole('group', { name: 'Starter prompts' });
    await starters.getByRole('button', { name: prompt, exact: true }).click();
    await chat.userMessages.filter({ hasText: prompt }).first().waitFor();
    return chat;
  }

  /** The last assistant message once it contains `text` and the run has ended (Stop is gone). */
  const answer = (chat: ChatPage, text: string) => finishedAnswer(chat, text, RUN_TIMEOUT_MS);

  /** Waits for the finished tool status "Called <tool>" in the log (the finished workflow may be collapsed). */
  async function toolCalled(chat: ChatPage, tool: string): Promise<void> {
    await chat.log
      .getByText(`Called ${tool}`, { exact: true })
      .first()
      .waitFor({ state: 'attached', timeout: RUN_TIMEOUT_MS });
  }

  it(
    'workflow assistant: the orchestrator hands off, and the page names the specialist that answered',
    async () => {
      await step('handoff', async () => {
        const chat = await startWith('Workflow assistant', OFFLINE_PROMPTS.handoff);
        const reply = await answer(chat, 'handed this question to the system agent');
        await toolCalled(chat, 'system_status');
        const text = await messageText(reply);
        // The demo store's services, read by the real tool: the scheduler is the degraded one.
        expect(text).toContain('scheduler is degraded');
        expect(text).toContain('api: up');
        expect(text).toContain(OFFLINE_LABEL);
        expect(await reply.textContent()).toContain('Answered by system');
      });
      await step('handoff-design-and-deploy', async () => {
        const chat = await startWith('Workflow assistant', OFFLINE_PROMPTS.design);
        const designed = await answer(chat, 'I saved the workflow Onboarding');
        expect(await designed.textContent()).toContain('Answered by workflow_designer');
        const saved = /as (wf-\d+)/.exec(await messageText(designed))?.[1];
        expect(saved, 'the workflow id the real tool gave').toBeDefined();
        const steps = await designed.getByRole('listitem').allTextContents();
        expect(steps.map((item) => item.trim())).toEqual(OFFLINE_WORKFLOW_STEPS);

        await chat.message.fill(OFFLINE_PROMPTS.deploy);
        await chat.send.click();
        const deployed = await answer(chat, 'Deployed');
        await toolCalled(chat, 'deploy_workflow');
        expect(await messageText(deployed)).toContain(`Deployed ${saved} to staging (status: deployed).`);
        expect(await deployed.textContent()).toContain('Answered by deployment');
      });
    },
    4 * RUN_TIMEOUT_MS,
  );

  it(
    'event planner: calls its tool, answers, and shows the contract widget (kept after a reload)',
    async () => {
      await step('event-contract', async () => {
        const chat = await startWith('Event planner — client', OFFLINE_PROMPTS.contract);
        const reply = await answer(chat, 'Your contract totals');
        await toolCalled(chat, 'viewContract');
        const text = await messageText(reply);
        expect(text).toContain('Your contract totals €18,500 and is signed.');
        expect(text).toContain('Terms: 30% deposit, balance 14 days before.');
        const widget = chat.log.getByRole('region', { name: 'Widget' }).last();
        await widget.waitFor({ timeout: RUN_TIMEOUT_MS });
        const card = (await widget.textContent()) ?? '';
        for (const shown of [
          'Contract: Ana & Rui wedding',
          'Signed',
          'Harbour Hall',
          '€18,500',
          '30% deposit',
        ])
          expect(card).toContain(shown);

        await page.reload();
        const again = chatPage(page).log.getByRole('region', { name: 'Widget' }).last();
        await again.waitFor();
        expect(await again.textContent()).toContain('Contract: Ana & Rui wedding');
      });
      await step('event-extras', async () => {
        const chat = await startWith('Event planner — client', OFFLINE_PROMPTS.extras);
        const reply = await answer(chat, 'The venue offers these extras');
        await toolCalled(chat, 'listAvailableElements');
        const rows = await reply.getByRole('row').allTextContents();
        expect(rows.some((row) => row.includes('Photo booth') && row.includes('€450'))).toBe(true);
      });
    },
    3 * RUN_TIMEOUT_MS,
  );

  it(
    'database copilot: a read-only query over the seeded table, with the real rows in a table',
    async () => {
      await step('copilot-query', async () => {
        const chat = await startWith('Database copilot', OFFLINE_PROMPTS.query);
        const reply = await answer(chat, 'projects are active');
        await toolCalled(chat, 'run_sql');
        expect(await messageText(reply)).toContain('2 projects are active.');
        expect(await reply.locator('code').first().textContent()).toContain(OFFLINE_SQL);
        const cells = (await reply.getByRole('cell').allTextContents()).map((cell) => cell.trim());
        // The seeded projects: apollo and mercury are active, gemini is not.
        expect(cells).toContain('apollo');
        expect(cells).toContain('mercury');
        expect(cells).not.toContain('gemini');
        expect(await reply.getByRole('columnheader').allTextContents()).toEqual(['name', 'since']);
      });
    },
    2 * RUN_TIMEOUT_MS,
  );

  it(
    'classroom: /ptm and /lesson, and a portrait drawn by the offline image model',
    async () => {
      await step('classroom-ptm', async () => {
        const chat = await startWith('Classroom assistant', OFFLINE_PROMPTS.ptm);
        const reply = await answer(chat, 'Parent-teacher meetings');
        // The meeting agent's prompt was enriched with the class's meeting data by its context builder.
        expect(await messageText(reply)).toContain(
          'Lena Park with Min-ji Park on 2026-12-01. Notes: asked about maths support.',
        );
        expect(await messageText(reply)).toContain('(You asked: "/ptm".)');
        expect(await reply.textContent()).toContain('Answered by ptm_prep');
      });
      await step('classroom-lesson', async () => {
        const chat = await startWith('Classroom assistant', OFFLINE_PROMPTS.lesson);
        const reply = await answer(chat, 'I saved the lesson plan');
        await toolCalled(chat, 'save_lesson_plan');
        expect(await messageText(reply)).toMatch(
          /I saved the lesson plan Fractions \(\d+ saved for this class/,
        );
        expect(await reply.textContent()).toContain('Answered by classroom_assistant');
      });
      await step('classroom-portrait', async () => {
        const chat = await startWith('Classroom assistant', OFFLINE_PROMPTS.portrait);
        const reply = await answer(chat, 'Here is the new portrait of Lena Park');
        await toolCalled(chat, 'generate_student_portrait');
        const portrait = reply.getByRole('img', { name: 'Portrait of Lena Park', exact: true });
        await portrait.waitFor();
        expect(await portrait.getAttribute('src')).toMatch(
          /^\/api\/images\/file\/images\/[^/]+\/portrait-s1\//,
        );
        await page.waitForFunction(() => {
          const image = [...document.images].find((candidate) => candidate.alt === 'Portrait of Lena Park');
          return image?.complete === true && image.naturalWidth > 0;
        });
        // The portrait is one of the user's stored images, listed on the images page with its caption.
        await page.getByRole('link', { name: 'Images', exact: true }).first().click();
        await page
          .getByRole('list', { name: 'Stored images', exact: true })
          .getByRole('img', { name: 'Portrait of Lena Park (watercolor)', exact: true })
          .waitFor();
      });
    },
    4 * RUN_TIMEOUT_MS,
  );

  it(
    'health assistant: a longer answer in several paragraphs, streamed',
    async () => {
      await step('health-long-answer', async () => {
        await page.goto(`${app!.server.url}/chat`);
        const chat = chatPage(page);
        await chat.agent.selectOption({ label: 'Health assistant' });
        await openNewThread(page);
        const lengths = await startRecorder(page, SELECTORS.assistantMarkdown, { kind: 'text-length' });
        await page
          .getByRole('group', { name: 'Starter prompts' })
          .getByRole('button', { name: OFFLINE_PROMPTS.heart, exact: true })
          .click();
        const reply = await answer(chat, 'I am not a doctor');
        await toolCalled(chat, 'get_recent_measurements');
        const seen = (await lengths.stop()).map(Number);
        const finalLength = ((await reply.locator('.markdown').textContent()) ?? '').length;
        expect(
          new Set(seen.filter((length) => length > 0 && length < finalLength)).size,
          `text lengths seen while streaming: ${seen.join(', ')}`,
        ).toBeGreaterThanOrEqual(3);
        await reply.getByRole('heading', { name: 'Your heart rate this week' }).waitFor();
        expect(await reply.locator('.markdown p').count()).toBeGreaterThanOrEqual(5);
        expect(await reply.getByRole('listitem').count()).toBe(3);
        expect(await reply.textContent()).toContain('Answered by health');
      });
    },
    2 * RUN_TIMEOUT_MS,
  );
});
