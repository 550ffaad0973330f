/**
 * A RelayKit ChatKit server (the real `createChatKitServer` of `@relaykit/agent-core`, memory store) whose `respond`
 * is scripted to stream every ChatKit item type, with widget actions, two-phase attachments, thread search and a
 * switchable rate limit. Shared by the package's unit tests (through `fetch`) and the browser e2e (over HTTP).
 */
import {
  createAttachmentUploadHandler,
  createBlobAttachmentStore,
  createChatKitServer,
  createThreadSearchHandler,
} from '@relaykit/agent-core';
import { createMemoryStore } from '@relaykit/chatkit-store';
import { createMemoryBlobStore } from '@relaykit/image-gen';
import type {
  ThreadItem,
  ThreadMetadata,
  ThreadStreamEventInput,
  UserMessageItem,
  WidgetItem,
  WidgetRoot,
} from '@relaykit/sse-protocol';

/** The one user of the scripted server. */
export const SCRIPTED_USER = '00000000-0000-4000-8000-0000000000aa';

/** Prompts the scripted responder knows; anything else is echoed. */
export const SCRIPTED_PROMPTS = {
  everything: 'Show every item type',
  clientTool: 'Use the client tool',
  long: 'Tell me a long story',
  fail: 'Fail this run',
  structured: 'Ask me questions',
  agents: 'Who answers?',
} as const;

/** A 2×2 PNG, used as the generated image. */
export const TINY_PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGNgYGD4z8DAwMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==';

const AGENT_ANNOTATION = (agent: string) => ({
  type: 'annotation' as const,
  source: {
    type: 'entity' as const,
    id: 'relaykit:agent',
    title: agent,
    label: 'Agent',
    interactive: false,
    data: { agent },
  },
});

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });

/** The approval card: a Card with two Buttons whose actions carry a payload, a status Badge and a streamed note. */
export function approvalWidget(status = 'Waiting for approval'): WidgetRoot {
  return {
    type: 'Card',
    children: [
      { type: 'Title', value: 'Approve the refund?' },
      { type: 'Text', value: 'Refund 42 EUR to order 1001.', color: 'secondary' },
      { type: 'Badge', id: 'status', label: status, color: 'warning' },
      { type: 'Text', id: 'note', value: '' },
      {
        type: 'Row',
        gap: 2,
        children: [
          {
            type: 'Button',
            label: 'Approve',
            color: 'success',
            onClickAction: { type: 'approval.approve', payload: { order: 1001, amount: 42 } },
          },
          {
            type: 'Button',
            label: 'Reject',
            style: 'secondary',
            onClickAction: { type: 'approval.reject', payload: { order: 1001 } },
          },
          {
            type: 'Button',
            label: 'Toggle (sync)',
            variant: 'outline',
            onClickAction: { type: 'approval.toggle', streaming: false },
          },
        ],
      },
    ],
  } as WidgetRoot;
}

