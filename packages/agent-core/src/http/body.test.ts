import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readBodyText, readJsonBody } from './body';

function post(body: BodyInit | null, headers: Record<string, string> = {}): Request {
  return new Request('http://localhost/x', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);
}

async function caught(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; details: unknown };
  }
  throw new Error('expected a rejection');
}

describe('readJsonBody', () => {
  it('parses and validates a JSON body', async () => {
    const schema = z.object({ message: z.string() });
    expect(await readJsonBody(post('{"message":"hi"}'), { schema })).toEqual({ message: 'hi' });
  });

  it('answers invalid_request with an invalid_json issue for bad JSON and an empty body', async () => {
    const error = await caught(readJsonBody(post('{"message":')));
    expect(error.code).toBe('invalid_request');
    expect(error.details).toMatchObject({ issues: [{ code: 'invalid_json', path: [] }] });
    expect(await caught(readJsonBody(post(null)))).toMatchObject({
      code: 'invalid_request',
      details: { issues: [{ message: 'The request body is empty.' }] },
    });
  });

  it('answers invalid_request with the zod issues when the schema fails', async () => {
    const schema = z.object({ message: z.string() });
    const error = await caught(readJsonBody(post('{"message":3}'), { schema }));
    expect(error).toMatchObject({
      code: 'invalid_request',
      details: { issues: [{ code: 'invalid_type', path: ['message'] }] },
    });
  });
});

describe('readBodyText', () => {
  it('refuses a declared Content-Length over the cap before reading', async () => {
    const error = await caught(readBodyText(post('x'.repeat(20), { 'content-length': '20' }), 10));
    expect(error).toMatchObject({ code: 'payload_too_large', details: { maxBytes: 10 } });
  });

  it('counts a streamed body without a length and stops at the cap', async () => {
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(100).fill(97));
        if (pulled > 1000) controller.close();
      },
    });
    const error = await caught(readBodyText(post(stream), 250));
    expect(error.code).toBe('payload_too_large');
    expect(pulled).toBeLessThan(10);
  });

  it('accepts a body exactly at the cap and decodes UTF-8', async () => {
    const text = 'é'.repeat(5);
    expect(await readBodyText(post(text), 10)).toBe(text);
    expect((await caught(readBodyText(post(`${text}a`), 10))).code).toBe('payload_too_large');
  });
});
