import { createMemoryStore } from '@relaykit/chatkit-store';
import { createFakeOpenAI, type FakeOpenAI, type FakeScript, offlineTranscript } from '@relaykit/testing';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_BODY_BYTES } from '../http/body';
import { createChatKitServer } from '../http/chatkit-server';
import { createModelAccess } from '../models/model-access';
import { post } from './conformance.suite';
import { createOpenAITranscriber, MAX_TRANSCRIPTION_BODY_BYTES, MAX_TRANSCRIPTION_BYTES } from './transcribe';

interface Ctx {
  userId: string;
  apiKey: string;
}

const alice: Ctx = { userId: '00000000-0000-4000-8000-0000000000a1', apiKey: 'sk-alice' };

let fake: FakeOpenAI | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** A ChatKit server whose transcriber uses each user's own key (bring-your-own-key) against the fake. */
async function serverWith(
  script?: FakeScript,
  transcriberOptions: { language?: string; prompt?: string } = {},
  serverOptions: { maxBodyBytes?: number } = {},
) {
  fake = await createFakeOpenAI({ apiKey: 'sk-alice', ...(script ? { script } : {}) });
  const modelAccess = createModelAccess<Ctx>({
    getApiKey: (context) => context.apiKey,
    baseURL: fake.url,
    maxRetries: 0,
  });
  return createChatKitServer<Ctx>({
    store: createMemoryStore(),
    respond: async function* () {},
    transcribe: createOpenAITranscriber({ modelAccess, ...transcriberOptions }),
    ...serverOptions,
  });
}

const transcribeRequest = (bytes: Uint8Array, mimeType: string) =>
  post({
    type: 'input.transcribe',
    params: { audio_base64: Buffer.from(bytes).toString('base64'), mime_type: mimeType },
  });