/** A widget with every component of the widget spec (and one unknown component, which must render as nothing). */
export function showcaseWidget(): WidgetRoot {
  return {
    type: 'Card',
    size: 'md',
    status: { text: 'Showcase', icon: 'sparkle' },
    children: [
      { type: 'Title', value: 'Trip planner', size: 'lg' },
      { type: 'Caption', value: 'Every widget component' },
      { type: 'Markdown', value: 'Widgets render **markdown** too.' },
      {
        type: 'Row',
        children: [
          { type: 'Icon', name: 'globe', color: 'blue-500' },
          { type: 'Badge', label: 'New', color: 'info', pill: true },
          { type: 'Spacer' },
          { type: 'Text', value: 'Lisbon', weight: 'semibold' },
        ],
      },
      { type: 'Divider' },
      {
        type: 'Box',
        direction: 'row',
        gap: 2,
        children: [
          { type: 'Image', src: TINY_PNG, alt: 'A map of Lisbon', size: 48, radius: 'md' },
          {
            type: 'Col',
            children: [
              { type: 'Text', value: 'Day 1' },
              { type: 'Caption', value: 'Alfama' },
            ],
          },
        ],
      },
      {
        type: 'ListView',
        limit: 2,
        children: [
          { type: 'ListViewItem', children: [{ type: 'Text', value: 'Tram 28' }] },
          {
            type: 'ListViewItem',
            onClickAction: { type: 'trip.pick', payload: { stop: 'belem' } },
            children: [{ type: 'Text', value: 'Belém tower' }],
          },
          { type: 'ListViewItem', children: [{ type: 'Text', value: 'LX Factory' }] },
        ],
      },
      {
        type: 'Form',
        onSubmitAction: { type: 'trip.book', payload: { trip: 'lisbon' } },
        gap: 2,
        children: [
          { type: 'Label', value: 'Name', fieldName: 'name' },
          { type: 'Input', name: 'name', placeholder: 'Your name', required: true },
          { type: 'Label', value: 'Notes', fieldName: 'notes' },
          { type: 'Textarea', name: 'notes', placeholder: 'Anything else?' },
          {
            type: 'Select',
            name: 'room',
            placeholder: 'Room',
            options: [
              { value: 'single', label: 'Single' },
              { value: 'double', label: 'Double' },
            ],
          },
          { type: 'Checkbox', name: 'breakfast', label: 'Breakfast' },
          {
            type: 'RadioGroup',
            name: 'pace',
            ariaLabel: 'Pace',
            options: [
              { value: 'slow', label: 'Slow' },
              { value: 'fast', label: 'Fast' },
            ],
            defaultValue: 'slow',
          },
          { type: 'DatePicker', name: 'date', placeholder: 'Date' },
          { type: 'Button', label: 'Book', submit: true },
        ],
      },
      {
        type: 'Chart',
        data: [
          { day: 'Mon', visits: 3 },
          { day: 'Tue', visits: 5 },
        ],
        series: [{ type: 'bar', dataKey: 'visits', label: 'Visits' }],
        xAxis: 'day',
      },
      { type: 'Transition', children: { type: 'Text', value: 'Have a good trip.' } },
      { type: 'BogusComponentFromTheFuture', value: 'never shown' },
    ],
  } as WidgetRoot;
}

/** The markdown of the scripted answer: a GFM table, a code block, a list and a link. */
export const SCRIPTED_MARKDOWN = [
  'Here is **every item type**, then a table and code.',
  '',
  '| Item | Shown |',
  '| --- | --- |',
  '| workflow | yes |',
  '| widget | yes |',
  '',
  '```ts',
  "const greeting: string = 'hello';",
  'console.log(greeting);',
  '```',
  '',
  '- [x] tables',
  '- [x] code',
].join('\n');

/** Options of {@link createScriptedServer}. */
export interface ScriptedServerOptions {
  /** Prefix of the routes' URLs: `''` in process, `http://127.0.0.1:<port>` over HTTP. */
  origin?: string;
  /** Per-chunk delay of the long story. Default 40 ms. */
  storyDelayMs?: number;
}

/** The scripted backend: its routes as one fetch-like function, and switches for the tests. */
export interface ScriptedServer {
  /** Routes `POST /chatkit`, `POST|PUT /attachments/<id>`, `GET /blobs/<path>`, `GET /search`. */
  handle(request: Request): Promise<Response>;
  /** A `fetch` that calls {@link handle} in process (relative URLs allowed). */
  fetch: typeof fetch;
  /** When set, every run is refused with 429 and this `retryAfterMs`. */
  rateLimit: { denyMs: number | null };
  /** Request bodies seen by `/chatkit`, for assertions. */
  requests: { type: string; params: unknown; metadata: unknown; authorization: string | null }[];
  store: ReturnType<typeof createMemoryStore>;
}

