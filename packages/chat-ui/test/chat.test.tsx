/**
 * `<Chat>` in happy-dom against the scripted RelayKit server (in process): every item type, widget actions, client
 * tools, structured input, errors with their wait time, the kept composer text, not found, retry, edit, search and
 * attachments.
 */
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Chat } from '../src/index';
import { createScriptedServer, SCRIPTED_PROMPTS, type ScriptedServer } from './scripted-server';

afterEach(() => cleanup());

function setup(extra: Partial<Parameters<typeof Chat>[0]> = {}) {
  const backend = createScriptedServer({ storyDelayMs: 30 });
  const changes: (string | null)[] = [];
  const view = render(
    <Chat
      api={{ url: '/chatkit', fetch: backend.fetch, searchUrl: '/search' }}
      onThreadChange={({ threadId }) => changes.push(threadId)}
      onClientTool={async ({ name, params }) => ({ tool: name, params, city: 'Lisbon' })}
      {...(extra as object)}
    />,
  );
  return { backend, changes, view };
}

const composer = () => screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement;
async function send(text: string) {
  fireEvent.change(composer(), { target: { value: text } });
  fireEvent.click(screen.getByRole('button', { name: 'Send' }));
}
const log = () => screen.getByRole('log', { name: 'Messages' });
const idle = () => waitFor(() => expect(screen.queryByRole('button', { name: 'Stop' })).toBeNull());

async function runEverything(backend: ScriptedServer) {
  await send(SCRIPTED_PROMPTS.everything);
  await waitFor(() => expect(log().textContent).toContain('console.log(greeting)'), { timeout: 10_000 });
  await idle();
  return backend;
}

describe('<Chat> renders every item type', () => {
  it('shows messages, workflow tasks, a task, an image, widgets and the markdown table and code; never hidden items', async () => {
    const { backend, changes } = setup();
    await runEverything(backend);
    const messages = log();
    expect(within(messages).getByRole('article', { name: 'User message' }).textContent).toContain(
      'Show every item type',
    );
    const answer = within(messages).getByRole('article', { name: 'Assistant message' });
    expect(within(answer).getByRole('table').textContent).toContain('workflow');
    expect(answer.querySelector('code[data-language="typescript"] .sh__token--keyword')?.textContent).toBe(
      'const',
    );
    expect(within(answer).getByRole('button', { name: 'Copy code' })).toBeTruthy();
    expect(answer.textContent).toContain('Answered by scripted_agent');
    for (const task of [
      'Looked up the guest list',
      'Searched the web',
      'Read the contract',
      'Drew a floor plan',
      'Checked the calendar',
    ])
      expect(messages.textContent).toContain(task);
    expect(messages.textContent).toContain('Venues in Lisbon');
    expect(messages.querySelector('img[alt="Made by the assistant"]')).toBeTruthy();
    // Widgets: the showcase (with its unknown component skipped) and the approval card.
    expect(messages.textContent).toContain('Trip planner');
    expect(messages.textContent).not.toContain('never shown');
    expect(within(messages).getByRole('img', { name: 'A map of Lisbon' })).toBeTruthy();
    expect(within(messages).getByRole('radiogroup', { name: 'Pace' })).toBeTruthy();
    expect(within(messages).getByLabelText('Name')).toBeTruthy();
    expect(messages.textContent).toContain('Approve the refund?');
    expect(messages.textContent).not.toMatch(/HIDDEN/);
    expect(changes.at(-1)).toMatch(/^thr_/);
  });

  it('sends widget actions with the item id and applies component, streaming-text and root updates', async () => {
    const { backend } = setup();
    await runEverything(backend);
    fireEvent.click(screen.getByRole('button', { name: 'Approve' }));
    await waitFor(() => expect(log().textContent).toContain('Approved by the reviewer.'));
    await waitFor(() =>
      expect(log().textContent).toContain('Action approval.approve with {"order":1001,"amount":42}'),
    );
    const action = backend.requests.find((request) => request.type === 'threads.custom_action');
    expect(action?.params).toMatchObject({
      action: { type: 'approval.approve', payload: { order: 1001, amount: 42 } },
    });
    expect((action!.params as { item_id?: string }).item_id).toMatch(/^msg_/);
    // streaming: false → threads.sync_custom_action, and the updated item replaces the widget.
    fireEvent.click(screen.getByRole('button', { name: 'Toggle (sync)' }));
    await waitFor(() => expect(log().textContent).toContain('Toggled (sync)'));
    expect(backend.requests.some((request) => request.type === 'threads.sync_custom_action')).toBe(true);
    // A form merges its fields into the action's payload.
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Ada' } });
    fireEvent.submit(screen.getByRole('button', { name: 'Book' }).closest('form')!);
    await waitFor(() =>
      expect(log().textContent).toContain('Action trip.book with {"trip":"lisbon","name":"Ada"'),
    );
  });
});

