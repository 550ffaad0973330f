import { RelayKitError } from '@relaykit/sse-protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChatKitRequestError, createChatKitClient } from './chatkit-client';
import { generateImage, ImageRequestError } from './images-client';

const answer = (status: number, body: unknown) =>
  new Response(typeof body === 'string' ? body : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });

describe('client errors', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('the ChatKit client throws a RelayKitError with the server code, message, retry hints and status', async () => {
    const client = createChatKitClient({
      fetch: async () =>
        answer(429, {
          error: { code: 'rate_limited', message: 'Slow down.', retryable: true, retryAfterMs: 2000 },
        }),
    });
    const error = await client.listThreads().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ChatKitRequestError);
    expect(RelayKitError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'rate_limited',
      message: 'Slow down.',
      status: 429,
      retryable: true,
      retryAfterMs: 2000,
    });
  });

  it('falls back to the code of the HTTP status when the body has no known code', async () => {
    const client = createChatKitClient({ fetch: async () => answer(502, 'Bad Gateway') });
    await expect(client.listThreads()).rejects.toMatchObject({
      code: 'provider_error',
      status: 502,
      message: 'The server answered 502.',
    });
  });

  it('the image client throws an ImageRequestError (a RelayKitError) with the server code', async () => {
    vi.stubGlobal('fetch', async () =>
      answer(400, { error: { code: 'invalid_request', message: 'Say what to draw.' } }),
    );
    const error = await generateImage('').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ImageRequestError);
    expect(error).toBeInstanceOf(RelayKitError);
    expect(error).toMatchObject({ code: 'invalid_request', message: 'Say what to draw.', status: 400 });
  });
});