/** Builds the scripted server. */
export function createScriptedServer(options: ScriptedServerOptions = {}): ScriptedServer {
  const origin = options.origin ?? '';
  const storyDelayMs = options.storyDelayMs ?? 40;
  const store = createMemoryStore();
  const context = { userId: SCRIPTED_USER };
  const accepted = ['image/png', 'image/jpeg', 'image/webp', 'text/plain', 'application/pdf'];
  const blobs = createMemoryBlobStore({ baseUrl: `${origin}/blobs/`, allowedContentTypes: accepted });
  const rateLimit: { denyMs: number | null } = { denyMs: null };
  const requests: ScriptedServer['requests'] = [];

  const id = (kind: Parameters<typeof store.generateItemId>[0], thread: ThreadMetadata) =>
    store.generateItemId(kind, thread, context);
  const now = () => new Date().toISOString();

  const assistantMessage = (thread: ThreadMetadata, text: string, agent = 'scripted_agent'): ThreadItem =>
    ({
      id: id('message', thread),
      thread_id: thread.id,
      created_at: now(),
      type: 'assistant_message',
      content: [{ type: 'output_text', text, annotations: [AGENT_ANNOTATION(agent)] }],
    }) as ThreadItem;

  async function* streamText(
    thread: ThreadMetadata,
    text: string,
    signal: AbortSignal,
    delayMs: number,
    agent = 'scripted_agent',
  ): AsyncGenerator<ThreadStreamEventInput> {
    const item = assistantMessage(thread, '', agent) as ThreadItem & { content: { text: string }[] };
    yield { type: 'thread.item.added', item: { ...item, content: [] } } as ThreadStreamEventInput;
    const chunks = text.match(/[\s\S]{1,12}/g) ?? [];
    for (const chunk of chunks) {
      if (delayMs > 0) await sleep(delayMs, signal);
      yield {
        type: 'thread.item.updated',
        item_id: item.id,
        update: { type: 'assistant_message.content_part.text_delta', content_index: 0, delta: chunk },
      };
    }
    yield {
      type: 'thread.item.done',
      item: { ...item, content: [{ type: 'output_text', text, annotations: [AGENT_ANNOTATION(agent)] }] },
    } as ThreadStreamEventInput;
  }

  async function* everything(
    thread: ThreadMetadata,
    signal: AbortSignal,
  ): AsyncGenerator<ThreadStreamEventInput> {
    const workflowId = id('workflow', thread);
    const base = { thread_id: thread.id, created_at: now() };
    yield {
      type: 'thread.item.added',
      item: {
        ...base,
        id: workflowId,
        type: 'workflow',
        workflow: { type: 'custom', tasks: [], expanded: true },
      },
    } as ThreadStreamEventInput;
    const tasks = [
      {
        type: 'custom',
        title: 'Looked up the guest list',
        content: '12 guests',
        status_indicator: 'complete',
      },
      {
        type: 'thought',
        title: 'Thinking',
        content: 'The venue fits **12** people.',
        status_indicator: 'complete',
      },
      {
        type: 'web_search',
        title: 'Searched the web',
        queries: ['lisbon venues'],
        sources: [{ type: 'url', title: 'Venues in Lisbon', url: 'https://example.com/venues' }],
        status_indicator: 'complete',
      },
      {
        type: 'file',
        title: 'Read the contract',
        sources: [{ type: 'file', title: 'contract.pdf', filename: 'contract.pdf' }],
        status_indicator: 'complete',
      },
      { type: 'image', title: 'Drew a floor plan', status_indicator: 'complete' },
    ];
    for (const [index, task] of tasks.entries()) {
      yield {
        type: 'thread.item.updated',
        item_id: workflowId,
        update: {
          type: 'workflow.task.added',
          task_index: index,
          task: { ...task, status_indicator: 'loading' },
        },
      } as ThreadStreamEventInput;
      yield {
        type: 'thread.item.updated',
        item_id: workflowId,
        update: { type: 'workflow.task.updated', task_index: index, task },
      } as ThreadStreamEventInput;
    }
    yield {
      type: 'thread.item.done',
      item: {
        ...base,
        id: workflowId,
        type: 'workflow',
        workflow: { type: 'custom', tasks, summary: { duration: 2 }, expanded: false },
      },
    } as ThreadStreamEventInput;
    yield {
      type: 'thread.item.done',
      item: {
        ...base,
        id: id('task', thread),
        type: 'task',
        task: {
          type: 'custom',
          title: 'Checked the calendar',
          content: 'Saturday is free',
          status_indicator: 'complete',
        },
      },
    } as ThreadStreamEventInput;
    const imageId = id('message', thread);
    yield {
      type: 'thread.item.added',
      item: { ...base, id: imageId, type: 'generated_image', image: null },
    } as ThreadStreamEventInput;
    yield {
      type: 'thread.item.updated',
      item_id: imageId,
      update: { type: 'generated_image.updated', image: { id: 'img_1', url: TINY_PNG }, progress: 0.5 },
    } as ThreadStreamEventInput;
    yield {
      type: 'thread.item.done',
      item: { ...base, id: imageId, type: 'generated_image', image: { id: 'img_1', url: TINY_PNG } },
    } as ThreadStreamEventInput;
    yield {
      type: 'thread.item.done',
      item: {
        ...base,
        id: id('message', thread),
        type: 'widget',
        widget: showcaseWidget(),
        copy_text: 'Trip planner',
      },
    } as ThreadStreamEventInput;
    yield {
      type: 'thread.item.done',
      item: { ...base, id: id('message', thread), type: 'widget', widget: approvalWidget() },
    } as ThreadStreamEventInput;
    yield {
      type: 'thread.item.done',
      item: {
        ...base,
        id: id('message', thread),
        type: 'hidden_context_item',
        content: 'HIDDEN CONTEXT MUST NOT SHOW',
      },
    } as ThreadStreamEventInput;
    yield {
      type: 'thread.item.done',
      item: {
        ...base,
        id: id('sdk_hidden_context', thread),
        type: 'sdk_hidden_context',
        content: 'SDK HIDDEN MUST NOT SHOW',
      },
    } as ThreadStreamEventInput;
    yield { type: 'progress_update', text: 'Writing the answer…' };
    yield* streamText(thread, SCRIPTED_MARKDOWN, signal, 0);
    yield {
      type: 'thread.item.done',
      item: { ...base, id: id('message', thread), type: 'end_of_turn' },
    } as ThreadStreamEventInput;
  }

  const server = createChatKitServer<{ userId: string }>({
    store,
    rateLimiter: {
      limit: async () =>
        rateLimit.denyMs === null
          ? { success: true }
          : { success: false, retryAfterMs: rateLimit.denyMs, limit: 5, remaining: 0, windowMs: 60_000 },
    },
    attachments: createBlobAttachmentStore({
      blobs,
      store,
      allowedMimeTypes: accepted,
      uploadUrl: (attachmentId) => `${origin}/attachments/${attachmentId}`,
    }),
    async *respond(thread, input, _context, info) {
      if (!input) {
        // After a client tool output or structured answers: read what the client sent.
        const newest = await store.loadThreadItems(thread.id, null, 5, 'desc', context);
        const tool = newest.data.find((item) => item.type === 'client_tool_call');
        const form = newest.data.find((item) => item.type === 'structured_input');
        const last = newest.data[0];
        if (last?.type === 'client_tool_call' || (tool && newest.data[0]?.id === tool.id))
          yield {
            type: 'thread.item.done',
            item: assistantMessage(
              thread,
              `The page answered: ${JSON.stringify((tool as { output?: unknown }).output)}`,
            ),
          };
        else if (form)
          yield {
            type: 'thread.item.done',
            item: assistantMessage(
              thread,
              `Thanks for answering ${(form as { inputs: unknown[] }).inputs.length} questions.`,
            ),
          };
        else yield { type: 'thread.item.done', item: assistantMessage(thread, 'Continued.') };
        return;
      }
      const text = (input as UserMessageItem).content
        .map((part) => ('text' in part ? part.text : ''))
        .join('');
      const base = { thread_id: thread.id, created_at: now() };
      if (!thread.title) thread.title = text.slice(0, 40) || 'Attachment';
      if (text === SCRIPTED_PROMPTS.everything) {
        yield* everything(thread, info.signal);
      } else if (text === SCRIPTED_PROMPTS.clientTool) {
        yield {
          type: 'thread.item.done',
          item: {
            ...base,
            id: id('tool_call', thread),
            type: 'client_tool_call',
            status: 'pending',
            call_id: 'call_1',
            name: 'get_location',
            arguments: { precise: false },
          },
        } as ThreadStreamEventInput;
      } else if (text === SCRIPTED_PROMPTS.structured) {
        yield {
          type: 'thread.item.done',
          item: {
            ...base,
            id: id('message', thread),
            type: 'structured_input',
            status: 'pending',
            inputs: [
              {
                type: 'multiple_choice',
                id: 'size',
                question: 'Team size?',
                options: [{ value: '1-5' }, { value: '6-20' }],
              },
              { type: 'freeform', id: 'goal', question: 'What is the goal?' },
            ],
          },
        } as ThreadStreamEventInput;
      } else if (text === SCRIPTED_PROMPTS.long) {
        yield* streamText(
          thread,
          `Once upon a time ${'there was a very long story. '.repeat(40)}The end.`,
          info.signal,
          storyDelayMs,
        );
      } else if (text === SCRIPTED_PROMPTS.fail) {
        throw new Error('scripted failure with internals that must not reach the client');
      } else if (text === SCRIPTED_PROMPTS.agents) {
        yield {
          type: 'thread.item.done',
          item: assistantMessage(thread, 'Let me hand you over.', 'orchestrator'),
        };
        yield {
          type: 'thread.item.done',
          item: assistantMessage(thread, 'The lesson planner here.', 'lesson_planner'),
        };
      } else {
        const attachments = (input as UserMessageItem).attachments ?? [];
        const note = attachments.length > 0 ? ` (with ${attachments.map((a) => a.name).join(', ')})` : '';
        yield* streamText(thread, `You said: "${text}"${note}`, info.signal, 0);
      }
    },
    async *action(thread, action, sender) {
      if (!sender) return;
      const decided =
        action.type === 'approval.approve'
          ? 'Approved'
          : action.type === 'approval.reject'
            ? 'Rejected'
            : null;
      if (decided) {
        yield {
          type: 'thread.item.updated',
          item_id: sender.id,
          update: {
            type: 'widget.component.updated',
            component_id: 'status',
            component: {
              type: 'Badge',
              id: 'status',
              label: decided,
              color: decided === 'Approved' ? 'success' : 'danger',
            },
          },
        } as ThreadStreamEventInput;
        for (const delta of [`${decided} `, 'by the ', 'reviewer.']) {
          yield {
            type: 'thread.item.updated',
            item_id: sender.id,
            update: {
              type: 'widget.streaming_text.value_delta',
              component_id: 'note',
              delta,
              done: delta === 'reviewer.',
            },
          } as ThreadStreamEventInput;
        }
        const widget = approvalWidget(decided) as WidgetRoot & { children: Record<string, unknown>[] };
        widget.children[3] = { type: 'Text', id: 'note', value: `${decided} by the reviewer.` };
        yield {
          type: 'thread.item.replaced',
          item: { ...sender, widget } as WidgetItem,
        } as ThreadStreamEventInput;
      }
      yield {
        type: 'thread.item.done',
        item: assistantMessage(
          thread,
          `Action ${action.type} with ${JSON.stringify(action.payload ?? null)}`,
        ),
      };
    },
    async syncAction(thread, action, sender) {
      if (!sender || action.type !== 'approval.toggle') return null;
      const updated = { ...sender, widget: approvalWidget('Toggled (sync)') } as WidgetItem;
      await store.saveItem(thread.id, updated, context);
      return updated;
    },
  });
  const upload = createAttachmentUploadHandler({ server, blobs });
  const search = createThreadSearchHandler({ server });

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === '/chatkit') {
      const body = await request
        .clone()
        .json()
        .catch(() => ({}));
      requests.push({ ...body, authorization: request.headers.get('authorization') });
      return server.handle(request, context);
    }
    if (url.pathname.startsWith('/attachments/')) return upload(request, context);
    if (url.pathname === '/search') return search(request, context);
    if (url.pathname.startsWith('/blobs/')) {
      const blob = await blobs.get(decodeURIComponent(url.pathname.slice('/blobs/'.length)));
      return blob
        ? new Response(blob.bytes as Uint8Array<ArrayBuffer>, {
            headers: { 'content-type': blob.contentType },
          })
        : new Response('not found', { status: 404 });
    }
    return new Response('not found', { status: 404 });
  }

  const fetchInProcess = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    return handle(new Request(new URL(url, 'http://scripted.test'), init));
  }) as typeof fetch;

  return { handle, fetch: fetchInProcess, rateLimit, requests, store };
}
