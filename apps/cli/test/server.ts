/**
 * A small node:http server for the tests: it answers with the simple chat stream written by sse-protocol's
 * `createSimpleChatEncoder`, and records every request it sees. Not shipped (tsup bundles only cli and client).
 */

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSimpleChatEncoder, type SimpleChatEvent } from '@relaykit/sse-protocol';

/** A request the server saw. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** Decides the answer to one request; `index` counts requests from 0. */
export type Handler = (request: SeenRequest, response: ServerResponse, index: number) => Promise<void> | void;

/** A running test server. */
export interface TestServer {
  url: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

/** Starts a server on a free 127.0.0.1 port. */
export async function startTestServer(handler: Handler): Promise<TestServer> {
  const requests: SeenRequest[] = [];
  const server = createServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    const seen: SeenRequest = {
      method: request.method ?? '',
      url: request.url ?? '',
      headers: request.headers,
      body,
    };
    requests.push(seen);
    try {
      await handler(seen, response, requests.length - 1);
    } catch (error) {
      response.destroy(error as Error);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/chat`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Writes `events` as SSE frames with `createSimpleChatEncoder`, one write per frame with a pause between (so the
 * client really reads them as they arrive). `dropAfter` destroys the socket after that many frames instead of
 * ending the response; `end: false` leaves the response open.
 */
export async function writeSimpleStream(
  response: ServerResponse,
  events: SimpleChatEvent[],
  options: { retryMs?: number; dropAfter?: number; firstId?: number } = {},
): Promise<void> {
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
  });
  response.flushHeaders();
  const source = new ReadableStream<SimpleChatEvent>({
    start(controller) {
      for (const event of events) controller.enqueue(event);
      controller.close();
    },
  });
  const frames = source.pipeThrough(
    createSimpleChatEncoder({
      ...(options.retryMs === undefined ? {} : { retryMs: options.retryMs }),
      ...(options.firstId === undefined ? {} : { firstId: options.firstId }),
    }),
  );
  let written = 0;
  for await (const frame of frames) {
    if (options.dropAfter !== undefined && written === options.dropAfter) {
      response.socket?.destroy();
      return;
    }
    response.write(frame);
    written += 1;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  response.end();
}

/** A typical reply: session, two chunks around a tool call, text_done, response_done, done (ids 1–8). */
export function sampleReply(sessionId = 'ses_1'): SimpleChatEvent[] {
  return [
    { event: 'session', data: { sessionId, threadId: 'thr_1', userId: 'user_1', agent: 'orchestrator' } },
    { event: 'chunk', data: { text: 'Hello', sessionId } },
    { event: 'tool', data: { name: 'lookup_weather', status: 'started', sessionId } },
    { event: 'tool', data: { name: 'lookup_weather', status: 'completed', sessionId } },
    { event: 'chunk', data: { text: ' there!', sessionId } },
    { event: 'text_done', data: { text: 'Hello there!', sessionId } },
    {
      event: 'response_done',
      data: {
        sessionId,
        response: {
          id: 'resp_1',
          usage: { inputTokens: 12, outputTokens: 3, totalTokens: 15 },
          model: 'gpt-5-mini',
        },
      },
    },
    { event: 'done', data: { sessionId } },
  ];
}
