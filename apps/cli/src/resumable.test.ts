import { createMemoryStreamLog, createSimpleChatEncoder, SimpleChatEvent } from '@relaykit/sse-protocol';
import { afterEach, expect, it } from 'vitest';
import { sampleReply, startTestServer, type TestServer } from '../test/server';
import { streamChat } from './client';

// A server shaped like the RelayKit adapters: POST starts a producer that appends every event to a resumable
// StreamLog (sse-protocol's memory driver) and streams from it; GET ?session=<id> with Last-Event-ID replays from
// the log. The first connection is cut after three frames; the client must resume through the log.
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

it('resumes through a real resumable StreamLog after the connection is cut', async () => {
  const log = createMemoryStreamLog();
  const reply = sampleReply('ses_log');
  server = await startTestServer(async (request, response) => {
    let streamId: string;
    let after: string | null = null;
    let cutAfter: number | undefined;
    if (request.method === 'POST') {
      streamId = 'ses_log';
      const writer = await log.create(streamId);
      // The producer keeps writing whatever happens to the first connection.
      void (async () => {
        for (const event of reply) {
          writer.append(JSON.stringify({ event: event.event, data: event.data }));
          await new Promise((resolve) => setTimeout(resolve, 3));
        }
        await writer.complete();
      })();
      cutAfter = 3;
    } else {
      streamId = new URL(request.url, 'http://x').searchParams.get('session') ?? '';
      after = (request.headers['last-event-id'] as string | undefined) ?? null;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    const controller = new AbortController();
    response.on('close', () => controller.abort());
    const entries = log.read(streamId, { after, signal: controller.signal });
    const events = new ReadableStream<SimpleChatEvent>({
      async start(stream) {
        for await (const entry of entries) {
          stream.enqueue(SimpleChatEvent.parse({ ...JSON.parse(entry.data), id: String(entry.sequence) }));
        }
        stream.close();
      },
    }).pipeThrough(createSimpleChatEncoder({ retryMs: 5 }));
    let written = 0;
    for await (const frame of events) {
      if (written === cutAfter) {
        response.socket?.destroy();
        return;
      }
      response.write(frame);
      written += 1;
    }
    response.end();
  });

  const events = [];
  for await (const event of streamChat({
    url: server.url,
    body: { message: 'hi', stream: true },
    resumeUrl: `${server.url}?session={sessionId}`,
  })) {
    events.push(event);
  }

  expect(server.requests.map((request) => request.method)).toEqual(['POST', 'GET']);
  expect(server.requests[1]?.headers['last-event-id']).toBe('3');
  expect(server.requests[1]?.url).toBe('/api/chat?session=ses_log');
  expect(events.map((event) => event.id)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
  expect(events.map(({ event, data }) => ({ event, data }))).toEqual(
    reply.map(({ event, data }) => ({ event, data })),
  );
});