describe('<Chat> runs', () => {
  it('runs a client tool and sends its result back', async () => {
    const { backend } = setup();
    await send(SCRIPTED_PROMPTS.clientTool);
    await waitFor(() => expect(log().textContent).toContain('The page answered: {"tool":"get_location"'), {
      timeout: 10_000,
    });
    expect(
      backend.requests.find((request) => request.type === 'threads.add_client_tool_output')?.params,
    ).toMatchObject({
      result: { tool: 'get_location', params: { precise: false }, city: 'Lisbon' },
    });
  });

  it('answers structured input questions', async () => {
    const { backend } = setup();
    await send(SCRIPTED_PROMPTS.structured);
    const form = await screen.findByRole('form', { name: 'Questions' });
    fireEvent.click(within(form).getByLabelText('6-20'));
    fireEvent.change(within(form).getByLabelText('What is the goal?'), { target: { value: 'Ship it' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Submit answers' }));
    await waitFor(() => expect(log().textContent).toContain('Thanks for answering 2 questions.'));
    expect(
      backend.requests.find((request) => request.type === 'threads.add_structured_input')?.params,
    ).toMatchObject({
      input: { status: 'answered', answers: { size: { values: ['6-20'] }, goal: { values: ['Ship it'] } } },
    });
  });

  it('names the agent of each message', async () => {
    setup();
    await send(SCRIPTED_PROMPTS.agents);
    await waitFor(() => expect(log().textContent).toContain('Answered by lesson_planner'));
    expect(log().textContent).toContain('Answered by orchestrator');
  });
});

describe('<Chat> errors', () => {
  it('shows a 429 with its wait time, keeps the typed text, and sends it once the wait is over', async () => {
    const { backend } = setup();
    backend.rateLimit.denyMs = 30_000;
    await send('Keep this text');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Too many requests');
    expect(alert.textContent).toMatch(/try again in 30 s/);
    expect(composer().value).toBe('Keep this text');
    expect(screen.queryByRole('article', { name: 'User message' })).toBeNull();
    expect((screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement).disabled).toBe(true);
    // Dismissing the error lets the user try again; a 1 ms wait is over at once.
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss error' }));
    backend.rateLimit.denyMs = 1;
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    await screen.findByRole('button', { name: /Send again/ });
    expect(composer().value).toBe('Keep this text');
    backend.rateLimit.denyMs = null;
    await waitFor(
      () =>
        expect((screen.getByRole('button', { name: /Send again/ }) as HTMLButtonElement).disabled).toBe(
          false,
        ),
      {
        timeout: 5_000,
      },
    );
    fireEvent.click(screen.getByRole('button', { name: /Send again/ }));
    await waitFor(() => expect(log().textContent).toContain('You said: "Keep this text"'));
    expect(composer().value).toBe('');
  });

  it('puts a refused starter prompt into the composer, so it can be sent again', async () => {
    const { backend } = setup({ startScreen: { prompts: [{ label: 'Say hi', prompt: 'Hi there' }] } });
    backend.rateLimit.denyMs = 10_000;
    fireEvent.click(await screen.findByRole('button', { name: 'Say hi' }));
    await screen.findByRole('alert');
    expect(composer().value).toBe('Hi there');
    expect(screen.queryByRole('article', { name: 'User message' })).toBeNull();
  });

  it('shows a failed run with Retry, and keeps the previous answer while a retry is refused', async () => {
    const { backend } = setup();
    await send('First question');
    await waitFor(() => expect(log().textContent).toContain('You said: "First question"'));
    await idle();
    backend.rateLimit.denyMs = 20_000;
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await screen.findByRole('alert');
    expect(log().textContent).toContain('You said: "First question"');
    backend.rateLimit.denyMs = null;
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss error' }));
    await send(SCRIPTED_PROMPTS.fail);
    const alert = await screen.findByText(/reply failed on the server/);
    expect(alert).toBeTruthy();
    expect(document.body.textContent).not.toContain('internals');
  });

  it('shows "Thread not found" for an unknown thread and starts a new thread with the kept text', async () => {
    const { backend, changes } = setup({ initialThread: 'thr_missing' });
    await screen.findByRole('heading', { name: 'Thread not found' });
    await send('Hello after 404');
    await waitFor(() => expect(log().textContent).toContain('You said: "Hello after 404"'));
    expect(changes).toContain(null);
    expect(backend.requests.filter((request) => request.type === 'threads.create')).toHaveLength(1);
  });
});

describe('<Chat> threads', () => {
  it('edits a sent message: the old answer goes, the edited text is answered', async () => {
    const { backend } = setup();
    await send('Original text');
    await waitFor(() => expect(log().textContent).toContain('You said: "Original text"'));
    await idle();
    fireEvent.click(screen.getByRole('button', { name: 'Edit message' }));
    const field = screen.getByLabelText('Edit message', { selector: 'textarea' });
    fireEvent.change(field, { target: { value: 'Edited text' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save and resend' }));
    await waitFor(() => expect(log().textContent).toContain('You said: "Edited text"'));
    expect(log().textContent).not.toContain('You said: "Original text"');
    expect(backend.requests.some((request) => request.type === 'threads.retry_after_item')).toBe(true);
  });

  it('searches threads and exports the open one', async () => {
    const { backend } = setup();
    await send('Plan the garden party');
    await waitFor(() => expect(log().textContent).toContain('You said'));
    await idle();
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search threads' }), {
      target: { value: 'garden' },
    });
    const results = await screen.findByRole('list', { name: 'Search results' }, { timeout: 5_000 });
    await waitFor(() => expect(results.querySelector('mark')?.textContent).toMatch(/garden/i));
    expect(backend.store).toBeTruthy();
  });

  it('uploads an attachment in two phases and sends it with the message', async () => {
    const { backend, view } = setup();
    const input = view.container.querySelector('input[type="file"]') as HTMLInputElement;
    const file = new File(['minutes of the meeting'], 'minutes.txt', { type: 'text/plain' });
    await act(async () => {
      fireEvent.change(input, { target: { files: [file] } });
    });
    await waitFor(() =>
      expect(screen.getByRole('list', { name: 'Attachments' }).textContent).toContain('Ready'),
    );
    await send('See attached');
    await waitFor(() => expect(log().textContent).toContain('You said: "See attached" (with minutes.txt)'));
    const types = backend.requests.map((request) => request.type);
    expect(types).toContain('attachments.create');
    expect(backend.requests.find((request) => request.type === 'threads.create')?.params).toMatchObject({
      input: { attachments: [expect.stringMatching(/^atc_/)] },
    });
  });
});
