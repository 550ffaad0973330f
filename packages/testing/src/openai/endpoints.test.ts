import OpenAI, { type APIError } from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { countTokens, createFakeOpenAI, type FakeOpenAI } from '../index';

let fake: FakeOpenAI | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start() {
  fake = await createFakeOpenAI();
  return new OpenAI({ apiKey: 'test', baseURL: fake.url, maxRetries: 0 });
}

function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(bytes.subarray(12, 16).toString('ascii')).toBe('IHDR');
  expect(bytes.subarray(-8, -4).toString('ascii')).toBe('IEND');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('other endpoints through the openai SDK', () => {
  it('generates gpt-image-1 images as b64_json PNGs of the requested size, with usage', async () => {
    const client = await start();
    const result = await client.images.generate({
      model: 'gpt-image-1',
      prompt: 'a red fox',
      size: '1536x1024',
      quality: 'low',
    });
    const png = Buffer.from(result.data![0]!.b64_json!, 'base64');
    expect(pngSize(png)).toEqual({ width: 1536, height: 1024 });
    expect(result.data![0]!.url).toBeUndefined();
    expect(result.usage).toEqual({
      input_tokens: countTokens('a red fox'),
      input_tokens_details: { text_tokens: countTokens('a red fox'), image_tokens: 0 },
      output_tokens: 400,
      total_tokens: countTokens('a red fox') + 400,
    });
    const rejected = await client.images
      .generate({ model: 'gpt-image-1', prompt: 'x', response_format: 'url' })
      .catch((error: unknown) => error);
    expect(rejected).toBeInstanceOf(OpenAI.BadRequestError);
    expect((rejected as APIError).code).toBe('unknown_parameter');
  });

  it('streams gpt-image-1 partial images then the completed image with usage', async () => {
    const client = await start();
    const stream = await client.images.generate({
      model: 'gpt-image-1',
      prompt: 'a blue whale',
      size: '1024x1024',
      quality: 'low',
      stream: true,
      partial_images: 2,
    });
    const events: OpenAI.Images.ImageGenStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    expect(events.map((event) => event.type)).toEqual([
      'image_generation.partial_image',
      'image_generation.partial_image',
      'image_generation.completed',
    ]);
    expect(
      events
        .slice(0, 2)
        .map((event) => (event as OpenAI.Images.ImageGenPartialImageEvent).partial_image_index),
    ).toEqual([0, 1]);
    const completed = events[2] as OpenAI.Images.ImageGenCompletedEvent;
    expect(pngSize(Buffer.from(completed.b64_json, 'base64'))).toEqual({ width: 1024, height: 1024 });
    expect(completed.usage.output_tokens).toBe(272);
  });

  it('generates dall-e-3 images as a url the fake itself serves', async () => {
    const client = await start();
    const result = await client.images.generate({
      model: 'dall-e-3',
      prompt: 'a lighthouse',
      size: '1024x1792',
    });
    const image = result.data![0]!;
    expect(image.revised_prompt).toBe('a lighthouse');
    expect(image.url).toMatch(new RegExp(`^${fake!.origin}/files/img_[0-9a-f]+\\.png$`));
    const download = await fetch(image.url!);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(pngSize(Buffer.from(await download.arrayBuffer()))).toEqual({ width: 1024, height: 1792 });
    expect(result.usage).toBeUndefined();
  });

  it('mints ChatKit sessions only with the beta header, like the real API', async () => {
    const client = await start();
    const session = await client.beta.chatkit.sessions.create({
      user: 'user_123',
      workflow: { id: 'wf_abc' },
    });
    expect(session).toMatchObject({
      object: 'chatkit.session',
      status: 'active',
      user: 'user_123',
      workflow: { id: 'wf_abc' },
    });
    expect(session.id).toMatch(/^cksess_/);
    expect(session.client_secret).toMatch(/^ek_/);
    expect(session.expires_at).toBeGreaterThan(Date.now() / 1000);
    expect(fake!.calls[0]!.headers['openai-beta']).toBe('chatkit_beta=v1');

    const withoutHeader = await fetch(`${fake!.url}/chatkit/sessions`, {
      method: 'POST',
      headers: { authorization: 'Bearer test', 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'user_123', workflow: { id: 'wf_abc' } }),
    });
    expect(withoutHeader.status).toBe(400);
    const body = (await withoutHeader.json()) as { error: Record<string, unknown> };
    expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'param', 'type']);
    expect(body.error.type).toBe('invalid_request_error');
    await expect(
      client.beta.chatkit.sessions.create({ user: '', workflow: { id: 'wf_abc' } }),
    ).rejects.toBeInstanceOf(OpenAI.BadRequestError);
  });

  it('moderates deterministically and lists models', async () => {
    const client = await start();
    const moderation = await client.moderations.create({
      model: 'omni-moderation-latest',
      input: ['I will kill the process', 'hello there'],
    });
    expect(moderation.results.map((result) => result.flagged)).toEqual([true, false]);
    expect(moderation.results[0]!.categories.violence).toBe(true);
    const models = await client.models.list();
    expect(models.data.map((model) => model.id)).toContain('gpt-4.1');
    expect((await client.models.retrieve('gpt-image-1')).id).toBe('gpt-image-1');
    await expect(client.models.retrieve('nope')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('requires an API key and rejects unknown paths and bad JSON with the real error shape', async () => {
    await start();
    const noKey = await fetch(`${fake!.url}/models`);
    expect(noKey.status).toBe(401);
    expect(((await noKey.json()) as { error: { message: string } }).error.message).toContain(
      "didn't provide an API key",
    );
    const unknown = await fetch(`${fake!.url}/nothing`, { headers: { authorization: 'Bearer test' } });
    expect(unknown.status).toBe(404);
    const badJson = await fetch(`${fake!.url}/responses`, {
      method: 'POST',
      headers: { authorization: 'Bearer test', 'content-type': 'application/json' },
      body: '{nope',
    });
    expect(badJson.status).toBe(400);
    expect(fake!.calls.map((call) => call.path)).toEqual(['/v1/models', '/v1/nothing', '/v1/responses']);
  });

  it('keeps only the last maxRecordedCalls calls and counts requests in x-ratelimit-remaining-requests', async () => {
    fake = await createFakeOpenAI({ maxRecordedCalls: 2 });
    const remaining: (string | null)[] = [];
    for (const model of ['gpt-4.1', 'gpt-4o', 'gpt-5']) {
      const response = await fetch(`${fake.url}/models/${model}`, {
        headers: { authorization: 'Bearer test' },
      });
      remaining.push(response.headers.get('x-ratelimit-remaining-requests'));
    }
    expect(remaining).toEqual(['9999', '9998', '9997']);
    expect(fake.calls.map((call) => call.path)).toEqual(['/v1/models/gpt-4o', '/v1/models/gpt-5']);
  });
});
