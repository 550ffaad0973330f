import { createMemoryStore } from '@relaykit/chatkit-store';
import { createMemoryStreamLog } from '@relaykit/sse-protocol';
import { expect, it } from 'vitest';
import { createChatKitServer, createChatStreamHandler } from '../index';

it('README: a resumable simple chat run (POST, drop, GET resume by Last-Event-ID, DELETE)', async () => {
  // --- resumable runs ---
  const store = createMemoryStore();
  const server = createChatKitServer({
    store,
    async *respond(thread, input, context) {
      const text = input?.content.map((part) => part.text).join('') ?? '';
      const item = { id: store.generateItemId('message', thread, context), thread_id: thread.id };
      const content = [{ type: 'output_text' as const, text: `You said: ${text}` }];
      yield {
        type: 'thread.item.done',
        item: { ...item, type: 'assistant_message', created_at: new Date(), content },
      };
    },
  });
  // Share the log between instances (createRedisStreamLog / createPostgresStreamLog) to resume or stop anywhere.
  const chat = createChatStreamHandler(server, { streamLog: createMemoryStreamLog(), heartbeatMs: 0 });
  const runs: Promise<unknown>[] = [];
  const context = { userId: 'user-1', waitUntil: (task: Promise<unknown>) => void runs.push(task) };
  const url = 'http://localhost/api/chat';

  // POST starts the run; the response reads its log (SSE ids 1, 2, 3 …). A dropped client does not stop it.
  const body = JSON.stringify({ message: 'Hi', sessionId: 'ses-1' });
  const started = await chat.handle(new Request(url, { method: 'POST', body }), context);
  await started.body?.cancel();
  await Promise.all(runs);

  // GET resumes after the last event the client saw (its Last-Event-ID), then follows the run live.
  const headers = { 'last-event-id': '1' };
  const resumed = await chat.handle(new Request(`${url}?sessionId=ses-1`, { headers }), context);
  const frames = await resumed.text(); // event: text_done, id: 2 … event: done, id: 3

  // DELETE stops a run on whichever instance runs it: { sessionId, state: 'cancelled' | 'done' }.
  const stopped = await chat.handle(new Request(`${url}?sessionId=ses-1`, { method: 'DELETE' }), context);
  // --- end resumable runs ---
  expect(frames).toBe(
    'event: text_done\nid: 2\ndata: {"text":"You said: Hi","sessionId":"ses-1"}\n\n' +
      'event: done\nid: 3\ndata: {"sessionId":"ses-1"}\n\n',
  );
  expect(await stopped.json()).toEqual({ sessionId: 'ses-1', state: 'done' });
});
