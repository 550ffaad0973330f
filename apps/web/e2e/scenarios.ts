/**
 * The end-to-end scenarios, in order, shared by every variant (PGlite, Postgres). They drive one signed-in page
 * through the contract of apps/web/CONTRACT.md; later scenarios may use what earlier ones left in `memory`.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import {
  OFFLINE_LONG_STORY,
  OFFLINE_PROMPTS,
  OFFLINE_TOOL_ANSWER,
  OFFLINE_TOOL_GUEST,
} from '../src/server/offline-script';
import { formatViolations, seriousAxeViolations } from './accessibility';
import {
  type ChatPage,
  chatPage,
  messageText,
  normalizedText,
  openNewThread,
  SELECTORS,
  sendMessage,
  usageNumber,
} from './pages';
import { startRecorder } from './recorder';

/** What every scenario gets. */
export interface ScenarioContext {
  /** `pglite` or `postgres`. */
  readonly variant: string;
  /** The app's origin, e.g. `http://127.0.0.1:41234`. */
  readonly baseUrl: string;
  readonly browser: Browser;
  /** One page shared by the scenarios of a variant (the sign-in cookie lives in its context). */
  readonly page: Page;
  /** Saves a screenshot under `apps/web/e2e/artifacts/<variant>/` and returns its path. */
  screenshot(page: Page, name: string): Promise<string>;
  /** Facts earlier scenarios leave for later ones. */
  readonly memory: ScenarioMemory;
}

/** Facts shared between the scenarios of one variant. */
export interface ScenarioMemory {
  /** URL of the thread holding the completed long reply. */
  storyThreadUrl?: string;
  /** The completed long reply as the page renders it (whitespace collapsed). */
  completedStory?: string;
}

/** One step of the suite. */
export interface Scenario {
  readonly name: string;
  /** Run on this storage variant only (layout checks do not depend on the database). Default: every variant. */
  readonly onlyOn?: 'pglite' | 'postgres';
  run(context: ScenarioContext): Promise<void>;
}

