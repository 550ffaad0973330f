import { ChatKitRequestError } from '@relaykit/chat-ui/client';
import { RelayKitError } from '@relaykit/sse-protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { generateBatch, generateImage } from './images-client';

const answer = (status: number, body: unknown) =>
  new Response(typeof body === 'string' ? body : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });

describe('the image client', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('throws a RelayKitError with the server code, status and the reasons of an invalid body', async () => {
    vi.stubGlobal('fetch', async () =>
      answer(400, {
        error: {
          code: 'invalid_request',
          message: 'The request body is invalid.',
          details: { issues: [{ message: 'Too long.' }] },
        },
      }),
    );
    const error = await generateImage('x').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ChatKitRequestError);
    expect(error).toBeInstanceOf(RelayKitError);
    expect(error).toMatchObject({
      code: 'invalid_request',
      message: 'The request body is invalid. Too long.',
      status: 400,
    });
  });

  it('reads the batch events from the SSE stream', async () => {
    const body =
      'event: start\ndata: {"batchId":"b","total":1}\n\nevent: done\ndata: {"batchId":"b","total":1,"completed":1,"failed":0,"items":[]}\n\n';
    vi.stubGlobal(
      'fetch',
      async () => new Response(body, { headers: { 'content-type': 'text/event-stream' } }),
    );
    const events = [];
    for await (const event of generateBatch([{ id: 'a', prompt: 'p' }])) events.push(event.event);
    expect(events).toEqual(['start', 'done']);
  });
});
