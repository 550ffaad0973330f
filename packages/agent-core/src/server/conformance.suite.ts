// biome-ignore-all lint/suspicious/noExplicitAny: the suite reads decoded wire JSON loosely, as a client would.
/**
 * The ChatKit conformance suite: every request type and every event-pipeline rule of
 * `docs/specs/chatkit-protocol.md`, run against `server.handle` with real `Request` objects.
 * Written as a function of a store factory so it runs on every `ChatKitStore` driver.
 */
import type { ChatKitStore } from '@relaykit/chatkit-store';
import type {
  ThreadItem,
  ThreadMetadata,
  ThreadStreamEventInput,
  UserMessageItem,
} from '@relaykit/sse-protocol';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createChatKitServer } from '../http/chatkit-server';
import { CANCELLED_STREAM_CONTEXT, type ChatKitRunInfo, type ChatKitServer } from './types';

export interface Ctx {
  userId: string;
}

type Script = (
  thread: ThreadMetadata,
  input: UserMessageItem | null,
  context: Ctx,
  info: ChatKitRunInfo,
) => AsyncIterable<ThreadStreamEventInput>;

export interface ConformanceHarness {
  store: ChatKitStore<Ctx>;
  close?: () => Promise<void>;
}

const input = (text: string, extra: Record<string, unknown> = {}) => ({
  content: [{ type: 'input_text', text }],
  attachments: [],
  inference_options: {},
  ...extra,
});

export function post(body: unknown, signal?: AbortSignal): Request {
  return new Request('http://localhost/chatkit', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal,
  });
}

/** Reads a ChatKit SSE body and checks every frame is exactly `data: <json>\n\n`. */
export async function readEvents(response: Response): Promise<Record<string, any>[]> {
  const text = await response.text();
  if (text === '') return [];
  expect(text.endsWith('\n\n')).toBe(true);
  return text
    .slice(0, -2)
    .split('\n\n')
    .map((frame) => {
      expect(frame.startsWith('data: ')).toBe(true);
      expect(frame.includes('\n')).toBe(false);
      return JSON.parse(frame.slice('data: '.length));
    });
}

function assistant(thread: ThreadMetadata, store: ChatKitStore<Ctx>, ctx: Ctx, text: string): ThreadItem {
  return {
    type: 'assistant_message',
    id: store.generateItemId('message', thread, ctx),
    thread_id: thread.id,
    created_at: new Date().toISOString(),
    content: [{ type: 'output_text', text, annotations: [] }],
  } as ThreadItem;
}

