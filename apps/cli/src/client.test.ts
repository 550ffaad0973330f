import { isRelayKitError, type RelayKitError } from '@relaykit/sse-protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleReply, startTestServer, type TestServer, writeSimpleStream } from '../test/server';
import {
  buildChatBody,
  type ChatStreamEvent,
  errorFromResponse,
  parseRetryAfter,
  type ReconnectInfo,
  streamChat,
} from './client';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function collect(iterable: AsyncIterable<ChatStreamEvent>): Promise<ChatStreamEvent[]> {
  const events: ChatStreamEvent[] = [];
  for await (const event of iterable) events.push(event);
  return events;
}

async function rejection(promise: Promise<unknown>): Promise<RelayKitError> {
  try {
    await promise;
  } catch (error) {
    if (isRelayKitError(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

const noSleep = { sleeps: [] as number[] };
const recordSleep = async (ms: number) => {
  noSleep.sleeps.push(ms);
};

describe('streamChat', () => {
  it('streams a full reply and sends the body and bearer token', async () => {
    server = await startTestServer((_request, response) => writeSimpleStream(response, sampleReply()));
    const body = buildChatBody('next', { message: 'hi', agent: 'triage', metadata: { lang: 'en' } });
    const events = await collect(
      streamChat({ url: server.url, body, headers: { authorization: 'Bearer tok_1' } }),
    );

    expect(events.map((event) => event.event)).toEqual([
      'session',
      'chunk',
      'tool',
      'tool',
      'chunk',
      'text_done',
      'response_done',
      'done',
    ]);
    expect(events.map((event) => event.id)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
    const text = events.flatMap((event) =>
      event.event === 'chunk' ? [(event.data as { text: string }).text] : [],
    );
    expect(text.join('')).toBe('Hello there!');

    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.headers.authorization).toBe('Bearer tok_1');
    expect(request?.headers.accept).toBe('text/event-stream');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request?.body ?? '')).toEqual({
      message: 'hi',
      agent: 'triage',
      metadata: { lang: 'en' },
      stream: true,
    });
  });

  it('resumes a dropped connection with Last-Event-ID, losing and repeating nothing', async () => {
    const reply = sampleReply();
    server = await startTestServer(async (request, response) => {
      if (request.method === 'POST') {
        // Three frames arrive, then the socket dies mid-stream.
        return writeSimpleStream(response, reply, { retryMs: 40, dropAfter: 3 });
      }
      // The resume replays from the id the client sent, and (like a sloppy server) repeats that last event too.
      const after = Number(request.headers['last-event-id']);
      const replay = reply.map((event, index) => ({ ...event, id: String(index + 1) })).slice(after - 1);
      return writeSimpleStream(response, replay);
    });
    noSleep.sleeps = [];
    const reconnects: ReconnectInfo[] = [];
    const events = await collect(
      streamChat({
        url: server.url,
        body: { message: 'hi', stream: true },
        headers: { authorization: 'Bearer tok_1' },
        sleep: recordSleep,
        onReconnect: (info) => reconnects.push(info),
      }),
    );

    expect(server.requests.map((request) => request.method)).toEqual(['POST', 'GET']);
    const resume = server.requests[1]!;
    expect(resume.headers['last-event-id']).toBe('3');
    expect(resume.headers.authorization).toBe('Bearer tok_1');
    expect(resume.url).toBe('/api/chat');
    // Every event exactly once, in order.
    expect(events.map((event) => event.id)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
    expect(events.map((event) => event.event)).toEqual(reply.map((event) => event.event));
    // The server's `retry: 40` sets the delay of the first attempt.
    expect(reconnects).toHaveLength(1);
    expect(reconnects[0]).toMatchObject({ attempt: 1, lastEventId: '3', delayMs: 40 });
    expect(noSleep.sleeps).toEqual([40]);
  });

  it('fills {sessionId} and {threadId} into --resume-url', async () => {
    const reply = sampleReply('ses_42');
    server = await startTestServer(async (request, response) => {
      if (request.method === 'POST') return writeSimpleStream(response, reply, { dropAfter: 2 });
      const after = Number(request.headers['last-event-id']);
      return writeSimpleStream(response, reply.slice(after), { firstId: after + 1 });
    });
    const events = await collect(
      streamChat({
        url: server.url,
        body: { message: 'hi' },
        resumeUrl: `${server.url}?session={sessionId}&thread={threadId}`,
        sleep: recordSleep,
      }),
    );
    expect(server.requests[1]?.url).toBe('/api/chat?session=ses_42&thread=thr_1');
    expect(server.requests[1]?.headers['last-event-id']).toBe('2');
    expect(events.map((event) => event.id)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
  });

  it('gives up after maxRetries reconnections without progress, with backoff', async () => {
    server = await startTestServer(async (request, response) => {
      if (request.method === 'POST') return writeSimpleStream(response, sampleReply(), { dropAfter: 2 });
      response.writeHead(503, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ code: 'provider_unavailable', message: 'busy' }));
    });
    noSleep.sleeps = [];
    const seen: ChatStreamEvent[] = [];
    const error = await rejection(
      (async () => {
        for await (const event of streamChat({
          url: server!.url,
          body: { message: 'hi' },
          maxRetries: 2,
          retryDelayMs: 100,
          sleep: recordSleep,
        })) {
          seen.push(event);
        }
      })(),
    );
    expect(seen.map((event) => event.id)).toEqual(['1', '2']);
    expect(error.code).toBe('provider_unavailable');
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('after event 2');
    expect(server.requests.map((request) => request.method)).toEqual(['POST', 'GET', 'GET']);
    expect(noSleep.sleeps).toEqual([100, 200]);
  });

  it('does not reconnect when resuming is disabled', async () => {
    server = await startTestServer((_request, response) =>
      writeSimpleStream(response, sampleReply(), { dropAfter: 2 }),
    );
    const error = await rejection(
      collect(streamChat({ url: server.url, body: { message: 'hi' }, resumeUrl: false, sleep: recordSleep })),
    );
    expect(error.code).toBe('provider_unavailable');
    expect(error.message).toContain('resuming is disabled');
    expect(server.requests).toHaveLength(1);
  });

  it('yields a server error event as the last event', async () => {
    server = await startTestServer((_request, response) =>
      writeSimpleStream(response, [
        sampleReply()[0]!,
        { event: 'chunk', data: { text: 'Partial', sessionId: 'ses_1' } },
        {
          event: 'error',
          data: { message: 'The model is overloaded.', code: 'provider_unavailable', retryable: true },
        },
      ]),
    );
    const events = await collect(streamChat({ url: server.url, body: { message: 'hi' } }));
    expect(events.map((event) => event.event)).toEqual(['session', 'chunk', 'error']);
    expect(events[2]?.data).toEqual({
      message: 'The model is overloaded.',
      code: 'provider_unavailable',
      retryable: true,
    });
    expect(server.requests).toHaveLength(1);
  });

  it('turns a 429 with Retry-After into a rate_limited error with retryAfterMs', async () => {
    server = await startTestServer((_request, response) => {
      response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '7' });
      response.end(JSON.stringify({ error: { code: 'rate_limited', message: 'Too many requests.' } }));
    });
    const error = await rejection(collect(streamChat({ url: server.url, body: { message: 'hi' } })));
    expect(error.name).toBe('RequestError');
    expect(error.code).toBe('rate_limited');
    expect(error.retryAfterMs).toBe(7000);
    expect(error.retryable).toBe(true);
    expect(error.message).toBe('Too many requests.');
    expect(server.requests).toHaveLength(1);
  });

  it('turns a 401 without a JSON body into unauthorized', async () => {
    server = await startTestServer((_request, response) => {
      response.writeHead(401, { 'content-type': 'text/plain' });
      response.end('Unauthorized');
    });
    const error = await rejection(collect(streamChat({ url: server.url, body: { message: 'hi' } })));
    expect(error.code).toBe('unauthorized');
    expect(error.retryable).toBe(false);
    expect(error.details).toEqual({ status: 401 });
  });

  it('rejects a 200 that is not an event stream', async () => {
    server = await startTestServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"reply":"hi"}');
    });
    const error = await rejection(collect(streamChat({ url: server.url, body: { message: 'hi' } })));
    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain('application/json');
  });

  it('reports an unreachable server without retrying the POST', async () => {
    server = await startTestServer(() => {});
    const url = server.url;
    await server.close();
    server = undefined;
    const error = await rejection(collect(streamChat({ url, body: { message: 'hi' }, sleep: recordSleep })));
    expect(error.code).toBe('provider_unavailable');
    expect(error.message).toContain('Cannot reach');
  });

  it('ends with a cancelled error when the signal aborts mid-stream', async () => {
    server = await startTestServer(async (_request, response) => {
      await writeSimpleStream(response, sampleReply().slice(0, 2));
    });
    // The server above ends early (no done), so without the abort the client would try to resume.
    const controller = new AbortController();
    const seen: string[] = [];
    const error = await rejection(
      (async () => {
        for await (const event of streamChat({
          url: server!.url,
          body: { message: 'hi' },
          signal: controller.signal,
          sleep: recordSleep,
        })) {
          seen.push(event.event);
          if (event.event === 'chunk') controller.abort();
        }
      })(),
    );
    expect(seen).toEqual(['session', 'chunk']);
    expect(error.code).toBe('cancelled');
    expect(server.requests).toHaveLength(1);
  });

  it('passes unknown event names through', async () => {
    server = await startTestServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(
        'event: session\nid: 1\ndata: {"sessionId":"s","threadId":"t","userId":"u","agent":"a"}\n\n' +
          ': ping\n\nevent: sparkle\nid: 2\ndata: {"x":1}\n\nevent: done\nid: 3\ndata: {"sessionId":"s"}\n\n',
      );
    });
    const events = await collect(streamChat({ url: server.url, body: { message: 'hi' } }));
    expect(events.map((event) => event.event)).toEqual(['session', 'sparkle', 'done']);
    expect(events[1]).toMatchObject({ unknown: true, data: { x: 1 } });
  });
});

