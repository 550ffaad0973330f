/**
 * Tool approvals in the browser: the event planner's writes (`addGuest`, `updateEvent`, `requestElementChange`) need
 * the user's approval. `next start` on PGlite without `OPENAI_API_KEY` (the scripted fake model of
 * `src/server/offline-script.ts`; the agents, tools and demo data are real), driven through the system Chromium: the
 * run pauses on an approval card (a widget with the tool, its arguments and Approve / Reject), and the click resumes
 * it. Screenshots go to `apps/web/e2e/artifacts/approvals/`.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  guestRejectedAnswer,
  OFFLINE_LABEL,
  OFFLINE_PROMPTS,
  OFFLINE_RESCHEDULE_DATE,
  OFFLINE_TOOL_ANSWER,
  OFFLINE_TOOL_GUEST,
} from '../src/server/offline-script';
import { browserSkipReason, type SignedInApp, startSignedInApp } from './harness';
import { type ChatPage, chatPage, finishedAnswer, messageText, openNewThread, sendMessage } from './pages';

const browserMissing = browserSkipReason();
if (browserMissing !== undefined) console.warn(`[e2e] skipping the approval tests: ${browserMissing}`);

/** The generous wait for one scripted run on a loaded machine (model calls, tools, a database). */
const RUN_TIMEOUT_MS = 90_000;

/** The markdown of an answer as the page renders it: no `**` markers. */
const rendered = (markdown: string) => markdown.replace(/\*\*/g, '');

