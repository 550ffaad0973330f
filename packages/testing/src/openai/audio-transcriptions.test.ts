import OpenAI, { APIError, toFile } from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeOpenAI, type FakeOpenAI, type FakeScript, offlineTranscript } from '../index';

let fake: FakeOpenAI | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(script?: FakeScript) {
  fake = await createFakeOpenAI(script ? { script } : {});
  return new OpenAI({ apiKey: 'test', baseURL: fake.url, maxRetries: 0 });
}

const audio = (size: number, name = 'clip.webm', type = 'audio/webm') =>
  toFile(new Uint8Array(size).fill(7), name, { type });

describe('POST /v1/audio/transcriptions through the openai SDK', () => {
  it('answers the offline transcript as json with token usage, and records the multipart fields', async () => {
    const client = await start();
    const result = await client.audio.transcriptions.create({
      file: await audio(2048),
      model: 'gpt-4o-mini-transcribe',
      language: 'en',
    });
    expect(result.text).toBe(offlineTranscript(2048));
    expect(result.text).toBe('[offline demo model] transcript of 2048 bytes');
    expect(result.usage).toMatchObject({ type: 'tokens', input_token_details: { audio_tokens: 2 } });
    const call = fake!.calls.at(-1)!;
    expect(call).toMatchObject({ endpoint: 'audio.transcriptions', path: '/v1/audio/transcriptions' });
    expect(call.body).toEqual({
      file: { filename: 'clip.webm', type: 'audio/webm', size: 2048 },
      model: 'gpt-4o-mini-transcribe',
      language: 'en',
    });
  });

  it('reports token usage for gpt-4o-transcribe (audio from the size, text from the prompt)', async () => {
    const client = await start();
    const result = await client.audio.transcriptions.create({
      file: await audio(3000),
      model: 'gpt-4o-transcribe',
      prompt: 'Classroom vocabulary.',
    });
    const usage = result.usage as OpenAI.Audio.Transcription.Tokens;
    expect(usage.type).toBe('tokens');
    expect(usage.input_token_details).toEqual({ text_tokens: expect.any(Number), audio_tokens: 3 });
    expect(usage.input_token_details!.text_tokens).toBeGreaterThan(0);
    expect(usage.input_tokens).toBe(3 + usage.input_token_details!.text_tokens!);
    expect(usage.output_tokens).toBeGreaterThan(0);
    expect(usage.total_tokens).toBe(usage.input_tokens + usage.output_tokens);
  });

  it('reports duration usage for whisper-1: whole seconds at 4000 bytes a second, at least one', async () => {
    const client = await start();
    const long = await client.audio.transcriptions.create({ file: await audio(10_001), model: 'whisper-1' });
    expect(long.usage).toEqual({ type: 'duration', seconds: 3 });
    const short = await client.audio.transcriptions.create({ file: await audio(10), model: 'whisper-1' });
    expect(short.usage).toEqual({ type: 'duration', seconds: 1 });
  });

  it('answers a scripted text, as plain text for response_format text', async () => {
    const client = await start({
      rules: [{ match: { endpoint: 'audio.transcriptions' }, reply: { text: 'book a table for two' } }],
    });
    const text = await client.audio.transcriptions.create({
      file: await audio(10, 'note.ogg', 'audio/ogg'),
      model: 'gpt-4o-transcribe',
      response_format: 'text',
    });
    expect(String(text).trim()).toBe('book a table for two');
  });

  it('answers scripted errors in the OpenAI error shape', async () => {
    const client = await start({
      rules: [
        {
          match: { endpoint: 'audio.transcriptions' },
          reply: { error: { status: 429, retryAfterMs: 1500 } },
        },
      ],
    });
    const error = await client.audio.transcriptions
      .create({ file: await audio(10), model: 'gpt-4o-mini-transcribe' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).status).toBe(429);
    expect((error as APIError).code).toBe('rate_limit_exceeded');
  });

  it('refuses a missing model, an unsupported file format and an unsupported response format', async () => {
    const client = await start();
    const missingModel = await client.audio.transcriptions
      .create({ file: await audio(10), model: '' })
      .catch((caught: unknown) => caught as APIError);
    expect(missingModel).toMatchObject({ status: 400, param: 'model' });
    const badFormat = await client.audio.transcriptions
      .create({ file: await audio(10, 'clip.txt', 'text/plain'), model: 'gpt-4o-mini-transcribe' })
      .catch((caught: unknown) => caught as APIError);
    expect(badFormat).toMatchObject({ status: 400, param: 'file' });
    expect((badFormat as APIError).message).toContain('Invalid file format');
    const badResponseFormat = await client.audio.transcriptions
      .create({ file: await audio(10), model: 'gpt-4o-mini-transcribe', response_format: 'srt' })
      .catch((caught: unknown) => caught as APIError);
    expect(badResponseFormat).toMatchObject({ status: 400, param: 'response_format' });
  });

  it('refuses a body without a file part', async () => {
    await start();
    const form = new FormData();
    form.set('model', 'gpt-4o-mini-transcribe');
    const response = await fetch(`${fake!.url}/audio/transcriptions`, {
      method: 'POST',
      headers: { authorization: 'Bearer test' },
      body: form,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        message: "Missing required parameter: 'file'.",
        type: 'invalid_request_error',
        param: 'file',
        code: 'missing_required_parameter',
      },
    });
  });
});
