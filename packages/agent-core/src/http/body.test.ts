import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseJsonBody, readBodyText, readJsonBody } from './body';

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

  it('answers invalid_request with an invalid_json issue for bad JSON', async () => {
    const error = await caught(readJsonBody(post('{"message":')));
    expect(error.code).toBe('invalid_request');
    expect(error.details).toMatchObject({ issues: [{ code: 'invalid_json', path: [] }] });
  });

  it('reads an empty body as {}, so the schema names the missing fields; the cap still applies', async () => {
    expect(await readJsonBody(post(null))).toEqual({});
    expect(await readJsonBody(post('  \n'))).toEqual({});
    const schema = z.object({ message: z.string() });
    expect(await caught(readJsonBody(post(''), { schema }))).toMatchObject({
      code: 'invalid_request',
      details: { issues: [{ code: 'invalid_type', path: ['message'] }] },
    });
    const tooLarge = await caught(readJsonBody(post(' '.repeat(20)), { maxBytes: 10 }));
    expect(tooLarge.code).toBe('payload_too_large');
  });

  it('decodes escaped keys correctly after a key "\\" was parsed (V8 JSON.parse defect regression)', async () => {
    // On Node 24.x/26.x, after native JSON.parse of {"a":1,"\\":2}, JSON.parse('{"a":1,"\n":2}') can yield the
    // key "\\" instead of "\n". Request bodies go through the guarded parser.
    expect(parseJsonBody('{"a":1,"\\\\":2}')).toEqual({ a: 1, '\\': 2 });
    JSON.parse('{"a":1,"\\\\":2}');
    for (const [text, key] of [
      ['{"a":1,"\\n":2}', '\n'],
      ['{"a":1,"\\t":2}', '\t'],
      ['{"a":1,"\\"":2}', '"'],
    ] as const) {
      const value = (await readJsonBody(post(text))) as Record<string, unknown>;
      expect(Object.keys(value)).toEqual(['a', key]);
      expect(value[key]).toBe(2);
    }
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