/** The long story as rendered text: markdown markers gone, whitespace collapsed. */
const RENDERED_STORY = OFFLINE_LONG_STORY.replace(/[#*]/g, '').replace(/\s+/g, ' ').trim();
const STORY_ENDING = 'The end.';

/** `value` escaped for a double-quoted CSS attribute selector. */
const quoted = (value: string) => value.replace(/["\\]/g, '\\$&');

/** The thread id in a chat URL (`/chat/<id>` or `?thread=<id>`), if any. */
function threadIdOf(url: URL): string | undefined {
  const fromQuery = url.searchParams.get('thread');
  if (fromQuery) return fromQuery;
  const match = /^\/chat\/([^/]+)/.exec(url.pathname);
  return match?.[1] === undefined ? undefined : decodeURIComponent(match[1]);
}

/**
 * The title the app gives a new thread in offline mode (CONTRACT.md, "Thread titles"): the first message's words, at
 * most 48 characters, cut at a word. The prompts used here are shorter, so the title is the whole message.
 */
function offlineTitle(firstMessage: string): string {
  expect(firstMessage.length, 'keep e2e prompts within the 48-character title').toBeLessThanOrEqual(48);
  return firstMessage;
}

/** Waits until the URL names the open thread, then returns the thread list's link to it. */
async function currentThread(page: Page, chat: ChatPage) {
  await page.waitForURL((url) => threadIdOf(url) !== undefined);
  const id = threadIdOf(new URL(page.url()))!;
  const link = chat.threads.locator(`a[href*="${quoted(id)}"]`).first();
  await link.waitFor();
  return { id, url: page.url(), link };
}

/** Repeats `attempt` (each attempt waits on its own conditions) until it passes or `timeoutMs` is over. */
async function eventually(what: string, timeoutMs: number, attempt: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  do {
    try {
      await attempt();
      return;
    } catch (error) {
      lastError = error;
    }
  } while (Date.now() < deadline);
  throw new Error(`${what} (gave up after ${timeoutMs} ms)`, { cause: lastError });
}

/** Waits for the last assistant message to finish streaming: the Stop button has gone. */
async function waitForReplyEnd(chat: ChatPage): Promise<void> {
  await chat.stop.waitFor({ state: 'hidden', timeout: 60_000 });
}

/** Waits until the page is at `path` on the app's own origin (a redirect must not leave the host the user typed). */
async function waitForPath(page: Page, baseUrl: string, path: string, when: string): Promise<void> {
  const origin = new URL(baseUrl).origin;
  try {
    await page.waitForURL((url) => url.origin === origin && url.pathname.startsWith(path));
  } catch (error) {
    throw new Error(`${when} the browser is at ${page.url()}, expected ${origin}${path}`, { cause: error });
  }
}

async function goToChat(context: ScenarioContext): Promise<ChatPage> {
  await context.page.goto(`${context.baseUrl}/chat`);
  const chat = chatPage(context.page);
  await chat.message.waitFor();
  return chat;
}

const signIn: Scenario = {
  name: 'redirects to the development sign-in and signs in as the demo user',
  async run({ page, baseUrl, screenshot }) {
    for (const path of ['/images', '/usage', '/chat']) {
      await page.goto(`${baseUrl}${path}`);
      await page.waitForURL((url) => url.pathname === '/sign-in');
    }
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    await page.getByText('Development only').first().waitFor();
    await page.getByRole('status').filter({ hasText: 'offline demo model' }).first().waitFor();
    await screenshot(page, 'sign-in');

    await page.getByRole('button', { name: 'Sign in as demo user', exact: true }).click();
    await waitForPath(page, baseUrl, '/chat', 'after signing in');
    for (const name of ['Chat', 'Images', 'Usage']) {
      await page.getByRole('link', { name, exact: true }).first().waitFor();
    }
    await page.getByRole('button', { name: 'Sign out', exact: true }).waitFor();
    await page.getByRole('status').filter({ hasText: 'offline demo model' }).first().waitFor();
    const session = (await page.context().cookies()).find((cookie) => cookie.name === 'relaykit-session');
    expect(session, 'the relaykit-session cookie is set').toBeDefined();
    expect(session!.httpOnly).toBe(true);
  },
};

const streaming: Scenario = {
  name: 'streams a markdown reply that grows incrementally',
  async run(context) {
    const { page, memory, screenshot } = context;
    await goToChat(context);
    const chat = await openNewThread(page);
    await page.getByRole('group', { name: 'Starter prompts' }).getByRole('button').first().waitFor();

    // The markdown body only: the article also gains the feedback buttons' labels when the reply ends.
    const lengths = await startRecorder(page, SELECTORS.assistantMarkdown, { kind: 'text-length' });
    await sendMessage(chat, OFFLINE_PROMPTS.long);
    await chat.userMessages.filter({ hasText: OFFLINE_PROMPTS.long }).first().waitFor();
    await chat.stop.waitFor();
    await waitForReplyEnd(chat);
    const reply = chat.assistantMessages.last();
    await reply.getByText(STORY_ENDING).waitFor();
    const seen = (await lengths.stop()).map(Number);

    const finalText = await messageText(reply);
    const finalLength = ((await reply.locator('.markdown').textContent()) ?? '').length;
    const growing = [...new Set(seen.filter((length) => length > 0 && length < finalLength))];
    expect(
      growing.length,
      `assistant text lengths observed while streaming: ${seen.join(', ')}`,
    ).toBeGreaterThanOrEqual(2);
    expect(finalText).toContain(RENDERED_STORY.slice(-80));
    expect(await reply.locator('strong').filter({ hasText: 'Mira' }).count()).toBe(1);
    expect(finalText).not.toContain('**');
    for (const name of ['Good response', 'Bad response', 'Retry']) {
      await reply.getByRole('button', { name, exact: true }).waitFor();
    }

    const thread = await currentThread(page, chat);
    await chat.threadLink(offlineTitle(OFFLINE_PROMPTS.long)).waitFor();
    memory.storyThreadUrl = thread.url;
    memory.completedStory = finalText;
    await screenshot(page, 'chat');
  },
};

const persistence: Scenario = {
  name: 'keeps the thread and its messages after a reload',
  async run({ page, memory }) {
    expect(memory.storyThreadUrl, 'needs the streaming scenario').toBeDefined();
    await page.goto(memory.storyThreadUrl!);
    const chat = chatPage(page);
    const thread = await currentThread(page, chat);
    const title = offlineTitle(OFFLINE_PROMPTS.long);
    expect(await normalizedText(thread.link)).toBe(title);
    await page.reload();
    await chat.threadLink(title).waitFor();
    expect(await chat.threadLink(title).getAttribute('href')).toContain(thread.id);
    expect(await chat.threadLink(title).getAttribute('aria-current')).toBe('page');
    await chat.userMessages.filter({ hasText: OFFLINE_PROMPTS.long }).first().waitFor();
    await chat.assistantMessages.filter({ hasText: STORY_ENDING }).first().waitFor();
    expect(await messageText(chat.assistantMessages.last())).toBe(memory.completedStory);
  },
};

const renameAndDelete: Scenario = {
  name: 'renames and deletes a thread',
  async run(context) {
    const { page, variant } = context;
    await goToChat(context);
    const chat = await openNewThread(page);
    const first = `Hello from the ${variant} end-to-end run`;
    await sendMessage(chat, first);
    await chat.assistantMessages.filter({ hasText: 'offline demo model' }).first().waitFor();
    await waitForReplyEnd(chat);
    const thread = await currentThread(page, chat);
    const title = offlineTitle(first);
    await chat.threadLink(title).waitFor();

    const renamed = `Renamed by e2e ${variant}`;
    await page.getByRole('button', { name: `Rename ${title}`, exact: true }).click();
    const field = page.getByRole('textbox', { name: 'Thread title', exact: true });
    await field.fill(renamed);
    await field.press('Enter');
    await chat.threadLink(renamed).waitFor();
    await page.reload();
    await chat.threadLink(renamed).waitFor();

    await page.getByRole('button', { name: `Delete ${renamed}`, exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete thread', exact: true }).click();
    await chat.threadLink(renamed).waitFor({ state: 'detached' });
    await goToChat(context);
    await chat.threadLinks.first().waitFor();
    expect(await chat.threads.locator(`a[href*="${quoted(thread.id)}"]`).count()).toBe(0);
    expect(await chat.threadLink(renamed).count()).toBe(0);
  },
};

const olderHistory: Scenario = {
  name: 'loads older messages when the log is scrolled to the top',
  async run(context) {
    const { page } = context;
    await goToChat(context);
    const chat = await openNewThread(page);
    // 11 turns = 22 items: one more turn than the first page of 20 items the app loads.
    const turns = 11;
    for (let turn = 1; turn <= turns; turn += 1) {
      await sendMessage(chat, `History turn ${turn}`, 'enter');
      await chat.assistantMessages
        .filter({ hasText: `You said: "History turn ${turn}"` })
        .first()
        .waitFor();
      await waitForReplyEnd(chat);
    }
    const thread = await currentThread(page, chat);

    await page.goto(thread.url);
    const newest = chat.log.getByText(`History turn ${turns}`, { exact: true });
    const oldest = chat.log.getByText('History turn 1', { exact: true });
    await newest.waitFor();
    expect(await oldest.count(), 'the first turn is not on the first page').toBe(0);
    // The first page starts with turn 2: the message at the top when the reader reaches it.
    const previouslyTop = chat.log.getByText('History turn 2', { exact: true });
    // Where turn 2 is below the log's top (measured in the page; `scrollToTop` first scrolls the log to the top, in
    // the same task, so the older page cannot have arrived yet).
    const placeInLog = (scrollToTop: boolean) =>
      previouslyTop.evaluate((element, scrollToTop) => {
        const log = element.closest('[role="log"]')!;
        if (scrollToTop) log.scrollTop = 0;
        const { top: logTop, bottom: logBottom } = log.getBoundingClientRect();
        const { top } = element.getBoundingClientRect();
        return { offset: top - logTop, inView: top >= logTop && top < logBottom };
      }, scrollToTop);
    const before = await placeInLog(true);
    await oldest.waitFor();
    expect(await chat.userMessages.count()).toBe(turns);
    expect(await chat.assistantMessages.count()).toBe(turns);
    const after = await placeInLog(false);
    expect(after.inView, `turn 2 after loading: ${JSON.stringify(after)}`).toBe(true);
    expect(
      Math.abs(after.offset - before.offset),
      `turn 2 moved from ${before.offset}px to ${after.offset}px below the log's top`,
    ).toBeLessThanOrEqual(4);
  },
};

const stopMidStream: Scenario = {
  name: 'stops a long reply mid-stream and keeps the partial text',
  async run(context) {
    const { page } = context;
    await goToChat(context);
    const chat = await openNewThread(page);
    await sendMessage(chat, OFFLINE_PROMPTS.long);
    await page.waitForFunction((selector) => {
      const replies = document.querySelectorAll(selector);
      return (replies[replies.length - 1]?.textContent ?? '').trim().length >= 20;
    }, SELECTORS.assistantMessage);
    await chat.stop.click();
    await waitForReplyEnd(chat);
    const shown = await messageText(chat.assistantMessages.last());
    expect(shown).not.toContain(STORY_ENDING);

    const thread = await currentThread(page, chat);
    let persisted = '';
    await eventually('the partial reply is shown after a reload', 30_000, async () => {
      await page.goto(thread.url);
      const reply = chat.assistantMessages.last();
      await reply.waitFor({ timeout: 5_000 });
      persisted = await messageText(reply);
      if (persisted === '') throw new Error('the assistant message is empty');
    });
    expect(persisted.length).toBeGreaterThan(0);
    expect(persisted.length).toBeLessThan(RENDERED_STORY.length);
    if (context.memory.completedStory !== undefined) {
      expect(persisted.length).toBeLessThan(context.memory.completedStory.length);
    }
    expect(persisted).not.toContain(STORY_ENDING);
    expect(RENDERED_STORY.startsWith(persisted.slice(0, 15))).toBe(true);
  },
};

const toolScenario: Scenario = {
  name: 'runs the event planner tool after the user approves it, and shows its progress and answer',
  async run(context) {
    const { page, screenshot } = context;
    await goToChat(context);
    const chat = chatPage(page);
    await chat.agent.selectOption({ label: 'Event planner — client' });
    await openNewThread(page);
    expect(await chat.agent.evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.text)).toBe(
      'Event planner — client',
    );
    await sendMessage(chat, OFFLINE_PROMPTS.tool, 'enter');
    // addGuest needs approval: the run pauses on an approval card naming the tool and its arguments.
    const card = chat.log
      .getByRole('region', { name: 'Widget' })
      .filter({ hasText: 'Allow addGuest?' })
      .last();
    await card.waitFor();
    await waitForReplyEnd(chat);
    expect(await card.textContent()).toContain(`name: ${OFFLINE_TOOL_GUEST}`);
    await screenshot(page, 'chat-tool-approval');
    const statuses = await startRecorder(page, SELECTORS.statusInMessages, { kind: 'texts' });
    const run = page.waitForResponse(
      (response) =>
        new URL(response.url()).pathname === '/api/chatkit' &&
        (response.headers()['content-type'] ?? '').includes('text/event-stream'),
    );
    await card.getByRole('button', { name: 'Approve', exact: true }).click();
    const answer = chat.assistantMessages.filter({ hasText: 'is now on the guest list' }).last();
    await answer.waitFor();
    await waitForReplyEnd(chat);
    const seen = await statuses.stop();
    // The resumed run streamed the running state ("Calling addGuest", still loading) before the finished one.
    // (addGuest runs synchronously, so both updates arrive together and the browser paints only the second: the
    // running state is checked on the wire, the finished one on screen.)
    const tasks = workflowTaskUpdates(await (await run).text());
    const calling = tasks.findIndex(
      (task) => task.title === 'Calling addGuest' && task.status_indicator === 'loading',
    );
    const called = tasks.findIndex(
      (task) => task.title === 'Called addGuest' && task.status_indicator === 'complete',
    );
    expect(calling, `workflow task updates streamed: ${JSON.stringify(tasks)}`).toBeGreaterThanOrEqual(0);
    expect(called, `workflow task updates streamed: ${JSON.stringify(tasks)}`).toBeGreaterThan(calling);
    expect(
      seen.some((text) => /Called addGuest/.test(text)),
      `tool statuses seen: ${JSON.stringify(seen)}`,
    ).toBe(true);
    expect(await messageText(answer)).toContain(OFFLINE_TOOL_ANSWER.replace(/\*/g, ''));
    expect(await answer.locator('strong').filter({ hasText: OFFLINE_TOOL_GUEST }).count()).toBe(1);
    await card.getByText('Approved', { exact: true }).waitFor();
    await screenshot(page, 'chat-tool');
    await chat.agent.selectOption({ label: 'Workflow assistant' });
  },
};

/** The workflow tasks of a run's SSE body (`workflow.task.added` / `.updated` updates), in stream order. */
function workflowTaskUpdates(body: string): { title?: string; status_indicator?: string }[] {
  return body
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => JSON.parse(line.slice(5)) as { update?: { type?: string; task?: { title?: string } } })
    .filter((event) => /^workflow\.task\.(added|updated)$/.test(event.update?.type ?? ''))
    .map((event) => event.update?.task ?? {});
}

/** Alerts with text (Next.js keeps an empty `role="alert"` route announcer on every page). */
const errorAlerts = (page: Page) => page.getByRole('alert').filter({ hasText: /\S/ });

const images: Scenario = {
  name: 'generates an image and a batch of 5 with a live progress bar',
  async run({ page, baseUrl, variant, screenshot }) {
    await page.goto(`${baseUrl}/chat`);
    await page.getByRole('link', { name: 'Images', exact: true }).first().click();
    await page.waitForURL((url) => url.pathname === '/images');

    const prompt = `A lighthouse at dusk, ${variant}`;
    await page.getByRole('textbox', { name: 'Prompt', exact: true }).fill(prompt);
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    const image = page.getByRole('img', { name: prompt, exact: true });
    await image.or(errorAlerts(page)).first().waitFor();
    expect(await errorAlerts(page).allTextContents(), 'the single image failed').toEqual([]);
    await page.waitForFunction((alt) => {
      const element = [...document.images].find((candidate) => candidate.alt === alt);
      return element?.complete === true && element.naturalWidth > 0;
    }, prompt);
    await page.getByRole('button', { name: 'Regenerate', exact: true }).waitFor();

    const roster = ['Ana', 'Ben', 'Chen', 'Dara', 'Eli'].map((name) => `Portrait of ${name}, watercolour`);
    await page
      .getByRole('textbox', { name: 'Batch prompts (one per line)', exact: true })
      .fill(roster.join('\n'));
    const values = await startRecorder(page, SELECTORS.batchProgress, {
      kind: 'attribute',
      name: 'aria-valuenow',
    });
    await page.getByRole('button', { name: 'Generate batch', exact: true }).click();
    const progress = page.getByRole('progressbar', { name: 'Batch progress', exact: true });
    await progress.waitFor();
    await page.waitForFunction(
      (selector) =>
        document.querySelector(selector)?.getAttribute('aria-valuenow') === '5' ||
        [...document.querySelectorAll('[role="alert"]')].some((alert) => alert.textContent?.trim()),
      SELECTORS.batchProgress,
      { timeout: 60_000 },
    );
    expect(await errorAlerts(page).allTextContents(), 'the batch failed').toEqual([]);
    const seen = (await values.stop()).map(Number);
    expect(await progress.getAttribute('aria-valuemax')).toBe('5');
    expect(await progress.getAttribute('aria-valuetext')).toBe('5/5');
    await page.getByText('5/5', { exact: true }).waitFor();
    expect(
      seen.filter((value) => value > 0 && value < 5),
      `aria-valuenow values seen: ${seen.join(', ')}`,
    ).not.toEqual([]);
    expect(seen.at(-1)).toBe(5);

    const items = page.getByRole('list', { name: 'Batch items', exact: true }).getByRole('listitem');
    await items.filter({ hasText: 'succeeded' }).nth(4).waitFor();
    expect(await items.count()).toBe(5);
    expect(await items.filter({ hasText: 'succeeded' }).count()).toBe(5);
    expect(await page.getByRole('button', { name: 'Retry failed', exact: true }).count()).toBe(0);
    await screenshot(page, 'images');
  },
};

const agentsAndCommands: Scenario = {
  name: 'names the answering agent, and a bare slash command reaches the model as its text',
  async run(context) {
    const { page, screenshot } = context;
    const chat = await goToChat(context);
    await chat.agent.selectOption({ label: 'Classroom assistant' });
    await openNewThread(page);
    await sendMessage(chat, '/ptm');
    // The meeting agent's scripted answer quotes the text it received: the command itself, not an empty message.
    const answer = chat.assistantMessages.filter({ hasText: 'You asked: "/ptm"' }).first();
    await answer.waitFor();
    await waitForReplyEnd(chat);
    expect(await answer.textContent()).toContain('Answered by ptm_prep');
    await chat.userMessages.filter({ hasText: '/ptm' }).first().waitFor();
    await screenshot(page, 'chat-slash-command');
    await chat.agent.selectOption({ label: 'Workflow assistant' });
  },
};

const threadNotFound: Scenario = {
  name: 'shows "Thread not found" for an unknown thread and keeps the typed text for a new one',
  async run(context) {
    const { page, baseUrl, screenshot } = context;
    await page.goto(`${baseUrl}/chat/thr_doesnotexist`);
    const chat = chatPage(page);
    await page.getByRole('heading', { name: 'Thread not found', exact: true }).waitFor();
    await chat.message.fill('Hello after a missing thread');
    await screenshot(page, 'chat-not-found');
    expect(await chat.message.inputValue()).toBe('Hello after a missing thread');
    await chat.send.click();
    await chat.assistantMessages.filter({ hasText: 'Hello after a missing thread' }).first().waitFor();
    await waitForReplyEnd(chat);
    await page.waitForURL((url) => threadIdOf(url) !== undefined && threadIdOf(url) !== 'thr_doesnotexist');
  },
};

const searchAndExport: Scenario = {
  name: 'searches past threads and exports the open one as Markdown',
  async run(context) {
    const { page, memory, screenshot } = context;
    expect(memory.storyThreadUrl, 'needs the streaming scenario').toBeDefined();
    await page.goto(memory.storyThreadUrl!);
    const chat = chatPage(page);
    await chat.assistantMessages.filter({ hasText: STORY_ENDING }).first().waitFor();
    await chat.threads.getByRole('searchbox', { name: 'Search threads', exact: true }).fill('long story');
    const results = chat.threads.getByRole('list', { name: 'Search results', exact: true });
    await results
      .getByRole('link', { name: new RegExp(OFFLINE_PROMPTS.long) })
      .first()
      .waitFor();
    await results.locator('mark').first().waitFor();
    await screenshot(page, 'chat-search');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export Markdown', exact: true }).click();
    const file = await (await download).path();
    const markdown = readFileSync(file!, 'utf8');
    expect(markdown).toContain(`# ${OFFLINE_PROMPTS.long}`);
    expect(markdown).toContain(STORY_ENDING);
    await chat.threads.getByRole('searchbox', { name: 'Search threads', exact: true }).fill('');
  },
};

const imageFailuresAndGallery: Scenario = {
  name: 'fails only the bad prompt of a batch with its reason, offers Retry failed, and lists stored images after a reload',
  async run({ page, baseUrl, variant, screenshot }) {
    await page.goto(`${baseUrl}/images`);
    const prompts = [`A harbour at dawn, ${variant}`, 'x'.repeat(4100), `A quiet library, ${variant}`];
    await page
      .getByRole('textbox', { name: 'Batch prompts (one per line)', exact: true })
      .fill(prompts.join('\n'));
    await page.getByRole('button', { name: 'Generate batch', exact: true }).click();
    const items = page.getByRole('list', { name: 'Batch items', exact: true }).getByRole('listitem');
    await page.getByRole('button', { name: 'Retry failed', exact: true }).waitFor({ timeout: 60_000 });
    expect(await items.filter({ hasText: 'succeeded' }).count()).toBe(2);
    const failed = items.filter({ hasText: 'failed' });
    expect(await failed.count()).toBe(1);
    expect(await failed.textContent()).toContain('The prompt is 4100 characters long; the limit is 4000.');
    expect(await page.getByText('3/3', { exact: true }).count()).toBe(1);
    await screenshot(page, 'images-batch-failure');

    await page.reload();
    const gallery = page.getByRole('list', { name: 'Stored images', exact: true });
    await gallery.getByRole('img', { name: prompts[0]!, exact: true }).waitFor();
    await gallery.getByRole('img', { name: prompts[2]!, exact: true }).waitFor();
    expect(await gallery.getByRole('listitem').count()).toBeGreaterThanOrEqual(3);
    await screenshot(page, 'images-gallery');
  },
};

/** Phone-sized pages: no horizontal overflow at 320 and 390 px, light and dark; the thread list is a drawer. */
const mobile: Scenario = {
  name: 'fits 320 and 390 px wide screens, light and dark, with the thread list as a drawer',
  onlyOn: 'pglite',
  async run({ page, browser, baseUrl, memory, screenshot }) {
    expect(memory.storyThreadUrl, 'needs the streaming scenario').toBeDefined();
    const cookies = await page.context().cookies();
    const failures: string[] = [];
    for (const [width, scheme] of [
      [390, 'light'],
      [390, 'dark'],
      [320, 'light'],
    ] as const) {
      const phone = await browser.newContext({ viewport: { width, height: 780 }, colorScheme: scheme });
      try {
        await phone.addCookies(cookies);
        const tab = await phone.newPage();
        tab.setDefaultTimeout(30_000);
        const check = async (name: string) => {
          const [scrollWidth, innerWidth] = await tab.evaluate(() => [
            document.documentElement.scrollWidth,
            window.innerWidth,
          ]);
          if (scrollWidth > innerWidth)
            failures.push(`${name} at ${width} px (${scheme}): ${scrollWidth} px wide`);
          await screenshot(tab, `mobile-${width}-${scheme}-${name}`);
        };
        await tab.goto(memory.storyThreadUrl!);
        await chatPage(tab).assistantMessages.filter({ hasText: STORY_ENDING }).first().waitFor();
        await check('chat');
        await tab.getByRole('button', { name: 'Show threads', exact: true }).click();
        await tab
          .getByRole('navigation', { name: 'Threads' })
          .getByRole('button', { name: 'New thread' })
          .waitFor();
        await tab.waitForFunction(
          () => (document.querySelector('.rk-sidebar')?.getBoundingClientRect().left ?? -1) >= 0,
        );
        await check('threads');
        if (width === 390 && scheme === 'dark') {
          const violations = await seriousAxeViolations(tab);
          if (violations.length > 0) failures.push(formatViolations(`mobile chat (${scheme})`, violations));
        }
        await tab.keyboard.press('Escape');
        await tab.goto(`${baseUrl}/images`);
        await tab.getByRole('button', { name: 'Generate batch', exact: true }).waitFor();
        await check('images');
        await openUsage(tab, baseUrl);
        await check('usage');
      } finally {
        await phone.close();
      }
    }
    expect(failures, failures.join('\n')).toEqual([]);
  },
};

/** Opens /usage and waits for its totals and a drawn chart. */
async function openUsage(page: Page, baseUrl: string): Promise<void> {
  await page.goto(`${baseUrl}/usage`);
  await page.getByRole('heading', { name: 'Usage', exact: true }).waitFor();
  await page.getByTestId('usage-requests').waitFor();
}

const usage: Scenario = {
  name: 'shows the calls on the usage page and counts a new chat turn',
  async run(context) {
    const { page, baseUrl, variant, screenshot } = context;
    await openUsage(page, baseUrl);
    const before = await usageNumber(page, 'usage-requests');
    expect(before).toBeGreaterThan(0);
    expect(await usageNumber(page, 'usage-tokens')).toBeGreaterThan(0);
    await page.getByTestId('usage-cost').waitFor();
    await page.getByRole('heading', { name: 'Rate limit', exact: true }).waitFor();
    await page.getByRole('heading', { name: 'Recent errors', exact: true }).waitFor();
    const chart = page.getByLabel('Daily usage chart', { exact: true });
    await chart.waitFor();
    await chart.locator('svg').first().waitFor();
    await page.waitForFunction(
      () => {
        const element = document.querySelector('[aria-label="Daily usage chart"]');
        // recharts draws one `.recharts-bar-rectangle` per bar (a day with data), or dots and curves for lines
        return (
          (element?.querySelectorAll(
            '.recharts-bar-rectangle, .recharts-line-dot, .recharts-dot, .recharts-area-area, .recharts-line-curve',
          ).length ?? 0) > 0
        );
      },
      undefined,
      { timeout: 15_000 },
    );
    await screenshot(page, 'usage');

    const chat = await goToChat(context);
    await openNewThread(page);
    await sendMessage(chat, `Count this turn (${variant})`);
    await chat.assistantMessages.filter({ hasText: 'offline demo model' }).first().waitFor();
    await waitForReplyEnd(chat);
    let after = before;
    await eventually('the usage page counts the new chat turn', 30_000, async () => {
      await openUsage(page, baseUrl);
      after = await usageNumber(page, 'usage-requests');
      if (after <= before) throw new Error(`requests still ${after}`);
    });
    expect(after).toBeGreaterThan(before);
  },
};

const accessibility: Scenario = {
  name: 'has no serious or critical axe violations on sign-in, chat, images and usage',
  async run({ page, browser, baseUrl, memory }) {
    const failures: string[] = [];
    const scan = async (target: Page, name: string) => {
      const violations = await seriousAxeViolations(target);
      if (violations.length > 0) failures.push(formatViolations(name, violations));
    };

    const signedOut = await browser.newContext();
    try {
      const signInPage = await signedOut.newPage();
      await signInPage.goto(`${baseUrl}/sign-in`);
      await signInPage.getByRole('button', { name: 'Sign in as demo user', exact: true }).waitFor();
      await scan(signInPage, '/sign-in');
    } finally {
      await signedOut.close();
    }

    expect(memory.storyThreadUrl, 'needs the streaming scenario').toBeDefined();
    await page.goto(memory.storyThreadUrl!);
    await chatPage(page).assistantMessages.filter({ hasText: STORY_ENDING }).first().waitFor();
    await scan(page, 'chat');

    await page.goto(`${baseUrl}/images`);
    await page.getByRole('button', { name: 'Generate batch', exact: true }).waitFor();
    await scan(page, '/images');

    await openUsage(page, baseUrl);
    await page.getByLabel('Daily usage chart', { exact: true }).locator('svg').first().waitFor();
    await scan(page, '/usage');

    if (failures.length > 0) console.error(failures.join('\n'));
    expect(failures, failures.join('\n')).toEqual([]);
  },
};

const signOut: Scenario = {
  name: 'signs out',
  async run(context) {
    const { page, baseUrl } = context;
    await goToChat(context);
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await waitForPath(page, baseUrl, '/sign-in', 'after signing out');
    await page.getByRole('button', { name: 'Sign in as demo user', exact: true }).waitFor();
    await page.goto(`${baseUrl}/chat`);
    await waitForPath(page, baseUrl, '/sign-in', 'opening /chat signed out');
  },
};

/** Every scenario, in the order they run for each variant (sign-out last: it ends the session). */
export const SCENARIOS: readonly Scenario[] = [
  signIn,
  streaming,
  persistence,
  renameAndDelete,
  olderHistory,
  stopMidStream,
  toolScenario,
  agentsAndCommands,
  threadNotFound,
  searchAndExport,
  images,
  imageFailuresAndGallery,
  usage,
  mobile,
  accessibility,
  signOut,
];