export function chatKitServerConformance(name: string, makeHarness: () => Promise<ConformanceHarness>): void {
  describe(`ChatKit server conformance (${name})`, () => {
    let harness: ConformanceHarness;
    let store: ChatKitStore<Ctx>;
    let server: ChatKitServer<Ctx>;
    let script: Script;
    let ctx: Ctx;
    const calls: { input: UserMessageItem | null }[] = [];
    const feedback: unknown[] = [];
    const attachmentBytes = new Map<string, string>();
    let limiterAllows = true;
    let transcribeCalls = 0;

    beforeAll(async () => {
      harness = await makeHarness();
      store = harness.store;
      server = createChatKitServer<Ctx>({
        store,
        respond: (thread, userInput, context, info) => {
          calls.push({ input: userInput });
          return script(thread, userInput, context, info);
        },
        action: async function* (thread, action, sender) {
          yield {
            type: 'thread.item.done',
            item: {
              ...assistant(thread, store, ctx, `action ${action.type} from ${sender?.id ?? 'none'}`),
            },
          } as ThreadStreamEventInput;
        },
        syncAction: async (_thread, action, sender) =>
          sender ? ({ ...sender, copy_text: String(action.type) } as ThreadItem) : null,
        onFeedback: (threadId, itemIds, kind) => {
          feedback.push({ threadId, itemIds, kind });
        },
        attachments: {
          async createAttachment(meta, context) {
            const id = store.generateItemId('attachment', null, context);
            attachmentBytes.set(id, meta.name);
            return {
              id,
              type: 'file',
              name: meta.name,
              mime_type: meta.mime_type,
              upload_descriptor: { url: `https://upload.test/${id}`, method: 'PUT' },
              metadata: { secret: 'server-only' },
            } as never;
          },
          async deleteAttachment(id) {
            attachmentBytes.delete(id);
          },
        },
        transcribe: (audio) => {
          transcribeCalls += 1;
          return {
            text: `${new TextDecoder().decode(audio.data)} (${audio.media_type}, ${audio.mime_type})`,
          };
        },
        rateLimiter: {
          limit: async () =>
            limiterAllows
              ? { success: true }
              : {
                  success: false,
                  retryAfterMs: 2500,
                  limit: 5,
                  remaining: 0,
                  reset: Date.now() + 2500,
                  windowMs: 60_000,
                },
        },
      });
    });
    afterAll(async () => {
      await harness?.close?.();
    });
    beforeEach(() => {
      ctx = { userId: crypto.randomUUID() };
      calls.length = 0;
      limiterAllows = true;
      transcribeCalls = 0;
      script = async function* (thread, _input, context) {
        yield {
          type: 'thread.item.done',
          item: assistant(thread, store, context, 'Hi'),
        } as ThreadStreamEventInput;
      };
    });

    async function createThread(
      text = 'Hello',
    ): Promise<{ threadId: string; events: Record<string, any>[] }> {
      const response = await server.handle(
        post({ type: 'threads.create', params: { input: input(text) } }),
        ctx,
      );
      expect(response.status).toBe(200);
      const events = await readEvents(response);
      return { threadId: events[0]?.thread.id, events };
    }

    async function jsonOf(body: unknown): Promise<{ status: number; body: any }> {
      const response = await server.handle(post(body), ctx);
      expect(response.headers.get('content-type')).toContain('application/json');
      return { status: response.status, body: await response.json() };
    }

    it('threads.create: thread.created, user message, stream_options first, then the run; all persisted', async () => {
      const response = await server.handle(
        post({ type: 'threads.create', params: { input: input('Hello') } }),
        ctx,
      );
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      const events = await readEvents(response);
      expect(events.map((e) => e.type)).toEqual([
        'thread.created',
        'thread.item.done',
        'stream_options',
        'thread.item.done',
      ]);
      expect(events[0]?.thread).toMatchObject({
        status: { type: 'active' },
        metadata: {},
        items: { data: [], has_more: false },
      });
      expect(events[1]?.item).toMatchObject({
        type: 'user_message',
        content: [{ type: 'input_text', text: 'Hello' }],
        attachments: [],
        inference_options: {},
      });
      expect(events[2]).toEqual({ type: 'stream_options', stream_options: { allow_cancel: true } });
      expect(calls[0]?.input?.id).toBe(events[1]?.item.id);
      const got = await jsonOf({ type: 'threads.get_by_id', params: { thread_id: events[0]?.thread.id } });
      expect(got.body.items.data.map((i: any) => i.type)).toEqual(['user_message', 'assistant_message']);
      expect(got.body.items.data[1].content[0].text).toBe('Hi');
    });

    it('threads.add_user_message runs respond with the new message; unknown thread → 404 JSON before any byte', async () => {
      const { threadId } = await createThread();
      const response = await server.handle(
        post({ type: 'threads.add_user_message', params: { thread_id: threadId, input: input('again') } }),
        ctx,
      );
      const events = await readEvents(response);
      expect(events.map((e) => e.type)).toEqual(['thread.item.done', 'stream_options', 'thread.item.done']);
      expect(calls[1]?.input?.content).toEqual([{ type: 'input_text', text: 'again' }]);
      const missing = await jsonOf({
        type: 'threads.add_user_message',
        params: { thread_id: 'thr_missing0', input: input('x') },
      });
      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe('not_found');
    });

    it('a malformed request answers 400 invalid_request JSON; another user cannot read the thread', async () => {
      const bad = await jsonOf({ type: 'threads.create', params: { input: { content: [] } } });
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('invalid_request');
      const notJson = await server.handle(
        new Request('http://localhost/chatkit', { method: 'POST', body: '{oops' }),
        ctx,
      );
      expect(notJson.status).toBe(400);
      const { threadId } = await createThread();
      const other = await server.handle(
        post({ type: 'threads.get_by_id', params: { thread_id: threadId } }),
        { userId: crypto.randomUUID() },
      );
      expect(other.status).toBe(404);
    });

    it('hidden items are persisted and fed back, but never sent (SSE, items.list, get_by_id)', async () => {
      script = async function* (thread, _i, context) {
        yield {
          type: 'thread.item.done',
          item: {
            type: 'hidden_context_item',
            id: store.generateItemId('message', thread, context),
            thread_id: thread.id,
            created_at: new Date().toISOString(),
            content: 'secret context',
          },
        } as ThreadStreamEventInput;
        yield {
          type: 'thread.item.done',
          item: assistant(thread, store, context, 'visible'),
        } as ThreadStreamEventInput;
      };
      const { threadId, events } = await createThread();
      expect(events.some((e) => JSON.stringify(e).includes('secret context'))).toBe(false);
      expect(events.filter((e) => e.type === 'thread.item.done')).toHaveLength(2);
      const raw = await store.loadThreadItems(threadId, null, 10, 'asc', ctx);
      expect(raw.data.map((i) => i.type)).toEqual([
        'user_message',
        'hidden_context_item',
        'assistant_message',
      ]);
      const list = await jsonOf({ type: 'items.list', params: { thread_id: threadId } });
      expect(list.body.data.map((i: any) => i.type)).toEqual(['assistant_message', 'user_message']);
      const got = await jsonOf({ type: 'threads.get_by_id', params: { thread_id: threadId } });
      expect(got.body.items.data.map((i: any) => i.type)).toEqual(['user_message', 'assistant_message']);
    });

    it('thread.updated follows the event during which the thread changed, saved first, metadata {} on the wire', async () => {
      script = async function* (thread, _i, context) {
        yield { type: 'progress_update', text: 'thinking' } as ThreadStreamEventInput;
        thread.title = 'A title';
        thread.metadata = { last_response_id: 'resp_1' };
        yield {
          type: 'thread.item.done',
          item: assistant(thread, store, context, 'x'),
        } as ThreadStreamEventInput;
        yield { type: 'notice', level: 'info', message: 'done' } as ThreadStreamEventInput;
      };
      const { threadId, events } = await createThread();
      expect(events.slice(2).map((e) => e.type)).toEqual([
        'stream_options',
        'progress_update',
        'thread.item.done',
        'thread.updated',
        'notice',
      ]);
      const updated = events.find((e) => e.type === 'thread.updated');
      expect(updated?.thread).toMatchObject({ id: threadId, title: 'A title', metadata: {} });
      const saved = await store.loadThread(threadId, ctx);
      expect(saved.title).toBe('A title');
      expect(saved.metadata).toEqual({ last_response_id: 'resp_1' });
    });

    it('an error mid-run becomes a stream.error event (allow_retry true), a thread change after it still emits thread.updated', async () => {
      script = async function* (thread, _i, context) {
        const item = assistant(thread, store, context, '');
        yield { type: 'thread.item.added', item } as ThreadStreamEventInput;
        thread.title = 'changed before failing';
        throw new Error('model exploded');
      };
      const { threadId, events } = await createThread();
      const tail = events.slice(2).map((e) => e.type);
      expect(tail).toEqual(['stream_options', 'thread.item.added', 'error', 'thread.updated']);
      expect(events.at(-2)).toEqual({ type: 'error', code: 'stream.error', allow_retry: true });
      expect((await store.loadThread(threadId, ctx)).title).toBe('changed before failing');

      script = async function* () {
        yield { type: 'error', code: 'custom', message: 'Nope', allow_retry: true } as ThreadStreamEventInput;
      };
      const second = await createThread();
      expect(second.events.at(-1)).toEqual({
        type: 'error',
        code: 'custom',
        message: 'Nope',
        allow_retry: true,
      });
    });

    it('pending copies are deep copies: a workflow task update is not duplicated in the done item', async () => {
      script = async function* (thread, _i, context) {
        const workflow = {
          type: 'workflow',
          id: store.generateItemId('workflow', thread, context),
          thread_id: thread.id,
          created_at: new Date().toISOString(),
          workflow: { type: 'custom', tasks: [] as unknown[], expanded: false },
        };
        yield { type: 'thread.item.added', item: workflow } as ThreadStreamEventInput;
        const task = { type: 'custom', title: 'Step', status_indicator: 'complete' };
        workflow.workflow.tasks.push(task);
        yield {
          type: 'thread.item.updated',
          item_id: workflow.id,
          update: { type: 'workflow.task.added', task_index: 0, task },
        } as ThreadStreamEventInput;
        yield { type: 'thread.item.done', item: workflow } as ThreadStreamEventInput;
      };
      const { threadId } = await createThread();
      const items = await store.loadThreadItems(threadId, null, 10, 'asc', ctx);
      const stored = items.data.find((i) => i.type === 'workflow') as any;
      expect(stored.workflow.tasks).toHaveLength(1);
    });

    it('limit: 0 (or none) means 20; get_by_id embeds the oldest 20 ascending; threads.list has empty item pages', async () => {
      script = async function* (thread, _i, context) {
        for (let n = 0; n < 24; n += 1)
          yield {
            type: 'thread.item.done',
            item: assistant(thread, store, context, `r${n}`),
          } as ThreadStreamEventInput;
      };
      const { threadId } = await createThread();
      const zero = await jsonOf({ type: 'items.list', params: { thread_id: threadId, limit: 0 } });
      expect(zero.body.data).toHaveLength(20);
      expect(zero.body.has_more).toBe(true);
      expect(zero.body.data[0].content[0].text).toBe('r23');
      const asc = await jsonOf({
        type: 'items.list',
        params: { thread_id: threadId, limit: 5, order: 'asc' },
      });
      expect(asc.body.data.map((i: any) => i.type)[0]).toBe('user_message');
      const next = await jsonOf({
        type: 'items.list',
        params: { thread_id: threadId, limit: 5, order: 'asc', after: asc.body.after },
      });
      expect(next.body.data[0].content[0].text).toBe('r4');
      const got = await jsonOf({ type: 'threads.get_by_id', params: { thread_id: threadId } });
      expect(got.body.items.data).toHaveLength(20);
      expect(got.body.items.has_more).toBe(true);
      expect(got.body.items.after).toBe(got.body.items.data[19].id);
      expect(got.body.items.data[0].type).toBe('user_message');
      expect(got.body.metadata).toEqual({});
      const list = await jsonOf({ type: 'threads.list', params: { limit: 0 } });
      expect(list.body.data).toHaveLength(1);
      expect(list.body.data[0].items).toEqual({ data: [], has_more: false });
      expect(list.body.has_more).toBe(false);
    });

    it('threads.update renames without events; threads.delete removes the thread; items.feedback records and calls the hook', async () => {
      const { threadId, events } = await createThread();
      const renamed = await jsonOf({
        type: 'threads.update',
        params: { thread_id: threadId, title: 'Renamed' },
      });
      expect(renamed.status).toBe(200);
      expect(renamed.body).toMatchObject({
        id: threadId,
        title: 'Renamed',
        items: { data: [], has_more: false },
      });
      const assistantId = events.at(-1)?.item.id;
      const fb = await jsonOf({
        type: 'items.feedback',
        params: { thread_id: threadId, item_ids: [assistantId], kind: 'positive' },
      });
      expect(fb.body).toEqual({});
      expect(await store.loadFeedback(threadId, ctx)).toEqual([{ item_id: assistantId, kind: 'positive' }]);
      expect(feedback.at(-1)).toEqual({ threadId, itemIds: [assistantId], kind: 'positive' });
      const deleted = await jsonOf({ type: 'threads.delete', params: { thread_id: threadId } });
      expect(deleted.body).toEqual({});
      expect((await jsonOf({ type: 'threads.get_by_id', params: { thread_id: threadId } })).status).toBe(404);
    });

    it('retry_after_item: unknown id → empty stream, nothing deleted; a user message → newer items deleted and respond rerun', async () => {
      const { threadId, events } = await createThread();
      const userId = events[1]?.item.id;
      const before = await store.loadThreadItems(threadId, null, 10, 'asc', ctx);
      const unknown = await server.handle(
        post({ type: 'threads.retry_after_item', params: { thread_id: threadId, item_id: 'msg_nothere0' } }),
        ctx,
      );
      expect(unknown.status).toBe(200);
      expect(await readEvents(unknown)).toEqual([]);
      expect((await store.loadThreadItems(threadId, null, 10, 'asc', ctx)).data).toEqual(before.data);

      const notUser = await jsonOf({
        type: 'threads.retry_after_item',
        params: { thread_id: threadId, item_id: events.at(-1)?.item.id },
      });
      expect(notUser.status).toBe(400);

      script = async function* (thread, _i, context) {
        yield {
          type: 'thread.item.done',
          item: assistant(thread, store, context, 'retried'),
        } as ThreadStreamEventInput;
      };
      const retry = await server.handle(
        post({ type: 'threads.retry_after_item', params: { thread_id: threadId, item_id: userId } }),
        ctx,
      );
      const retried = await readEvents(retry);
      expect(retried.map((e) => e.type)).toEqual(['stream_options', 'thread.item.done']);
      expect(calls.at(-1)?.input?.id).toBe(userId);
      const after = await store.loadThreadItems(threadId, null, 10, 'asc', ctx);
      expect(after.data.map((i) => (i.type === 'assistant_message' ? i.content[0]?.text : i.type))).toEqual([
        'user_message',
        'retried',
      ]);
    });

    it('cancellation: a client disconnect saves the partial assistant text and the hidden "cancelled" context', async () => {
      let reachedWait!: () => void;
      const waiting = new Promise<void>((resolve) => {
        reachedWait = resolve;
      });
      let sawAbort = false;
      script = async function* (thread, _i, context, info) {
        const item = assistant(thread, store, context, '');
        yield { type: 'thread.item.added', item } as ThreadStreamEventInput;
        yield {
          type: 'thread.item.updated',
          item_id: item.id,
          update: { type: 'assistant_message.content_part.text_delta', content_index: 0, delta: 'Partial ' },
        } as ThreadStreamEventInput;
        yield {
          type: 'thread.item.updated',
          item_id: item.id,
          update: { type: 'assistant_message.content_part.text_delta', content_index: 0, delta: 'answer' },
        } as ThreadStreamEventInput;
        const widget = {
          ...assistant(thread, store, context, ''),
          type: 'widget',
          widget: { type: 'Card', children: [] },
        };
        yield { type: 'thread.item.added', item: widget } as ThreadStreamEventInput;
        reachedWait();
        await new Promise<void>((resolve) => info.signal.addEventListener('abort', () => resolve()));
        sawAbort = true;
      };
      const abort = new AbortController();
      const response = await server.handle(
        post({ type: 'threads.create', params: { input: input('Hello') } }, abort.signal),
        ctx,
      );
      const reader = response.body!.getReader();
      const first = new TextDecoder().decode((await reader.read()).value);
      const threadId = JSON.parse(first.split('\n\n')[0]!.slice(6)).thread.id;
      await waiting;
      await reader.cancel();
      await expect.poll(() => sawAbort).toBe(true);
      const items = await store.loadThreadItems(threadId, null, 10, 'asc', ctx);
      expect(items.data.map((i) => i.type)).toEqual([
        'user_message',
        'assistant_message',
        'sdk_hidden_context',
      ]);
      expect((items.data[1] as any).content[0].text).toBe('Partial answer');
      expect((items.data[2] as any).content).toBe(CANCELLED_STREAM_CONTEXT);
    });

    it('cancellation through the Request signal; whitespace-only text is not saved', async () => {
      let reachedWait!: () => void;
      const waiting = new Promise<void>((resolve) => {
        reachedWait = resolve;
      });
      script = async function* (thread, _i, context) {
        const item = assistant(thread, store, context, '  ');
        yield { type: 'thread.item.added', item } as ThreadStreamEventInput;
        reachedWait();
        await new Promise(() => {});
      };
      const abort = new AbortController();
      const response = await server.handle(
        post({ type: 'threads.create', params: { input: input('Hello') } }, abort.signal),
        ctx,
      );
      const reader = response.body!.getReader();
      const first = new TextDecoder().decode((await reader.read()).value);
      const threadId = JSON.parse(first.split('\n\n')[0]!.slice(6)).thread.id;
      await waiting;
      abort.abort();
      await expect
        .poll(async () =>
          (await store.loadThreadItems(threadId, null, 10, 'asc', ctx)).data.map((i) => i.type),
        )
        .toEqual(['user_message', 'sdk_hidden_context']);
    });

    it('client tool output completes the pending call, drops other pending calls, reruns respond with null', async () => {
      script = async function* (thread, _i, context) {
        yield {
          type: 'thread.item.done',
          item: {
            type: 'client_tool_call',
            id: store.generateItemId('tool_call', thread, context),
            thread_id: thread.id,
            created_at: new Date().toISOString(),
            status: 'pending',
            call_id: 'call_1',
            name: 'get_location',
            arguments: { precise: true },
          },
        } as ThreadStreamEventInput;
      };
      const { threadId, events } = await createThread();
      const toolId = events.at(-1)?.item.id;
      expect(events.at(-1)?.item.status).toBe('pending');
      script = async function* (thread, _i, context) {
        yield {
          type: 'thread.item.done',
          item: assistant(thread, store, context, 'You are in Paris'),
        } as ThreadStreamEventInput;
      };
      const response = await server.handle(
        post({
          type: 'threads.add_client_tool_output',
          params: { thread_id: threadId, result: { city: 'Paris' } },
        }),
        ctx,
      );
      const out = await readEvents(response);
      expect(out.map((e) => e.type)).toEqual(['stream_options', 'thread.item.done']);
      expect(calls.at(-1)?.input).toBeNull();
      const tool = (await store.loadItem(threadId, toolId, ctx)) as any;
      expect(tool).toMatchObject({ status: 'completed', output: { city: 'Paris' } });
      const again = await jsonOf({
        type: 'threads.add_client_tool_output',
        params: { thread_id: threadId, result: {} },
      });
      expect(again.status).toBe(400);
      expect(again.body.error.code).toBe('invalid_request');
    });

    it('structured input: answers applied (single choice cut to one, skipped when empty), replaced event, then respond', async () => {
      let itemId = '';
      script = async function* (thread, _i, context) {
        itemId = store.generateItemId('message', thread, context);
        yield {
          type: 'thread.item.done',
          item: {
            type: 'structured_input',
            id: itemId,
            thread_id: thread.id,
            created_at: new Date().toISOString(),
            status: 'pending',
            inputs: [
              {
                type: 'multiple_choice',
                id: 'q1',
                question: 'Size?',
                options: [{ value: 'S' }, { value: 'M' }],
                multiple: false,
              },
              { type: 'freeform', id: 'q2', question: 'Notes?' },
            ],
          },
        } as ThreadStreamEventInput;
      };
      const { threadId } = await createThread();
      script = async function* (thread, _i, context) {
        yield {
          type: 'thread.item.done',
          item: assistant(thread, store, context, 'thanks'),
        } as ThreadStreamEventInput;
      };
      const response = await server.handle(
        post({
          type: 'threads.add_structured_input',
          params: {
            thread_id: threadId,
            item_id: itemId,
            input: { answers: { q1: { values: ['M', 'S'] }, q2: { values: [] }, zz: { values: ['x'] } } },
          },
        }),
        ctx,
      );
      const events = await readEvents(response);
      expect(events.map((e) => e.type)).toEqual([
        'stream_options',
        'thread.item.replaced',
        'thread.item.done',
      ]);
      const stored = (await store.loadItem(threadId, itemId, ctx)) as any;
      expect(stored.status).toBe('answered');
      expect(stored.inputs[0].answer).toEqual({ values: ['M'], skipped: false });
      expect(stored.inputs[1].answer).toEqual({ values: [], skipped: true });
      const twice = await jsonOf({
        type: 'threads.add_structured_input',
        params: { thread_id: threadId, item_id: itemId, input: {} },
      });
      expect(twice.status).toBe(400);
    });

    it('custom actions: a widget sender runs the action; a non-widget sender gives one stream.error; sync actions answer JSON', async () => {
      let widgetId = '';
      script = async function* (thread, _i, context) {
        widgetId = store.generateItemId('message', thread, context);
        yield {
          type: 'thread.item.done',
          item: {
            type: 'widget',
            id: widgetId,
            thread_id: thread.id,
            created_at: new Date().toISOString(),
            widget: { type: 'Card', children: [] },
          },
        } as ThreadStreamEventInput;
      };
      const { threadId, events } = await createThread();
      const userMsg = events[1]?.item.id;
      const run = await server.handle(
        post({
          type: 'threads.custom_action',
          params: { thread_id: threadId, item_id: widgetId, action: { type: 'approve' } },
        }),
        ctx,
      );
      const ran = await readEvents(run);
      expect(ran.map((e) => e.type)).toEqual(['stream_options', 'thread.item.done']);
      expect(ran[1]?.item.content[0].text).toBe(`action approve from ${widgetId}`);
      const wrong = await server.handle(
        post({
          type: 'threads.custom_action',
          params: { thread_id: threadId, item_id: userMsg, action: { type: 'x' } },
        }),
        ctx,
      );
      expect(await readEvents(wrong)).toEqual([{ type: 'error', code: 'stream.error', allow_retry: false }]);
      const sync = await jsonOf({
        type: 'threads.sync_custom_action',
        params: { thread_id: threadId, item_id: widgetId, action: { type: 'copy' } },
      });
      expect(sync.body.updated_item).toMatchObject({ id: widgetId, copy_text: 'copy' });
      const none = await jsonOf({
        type: 'threads.sync_custom_action',
        params: { thread_id: threadId, item_id: null, action: { type: 'copy' } },
      });
      expect(none.body).toEqual({});
      const syncWrong = await jsonOf({
        type: 'threads.sync_custom_action',
        params: { thread_id: threadId, item_id: userMsg, action: { type: 'copy' } },
      });
      expect(syncWrong.status).toBe(400);
    });

    it('attachments: two-phase create (metadata never on the wire), use in a message (thread_id stamped), delete', async () => {
      const created = await jsonOf({
        type: 'attachments.create',
        params: { name: 'a.txt', size: 3, mime_type: 'text/plain' },
      });
      expect(created.status).toBe(200);
      expect(created.body).toMatchObject({
        type: 'file',
        name: 'a.txt',
        upload_descriptor: { method: 'PUT' },
      });
      expect(created.body.metadata).toBeUndefined();
      const id = created.body.id;
      const response = await server.handle(
        post({ type: 'threads.create', params: { input: input('see file', { attachments: [id] }) } }),
        ctx,
      );
      const events = await readEvents(response);
      const threadId = events[0]?.thread.id;
      expect(events[1]?.item.attachments[0]).toMatchObject({ id, thread_id: threadId });
      expect(events[1]?.item.attachments[0].metadata).toBeUndefined();
      expect((await store.loadAttachment(id, ctx)).thread_id).toBe(threadId);
      const missing = await jsonOf({
        type: 'threads.create',
        params: { input: input('x', { attachments: ['atc_missing0'] }) },
      });
      expect(missing.status).toBe(400);
      const removed = await jsonOf({ type: 'attachments.delete', params: { attachment_id: id } });
      expect(removed.body).toEqual({});
      expect(attachmentBytes.has(id)).toBe(false);
      await expect(store.loadAttachment(id, ctx)).rejects.toMatchObject({ code: 'not_found' });
    });

    it('input.transcribe decodes base64 and passes media_type cut at ";"', async () => {
      const result = await jsonOf({
        type: 'input.transcribe',
        params: { audio_base64: btoa('hello audio'), mime_type: 'audio/webm;codecs=opus' },
      });
      expect(result.body).toEqual({ text: 'hello audio (audio/webm, audio/webm;codecs=opus)' });
    });

    it('rate limiter denied → 429 JSON with Retry-After before the stream, nothing created', async () => {
      limiterAllows = false;
      const response = await server.handle(
        post({ type: 'threads.create', params: { input: input('x') } }),
        ctx,
      );
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('3');
      expect(response.headers.get('ratelimit-limit')).toBe('5');
      expect(response.headers.get('ratelimit-remaining')).toBe('0');
      expect(Number(response.headers.get('ratelimit-reset'))).toBeGreaterThanOrEqual(2);
      expect(response.headers.get('ratelimit-policy')).toBe('5;w=60');
      const body = await response.json();
      expect(body.error).toMatchObject({
        code: 'rate_limited',
        retryAfterMs: 2500,
        details: { limit: 5, remaining: 0, windowMs: 60_000 },
      });
      expect(calls).toHaveLength(0);
      expect((await store.loadThreads(20, null, 'desc', ctx)).data).toHaveLength(0);
    });

    it('attachments.delete by another user: 404 not_found, the bytes and metadata stay', async () => {
      const created = await jsonOf({
        type: 'attachments.create',
        params: { name: 'a.txt', size: 3, mime_type: 'text/plain' },
      });
      const id = created.body.id;
      const owner = ctx;
      ctx = { userId: crypto.randomUUID() };
      const byOther = await jsonOf({ type: 'attachments.delete', params: { attachment_id: id } });
      expect(byOther.status).toBe(404);
      expect(byOther.body.error.code).toBe('not_found');
      const unknown = await jsonOf({ type: 'attachments.delete', params: { attachment_id: 'atc_unknown0' } });
      expect(unknown.status).toBe(404);
      ctx = owner;
      expect(attachmentBytes.has(id)).toBe(true);
      expect((await store.loadAttachment(id, ctx)).id).toBe(id);
    });

    it('a message naming an attachment whose bytes are not uploaded yet → 400, nothing stored', async () => {
      const id = store.generateItemId('attachment', null, ctx);
      await store.saveAttachment(
        {
          id,
          type: 'file',
          name: 'later.pdf',
          mime_type: 'application/pdf',
          metadata: { blob_path: `chatkit-attachments/${id}`, declared_size: 10, uploaded: false },
        } as never,
        ctx,
      );
      const refused = await jsonOf({
        type: 'threads.create',
        params: { input: input('see file', { attachments: [id] }) },
      });
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({
        code: 'invalid_request',
        message: `Attachment ${id} is not uploaded yet.`,
      });
      expect(calls).toHaveLength(0);
      expect((await store.loadThreads(20, null, 'desc', ctx)).data).toHaveLength(0);
      expect((await store.loadAttachment(id, ctx)).thread_id ?? null).toBeNull();
    });

    it('input.transcribe is rate limited: denied → 429 with Retry-After and RateLimit-*, transcriber not called', async () => {
      limiterAllows = false;
      const response = await server.handle(
        post({
          type: 'input.transcribe',
          params: { audio_base64: btoa('hello audio'), mime_type: 'audio/webm' },
        }),
        ctx,
      );
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('3');
      expect(response.headers.get('ratelimit-limit')).toBe('5');
      expect((await response.json()).error.code).toBe('rate_limited');
      expect(transcribeCalls).toBe(0);
    });
  });
}
