/** Locators and small actions for the app's pages, by the accessible names of apps/web/CONTRACT.md. */
import type { Locator, Page } from 'playwright-core';

/** The chat page's controls. */
export function chatPage(page: Page) {
  const log = page.getByRole('log', { name: 'Messages' });
  const threads = page.getByRole('navigation', { name: 'Threads' });
  return {
    log,
    threads,
    message: page.getByRole('textbox', { name: 'Message', exact: true }),
    send: page.getByRole('button', { name: 'Send', exact: true }),
    stop: page.getByRole('button', { name: 'Stop', exact: true }),
    newThread: page.getByRole('button', { name: 'New thread', exact: true }),
    agent: page.getByRole('combobox', { name: 'Agent', exact: true }),
    userMessages: log.getByRole('article', { name: 'User message', exact: true }),
    assistantMessages: log.getByRole('article', { name: 'Assistant message', exact: true }),
    threadLinks: threads.getByRole('link'),
    threadLink: (title: string) => threads.getByRole('link', { name: title, exact: true }),
  };
}

/** The chat page's controls, as returned by {@link chatPage}. */
export type ChatPage = ReturnType<typeof chatPage>;

/** CSS selectors for the in-page recorders (they run `querySelectorAll`, not Playwright locators). */
export const SELECTORS = {
  assistantMessage: '[role="log"][aria-label="Messages"] article[aria-label="Assistant message"]',
  /** The rendered markdown body of an assistant message (its text only, no action buttons). */
  assistantMarkdown: '[role="log"][aria-label="Messages"] article[aria-label="Assistant message"] .markdown',
  statusInMessages: '[role="log"][aria-label="Messages"] [role="status"]',
  /** The images page has one progress bar (labelled "Batch progress" through `aria-labelledby`). */
  batchProgress: '[role="progressbar"]',
} as const;

/** Opens a fresh thread on the chat page (the app navigates to `/chat` with an empty log). */
export async function openNewThread(page: Page): Promise<ChatPage> {
  const chat = chatPage(page);
  await chat.newThread.click();
  await chat.assistantMessages.first().waitFor({ state: 'detached' });
  return chat;
}

/** Types `text` into the composer and sends it with the Send button, or with Enter. */
export async function sendMessage(
  chat: ChatPage,
  text: string,
  via: 'button' | 'enter' = 'button',
): Promise<void> {
  await chat.message.fill(text);
  if (via === 'enter') await chat.message.press('Enter');
  else await chat.send.click();
}

/** Text of a locator with whitespace collapsed. */
export async function normalizedText(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/** The text of a message without its action buttons (feedback, retry), whitespace collapsed. */
export async function messageText(article: Locator): Promise<string> {
  const text = await article.evaluate((element) => {
    const copy = element.cloneNode(true) as Element;
    for (const button of copy.querySelectorAll('button')) button.remove();
    return copy.textContent ?? '';
  });
  return text.replace(/\s+/g, ' ').trim();
}

/** The integer in a usage total such as `1,234`. */
export async function usageNumber(page: Page, testId: string): Promise<number> {
  const text = (await page.getByTestId(testId).textContent()) ?? '';
  const digits = text.replace(/[^0-9]/g, '');
  if (digits === '') throw new Error(`usage total ${testId} shows no number: ${JSON.stringify(text)}`);
  return Number(digits);
}

/** The last assistant message that contains `text`, once it is there and the run has ended (Stop is gone). */
export async function finishedAnswer(chat: ChatPage, text: string, timeoutMs: number): Promise<Locator> {
  const message = chat.assistantMessages.filter({ hasText: text }).last();
  await message.waitFor({ timeout: timeoutMs });
  await chat.stop.waitFor({ state: 'hidden', timeout: timeoutMs });
  return message;
}