describe.skipIf(browserMissing !== undefined)('the event planner asks for approval before it writes', () => {
  let app: SignedInApp | undefined;
  let page: Page;

  beforeAll(async () => {
    app = await startSignedInApp('approvals', { RELAYKIT_OFFLINE_DELAY_MS: '5' });
    page = app.page;
  }, 600_000);

  afterAll(() => app?.close(), 60_000);

  const step = (name: string, body: () => Promise<void>) => app!.step(name, body);

  /** A new thread with the event planner (the client's by default), and `text` sent. */
  async function ask(text: string, agent = 'Event planner — client'): Promise<ChatPage> {
    await page.goto(`${app!.server.url}/chat`);
    const chat = chatPage(page);
    await chat.agent.selectOption({ label: agent });
    await openNewThread(page);
    await sendMessage(chat, text);
    await chat.userMessages.filter({ hasText: text }).first().waitFor();
    return chat;
  }

  /** The last assistant message once it contains `text` and the run has ended (Stop is gone). */
  const answer = (chat: ChatPage, text: string) => finishedAnswer(chat, text, RUN_TIMEOUT_MS);

  /** The approval card of `tool` once the run paused on it (the run has ended: Stop is gone). */
  async function approvalCard(chat: ChatPage, tool: string) {
    const card = chat.log
      .getByRole('region', { name: 'Widget' })
      .filter({ hasText: `Allow ${tool}?` })
      .last();
    await card.waitFor({ timeout: RUN_TIMEOUT_MS });
    await chat.stop.waitFor({ state: 'hidden', timeout: RUN_TIMEOUT_MS });
    return card;
  }

  /** The demo event's guests, as the planner reads them with `viewGuestList` in a new thread. */
  async function guestList(): Promise<string[]> {
    const chat = await ask(OFFLINE_PROMPTS.guests);
    const reply = await answer(chat, 'Your guest list has');
    const names = /Your guest list has \d+ guests?: (.*?)\. Whom/.exec(await messageText(reply))?.[1];
    expect(names, await messageText(reply)).toBeDefined();
    return names!.split(', ');
  }

  it(
    'Approve: the card shows addGuest and its arguments, the click runs the tool, and the answer names the guest',
    async () => {
      await step('approve', async () => {
        const before = await guestList();
        expect(before).not.toContain(OFFLINE_TOOL_GUEST);
        const chat = await ask(OFFLINE_PROMPTS.tool);
        const card = await approvalCard(chat, 'addGuest');
        const shown = (await card.textContent()) ?? '';
        expect(shown).toContain('Allow addGuest?');
        expect(shown).toContain('Requested by client');
        expect(await card.getByRole('listitem').allTextContents()).toEqual([
          `name: ${OFFLINE_TOOL_GUEST}`,
          'email: none',
        ]);
        // Paused: the tool has not run, and no answer was given.
        expect(await chat.assistantMessages.filter({ hasText: 'is now on the guest list' }).count()).toBe(0);
        expect(await chat.log.getByText('Called addGuest', { exact: true }).count()).toBe(0);
        await app!.screenshot('approval-card');

        await card.getByRole('button', { name: 'Approve', exact: true }).click();
        const reply = await answer(chat, 'is now on the guest list');
        expect(await messageText(reply)).toContain(rendered(OFFLINE_TOOL_ANSWER));
        expect(await messageText(reply)).toContain(OFFLINE_LABEL);
        expect(await reply.locator('strong').filter({ hasText: OFFLINE_TOOL_GUEST }).count()).toBe(1);
        await chat.log
          .getByText('Called addGuest', { exact: true })
          .first()
          .waitFor({ state: 'attached', timeout: RUN_TIMEOUT_MS });
        // The card shows the decision instead of its buttons, also after a reload (it is stored with the thread).
        await card.getByText('Approved', { exact: true }).waitFor();
        expect(await card.getByRole('button', { name: 'Approve', exact: true }).count()).toBe(0);
        await page.reload();
        const again = chatPage(page)
          .log.getByRole('region', { name: 'Widget' })
          .filter({ hasText: 'Allow addGuest?' })
          .last();
        await again.getByText('Approved', { exact: true }).waitFor();
        expect(await again.getByRole('button', { name: 'Reject', exact: true }).count()).toBe(0);
        await app!.screenshot('approved-answer');

        expect(await guestList()).toEqual([...before, OFFLINE_TOOL_GUEST]);
      });
    },
    6 * RUN_TIMEOUT_MS,
  );

  it(
    'Reject: the tool never runs, the answer says the guest was not added, and the guest list is unchanged',
    async () => {
      await step('reject', async () => {
        const before = await guestList();
        const guest = 'Bruno';
        const chat = await ask(`Add a guest: ${guest}`);
        const card = await approvalCard(chat, 'addGuest');
        expect(await card.getByRole('listitem').allTextContents()).toEqual([`name: ${guest}`, 'email: none']);

        await card.getByRole('button', { name: 'Reject', exact: true }).click();
        const reply = await answer(chat, 'you rejected the change');
        expect(await messageText(reply)).toContain(rendered(guestRejectedAnswer(guest)));
        await card.getByText('Rejected', { exact: true }).waitFor();
        expect(await card.getByRole('button', { name: 'Approve', exact: true }).count()).toBe(0);
        expect(await chat.log.getByText('Called addGuest', { exact: true }).count()).toBe(0);
        await app!.screenshot('rejected-answer');

        const after = await guestList();
        expect(after).toEqual(before);
        expect(after).not.toContain(guest);
      });
    },
    5 * RUN_TIMEOUT_MS,
  );

  it(
    'updateEvent asks too: the card shows the new date, Approve moves the event and the answer gives the date',
    async () => {
      await step('update-event', async () => {
        const chat = await ask(OFFLINE_PROMPTS.reschedule, 'Event planner — venue event');
        const card = await approvalCard(chat, 'updateEvent');
        expect(await card.getByRole('listitem').allTextContents()).toEqual([
          `date: ${OFFLINE_RESCHEDULE_DATE}`,
          'guestCount: none',
        ]);
        expect(await chat.assistantMessages.filter({ hasText: 'the event is now on' }).count()).toBe(0);

        await card.getByRole('button', { name: 'Approve', exact: true }).click();
        const reply = await answer(chat, 'the event is now on');
        expect(await messageText(reply)).toContain(`Done: the event is now on ${OFFLINE_RESCHEDULE_DATE}`);
        await card.getByText('Approved', { exact: true }).waitFor();
        await app!.screenshot('update-event-approved');
      });
    },
    4 * RUN_TIMEOUT_MS,
  );
});
