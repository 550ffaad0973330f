/**
 * generateImage through the real `openai` SDK against `createFakeOpenAI()` (the project's OpenAI-compatible fake
 * server: real PNGs of the requested size, `b64_json` for GPT image models, downloadable URLs for DALL·E 3).
 */
import { createFakeOpenAI, type FakeOpenAI, type FakeScript } from '@relaykit/testing';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { generateImage } from './generate';

let fake: FakeOpenAI | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function clientFor(script?: FakeScript) {
  fake = await createFakeOpenAI(script ? { script } : {});
  return new OpenAI({ apiKey: 'test', baseURL: fake.url });
}

async function rejection(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}

describe('generateImage', () => {
  it('decodes b64_json from gpt-image-1, reads dimensions from the PNG header, and prices the usage', async () => {
    const client = await clientFor();
    const image = await generateImage({
      client,
      prompt: 'a red fox',
      size: '1536x1024',
      quality: 'low',
      user: 'u1',
    });
    expect(image).toMatchObject({
      mimeType: 'image/png',
      extension: 'png',
      width: 1536,
      height: 1024,
      model: 'gpt-image-1',
    });
    expect(image.bytes.subarray(1, 4)).toEqual(new Uint8Array([0x50, 0x4e, 0x47]));
    expect(image.usage.outputImageTokens).toBe(400);
    expect(image.usage.images).toEqual([{ size: '1536x1024', quality: 'low', count: 1 }]);
    expect(image.cost.status).toBe('priced');
    expect(image.cost.status === 'priced' && image.cost.costMicros).toBeGreaterThan(0);
    const body = fake!.calls[0]!.body as Record<string, unknown>;
    expect(body).toMatchObject({ model: 'gpt-image-1', size: '1536x1024', quality: 'low', user: 'u1', n: 1 });
    expect(body.response_format).toBeUndefined();
  });

  it('downloads the url dall-e-3 answers and prices it per image', async () => {
    const client = await clientFor();
    const image = await generateImage({
      client,
      model: 'dall-e-3',
      prompt: 'a lighthouse',
      size: '1792x1024',
      quality: 'hd',
    });
    expect(image).toMatchObject({
      width: 1792,
      height: 1024,
      revisedPrompt: 'a lighthouse',
      mimeType: 'image/png',
    });
    expect(fake!.calls.map((call) => call.path)).toEqual([
      '/v1/images/generations',
      expect.stringMatching(/^\/files\/.+\.png$/),
    ]);
    expect(image.cost).toMatchObject({ status: 'priced', costMicros: 120_000 });
  });

  it('maps a moderation refusal to content_policy with the provider message', async () => {
    const message = 'Your request was rejected as a result of our safety system.';
    const client = await clientFor({
      rules: [
        {
          match: { endpoint: 'images.generations' },
          reply: {
            error: { status: 400, message, type: 'image_generation_user_error', code: 'moderation_blocked' },
          },
        },
      ],
    });
    const error = await rejection(generateImage({ client, prompt: 'something refused' }));
    expect(error).toMatchObject({ name: 'ProviderError', code: 'content_policy', message, retryable: false });
  });

  it('maps 429 to retryable rate_limited with retry-after, and 500 to retryable provider_unavailable', async () => {
    const client = await clientFor({
      rules: [
        {
          match: { endpoint: 'images.generations' },
          replies: [
            {
              error: {
                status: 429,
                message: 'Rate limit reached',
                code: 'rate_limit_exceeded',
                retryAfterMs: 1500,
              },
            },
            { error: { status: 500, message: 'server error' } },
          ],
        },
      ],
    });
    expect(await rejection(generateImage({ client, prompt: 'p' }))).toMatchObject({
      code: 'rate_limited',
      retryable: true,
      retryAfterMs: 1500,
    });
    expect(await rejection(generateImage({ client, prompt: 'p' }))).toMatchObject({
      code: 'provider_unavailable',
      retryable: true,
    });
    expect(fake!.calls).toHaveLength(2); // maxRetries 0: the SDK did not retry behind our back
  });

  it('rejects bad input before calling the provider', async () => {
    const client = await clientFor();
    const cases: Array<[Parameters<typeof generateImage>[0], string]> = [
      [{ client, prompt: '' }, 'prompt'],
      [{ client, prompt: 'x'.repeat(32_001) }, 'prompt'],
      [{ client, model: 'dall-e-3', prompt: 'x'.repeat(4_001) }, 'prompt'],
      [{ client, prompt: 'p', size: '1792x1024' }, 'size'],
      [{ client, model: 'dall-e-3', prompt: 'p', quality: 'low' }, 'quality'],
      [{ client, model: 'dall-e-3', prompt: 'p', background: 'transparent' }, 'background'],
      [{ client, prompt: 'p', background: 'transparent', outputFormat: 'jpeg' }, 'background'],
      [{ client, model: 'midjourney', prompt: 'p' }, 'model'],
    ];
    for (const [options, field] of cases)
      expect(await rejection(generateImage(options))).toMatchObject({
        code: 'invalid_request',
        details: { field },
      });
    expect(fake!.calls).toHaveLength(0);
  });

  it('turns an aborted call into cancelled', async () => {
    const client = await clientFor({
      rules: [
        { match: { endpoint: 'images.generations' }, reply: { text: 'x', faults: { latencyMs: 2000 } } },
      ],
    });
    const controller = new AbortController();
    const pending = generateImage({ client, prompt: 'slow', signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expect(await rejection(pending)).toMatchObject({ code: 'cancelled' });
  });
});