describe('input.transcribe through createOpenAITranscriber', () => {
  it('uploads the audio to /v1/audio/transcriptions with the user key and answers { text }', async () => {
    const server = await serverWith();
    const audio = new Uint8Array(3000).fill(1);
    const response = await server.handle(transcribeRequest(audio, 'audio/webm;codecs=opus'), alice);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ text: offlineTranscript(3000) });
    const call = fake!.calls.at(-1)!;
    expect(call.endpoint).toBe('audio.transcriptions');
    expect(call.body).toEqual({
      file: { filename: 'audio.webm', type: 'audio/webm', size: 3000 },
      model: 'gpt-4o-mini-transcribe',
      response_format: 'json',
    });
  });

  it('passes language and prompt, and answers the scripted transcript', async () => {
    const server = await serverWith(
      {
        rules: [
          { match: { endpoint: 'audio.transcriptions' }, reply: { text: 'Plan a lesson on fractions' } },
        ],
      },
      { language: 'en', prompt: 'Classroom vocabulary.' },
    );
    const response = await server.handle(transcribeRequest(new Uint8Array(10), 'audio/mp4'), alice);
    expect(await response.json()).toEqual({ text: 'Plan a lesson on fractions' });
    expect(fake!.calls.at(-1)!.body).toMatchObject({
      file: { filename: 'audio.mp4', type: 'audio/mp4' },
      language: 'en',
      prompt: 'Classroom vocabulary.',
    });
  });

  it('refuses an unsupported media type with invalid_request naming it, before calling OpenAI', async () => {
    const server = await serverWith();
    const response = await server.handle(transcribeRequest(new Uint8Array(10), 'audio/aiff'), alice);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.message).toContain('audio/aiff');
    expect(fake!.calls).toHaveLength(0);
  });

  it('maps provider errors: 429 → rate_limited with Retry-After, a rejected key → configuration', async () => {
    const server = await serverWith({
      rules: [
        {
          match: { endpoint: 'audio.transcriptions' },
          reply: { error: { status: 429, retryAfterMs: 2000 } },
          times: 1,
        },
      ],
    });
    const limited = await server.handle(transcribeRequest(new Uint8Array(10), 'audio/ogg'), alice);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('rate_limited');

    const wrongKey = await server.handle(transcribeRequest(new Uint8Array(10), 'audio/ogg'), {
      ...alice,
      apiKey: 'sk-someone-else',
    });
    expect(wrongKey.status).toBe(500);
    const body = (await wrongKey.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('configuration');
    expect(body.error.message).not.toContain('sk-someone-else');
  });

  it('body cap: the 1 MiB default refuses long dictation; MAX_TRANSCRIPTION_BODY_BYTES fits audio up to 25 MB', async () => {
    // The JSON body of the largest audio OpenAI accepts fits the transcription cap exactly as the client sends it.
    const envelope = JSON.stringify({
      type: 'input.transcribe',
      params: { audio_base64: '', mime_type: 'audio/webm;codecs=opus' },
    });
    expect(4 * Math.ceil(MAX_TRANSCRIPTION_BYTES / 3) + envelope.length).toBeLessThanOrEqual(
      MAX_TRANSCRIPTION_BODY_BYTES,
    );
    const audio = new Uint8Array(Math.ceil(DEFAULT_MAX_BODY_BYTES * 0.8)).fill(7); // ≈ 1.07 MiB as base64
    const byDefault = await serverWith();
    const refused = await byDefault.handle(transcribeRequest(audio, 'audio/webm'), alice);
    expect(refused.status).toBe(413);
    expect(fake!.calls).toHaveLength(0);
    await fake!.close();
    const dictation = await serverWith(undefined, {}, { maxBodyBytes: MAX_TRANSCRIPTION_BODY_BYTES });
    const accepted = await dictation.handle(transcribeRequest(audio, 'audio/webm'), alice);
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toEqual({ text: offlineTranscript(audio.byteLength) });
  });

  it('refuses audio over the 25 MB OpenAI cap with payload_too_large, and empty audio', async () => {
    fake = await createFakeOpenAI();
    const transcribe = createOpenAITranscriber<Ctx>({
      client: new OpenAI({ apiKey: 'test', baseURL: fake.url, maxRetries: 0 }),
    });
    const tooLarge = new Uint8Array(MAX_TRANSCRIPTION_BYTES + 1);
    await expect(
      transcribe({ data: tooLarge, mime_type: 'audio/wav', media_type: 'audio/wav' }, alice),
    ).rejects.toMatchObject({ code: 'payload_too_large' });
    await expect(
      transcribe({ data: new Uint8Array(0), mime_type: 'audio/wav', media_type: 'audio/wav' }, alice),
    ).rejects.toMatchObject({ code: 'invalid_request' });
    expect(fake.calls).toHaveLength(0);
  });

  it('aborting the request aborts the OpenAI call (the signal reaches create)', async () => {
    fake = await createFakeOpenAI({ faults: { latencyMs: 60_000 } });
    const openai = new OpenAI({ apiKey: 'test', baseURL: fake.url, maxRetries: 0 });
    let seen: AbortSignal | undefined;
    let outcome: Promise<unknown> | undefined;
    const client = {
      audio: {
        transcriptions: {
          create: (body: never, options?: { signal?: AbortSignal }) => {
            seen = options?.signal;
            outcome = openai.audio.transcriptions.create(body, options);
            return outcome;
          },
        },
      },
    };
    const server = createChatKitServer<Ctx>({
      store: createMemoryStore(),
      respond: async function* () {},
      transcribe: createOpenAITranscriber({ client }),
    });
    const controller = new AbortController();
    const request = new Request(transcribeRequest(new Uint8Array(10), 'audio/ogg'), {
      signal: controller.signal,
    });
    const pending = server.handle(request, alice);
    await expect.poll(() => fake!.calls.length).toBe(1);
    expect(seen).toBeInstanceOf(AbortSignal);
    expect(seen!.aborted).toBe(false);
    controller.abort();
    await expect(outcome).rejects.toThrow(/abort/i);
    expect(seen!.aborted).toBe(true);
    expect((await pending).status).toBeGreaterThanOrEqual(400);
  });

  it('needs exactly one of client and modelAccess', () => {
    expect(() => createOpenAITranscriber({})).toThrow(/exactly one of client and modelAccess/);
  });
});
