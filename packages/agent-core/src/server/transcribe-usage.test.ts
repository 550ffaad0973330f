import { createMemoryStore } from '@relaykit/chatkit-store';
import { createFakeOpenAI, type FakeOpenAI, type FakeScript } from '@relaykit/testing';
import {
  createMemoryUsageStore,
  createPriceTable,
  createUsageRecorder,
  type UsageRecorder,
} from '@relaykit/usage-tracker';
import { afterEach, describe, expect, it } from 'vitest';
import { createChatKitServer } from '../http/chatkit-server';
import { createModelAccess } from '../models/model-access';
import { post } from './conformance.suite';
import { createOpenAITranscriber, type OpenAITranscriberOptions } from './transcribe';

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

/** A ChatKit server whose transcriber records usage in a memory store, against the fake OpenAI. */
async function serverWith(options: {
  script?: FakeScript;
  transcriber?: Partial<OpenAITranscriberOptions<Ctx>>;
  recorder?: Pick<UsageRecorder, 'recordUsage'>;
}) {
  fake = await createFakeOpenAI({
    apiKey: 'sk-alice',
    ...(options.script ? { script: options.script } : {}),
  });
  const store = createMemoryUsageStore();
  const recorder = options.recorder ?? createUsageRecorder({ store, prices: createPriceTable() });
  const modelAccess = createModelAccess<Ctx>({
    getApiKey: (context) => context.apiKey,
    baseURL: fake.url,
    maxRetries: 0,
  });
  const server = createChatKitServer<Ctx>({
    store: createMemoryStore(),
    respond: async function* () {},
    transcribe: createOpenAITranscriber({ modelAccess, usage: recorder, ...options.transcriber }),
  });
  return { server, store };
}

const transcribeRequest = (size: number, mimeType = 'audio/webm;codecs=opus') =>
  post({
    type: 'input.transcribe',
    params: { audio_base64: Buffer.alloc(size, 1).toString('base64'), mime_type: mimeType },
  });

describe('createOpenAITranscriber records usage', () => {
  it('records one transcription row for the user with tokens and a cost (gpt-4o-mini-transcribe)', async () => {
    const { server, store } = await serverWith({});
    const response = await server.handle(transcribeRequest(3000), alice);
    expect(response.status).toBe(200);
    const rows = store.rows();
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row).toMatchObject({
      userId: alice.userId,
      kind: 'transcription',
      model: 'gpt-4o-mini-transcribe',
      promptTokens: 3, // ⌈3000 / 1024⌉ audio tokens, no prompt
      requests: 1,
      metadata: expect.objectContaining({
        inputAudioTokens: 3,
        media_type: 'audio/webm',
        audio_bytes: 3000,
        pricedAs: 'gpt-4o-mini-transcribe',
      }),
    });
    expect(row!.completionTokens).toBeGreaterThan(0);
    expect(row!.costMicros).toBeGreaterThan(0);
    expect(row!.error).toBeUndefined();
  });

  it('records whisper-1 by duration: 100 micro-dollars a second', async () => {
    const { server, store } = await serverWith({ transcriber: { model: 'whisper-1' } });
    const response = await server.handle(transcribeRequest(8000, 'audio/ogg'), alice);
    expect(response.status).toBe(200);
    // the fake bills ⌈8000 / 4000⌉ = 2 s; $0.006 / min = 100 micro-dollars / s
    expect(store.rows()).toEqual([
      expect.objectContaining({
        kind: 'transcription',
        model: 'whisper-1',
        promptTokens: 0,
        costMicros: 200,
        metadata: expect.objectContaining({ audioSeconds: 2 }),
      }),
    ]);
  });

  it('uses the userId option for the row', async () => {
    const { server, store } = await serverWith({
      transcriber: { userId: (context) => `org:${context.userId}` },
    });
    await server.handle(transcribeRequest(100), alice);
    expect(store.rows().map((row) => row.userId)).toEqual([`org:${alice.userId}`]);
  });

  it('records a provider failure with its code, and nothing for audio refused before calling OpenAI', async () => {
    const { server, store } = await serverWith({
      script: {
        rules: [{ match: { endpoint: 'audio.transcriptions' }, reply: { error: { status: 429 } }, times: 1 }],
      },
    });
    const refused = await server.handle(transcribeRequest(10, 'audio/aiff'), alice);
    expect(refused.status).toBe(400);
    expect(store.rows()).toHaveLength(0);
    const limited = await server.handle(transcribeRequest(10), alice);
    expect(limited.status).toBe(429);
    expect(store.rows()).toEqual([
      expect.objectContaining({
        kind: 'transcription',
        costMicros: 0,
        error: expect.any(String),
        metadata: expect.objectContaining({ error_code: 'rate_limited' }),
      }),
    ]);
  });

  it('answers the transcript when recording fails, and hands the error to onUsageError', async () => {
    const failures: Array<{ error: unknown; userId: string }> = [];
    const { server } = await serverWith({
      recorder: {
        recordUsage: () => Promise.reject(new Error('usage database down')),
      },
      transcriber: { onUsageError: (error, context) => failures.push({ error, userId: context.userId }) },
    });
    const response = await server.handle(transcribeRequest(2048), alice);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { text: string }).text).toContain('transcript of 2048 bytes');
    expect(failures).toEqual([{ error: new Error('usage database down'), userId: alice.userId }]);
  });

  it('records an answer without usage as unpriced, never $0', async () => {
    const store = createMemoryUsageStore();
    const transcribe = createOpenAITranscriber<Ctx>({
      client: { audio: { transcriptions: { create: async () => ({ text: 'hello' }) } } },
      usage: createUsageRecorder({ store, prices: createPriceTable() }),
    });
    await expect(
      transcribe({ data: new Uint8Array(10), mime_type: 'audio/wav', media_type: 'audio/wav' }, alice),
    ).resolves.toEqual({ text: 'hello' });
    expect(store.rows()).toEqual([
      expect.objectContaining({
        kind: 'transcription',
        costMicros: null,
        metadata: expect.objectContaining({ unpriced: 'the transcription answer carried no usage' }),
      }),
    ]);
  });
});