describe('buildChatBody', () => {
  it('shapes each body style', () => {
    const input = {
      message: 'hi',
      threadId: 'thr_1',
      agent: 'coach',
      metadata: { a: 'b' },
      user: 'u1',
      deviceId: 'd1',
    };
    expect(buildChatBody('next', input)).toEqual({
      message: 'hi',
      threadId: 'thr_1',
      agent: 'coach',
      metadata: { a: 'b' },
      stream: true,
    });
    expect(buildChatBody('health-agent', input)).toEqual({
      message: 'hi',
      user: 'u1',
      deviceId: 'd1',
      stream: true,
    });
    expect(buildChatBody('ai-chat-system', input)).toEqual({
      message: 'hi',
      sessionId: 'thr_1',
      agentType: 'coach',
    });
  });

  it('rejects an empty message and a health-agent body without a user', () => {
    expect(() => buildChatBody('next', { message: '  ' })).toThrow(/empty/);
    expect(() => buildChatBody('health-agent', { message: 'hi' })).toThrow(/user/);
  });
});

describe('HTTP error helpers', () => {
  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('1.5')).toBe(1500);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    const now = Date.parse('2026-11-23T12:00:00Z');
    expect(parseRetryAfter('Mon, 23 Nov 2026 12:00:10 GMT', now)).toBe(10_000);
  });

  it('maps statuses and body codes to typed errors', async () => {
    const quota = await errorFromResponse(
      new Response(JSON.stringify({ code: 'quota_exceeded', message: 'Budget spent.' }), { status: 429 }),
    );
    expect([quota.name, quota.code, quota.message]).toEqual([
      'RequestError',
      'quota_exceeded',
      'Budget spent.',
    ]);
    const unavailable = await errorFromResponse(new Response('', { status: 503 }));
    expect([unavailable.name, unavailable.code, unavailable.retryable]).toEqual([
      'ProviderError',
      'provider_unavailable',
      true,
    ]);
    const internal = await errorFromResponse(new Response('boom', { status: 500 }));
    expect([internal.name, internal.code, internal.message]).toEqual(['RelayKitError', 'internal', 'boom']);
  });
});
