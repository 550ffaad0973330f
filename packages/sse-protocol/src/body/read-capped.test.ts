import { describe, expect, it } from 'vitest';
import { ProviderError, type RelayKitError } from '../errors';
import { readCapped, readCappedText } from './read-capped';

async function caught(promise: Promise<unknown>): Promise<RelayKitError> {
  try {
    await promise;
  } catch (error) {
    return error as RelayKitError;
  }
  throw new Error('expected a rejection');
}

/** An endless stream of 100-byte chunks that records how many were pulled and whether it was cancelled. */
function endless() {
  const state = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      state.pulled += 1;
      controller.enqueue(new Uint8Array(100).fill(97));
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

describe('readCapped', () => {
  it('refuses a declared Content-Length over the cap before reading (Request and Response)', async () => {
    const request = new Request('http://x/', {
      method: 'POST',
      body: 'x'.repeat(20),
      headers: { 'content-length': '20' },
    });
    expect(await caught(readCapped(request, 10))).toMatchObject({
      code: 'payload_too_large',
      details: { maxBytes: 10 },
    });
    const response = new Response('x'.repeat(20), { headers: { 'content-length': '20' } });
    expect((await caught(readCapped(response, 10))).code).toBe('payload_too_large');
  });

  it('counts a stream without a length and cancels it at the cap', async () => {
    const { stream, state } = endless();
    expect((await caught(readCapped(stream, 250))).code).toBe('payload_too_large');
    expect(state.pulled).toBeLessThan(10);
    expect(state.cancelled).toBe(true);
  });

  it('takes the error of tooLarge', async () => {
    const { stream } = endless();
    const error = await caught(
      readCapped(stream, 50, { tooLarge: () => new ProviderError('provider_error', 'image too large') }),
    );
    expect(error).toMatchObject({ code: 'provider_error', message: 'image too large' });
  });

  it('accepts exactly the cap, joins chunks, and reads a missing body as zero bytes', async () => {
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array([1, 2]));
        controller.enqueue(new Uint8Array([3]));
        controller.close();
      },
    });
    expect([...(await readCapped(chunks, 3))]).toEqual([1, 2, 3]);
    expect((await readCapped(null, 0)).byteLength).toBe(0);
    expect((await readCapped(new Request('http://x/'), 0)).byteLength).toBe(0);
  });

  it('decodes UTF-8 text, counting bytes rather than characters', async () => {
    const text = 'é'.repeat(5); // 10 bytes
    expect(await readCappedText(new Response(text), 10)).toBe(text);
    expect((await caught(readCappedText(new Response(`${text}a`), 10))).code).toBe('payload_too_large');
  });
});
