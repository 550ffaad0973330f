import { Agent, Runner, setTracingDisabled } from '@openai/agents';
import { generateImage } from '@relaykit/image-gen';
import { isRelayKitError, type RelayKitError } from '@relaykit/sse-protocol';
import { createFakeOpenAI, type FakeOpenAI } from '@relaykit/testing';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { createOpenAITranscriber } from '../server/transcribe';
import { createModelAccess } from './model-access';
import { knownRunError } from './provider-errors';

setTracingDisabled(true);

/** One provider answer, and the code every surface must give for it. */
const CASES = [
  {
    name: '401 bad key',
    error: { status: 401, code: 'invalid_api_key', message: 'Incorrect API key provided: sk-abc***xyz' },
    code: 'configuration',
    retryable: false,
  },
  {
    name: '429 quota',
    error: {
      status: 429,
      code: 'insufficient_quota',
      type: 'insufficient_quota',
      message: 'You exceeded your current quota',
    },
    code: 'quota_exceeded',
    retryable: false,
  },
  {
    name: '429 rate limit',
    error: {
      status: 429,
      code: 'rate_limit_exceeded',
      message: 'Rate limit reached in organization org-1',
      retryAfterMs: 1500,
    },
    code: 'rate_limited',
    retryable: true,
  },
  {
    name: '400 content policy',
    error: { status: 400, code: 'content_policy_violation', message: 'Rejected by our safety system.' },
    code: 'content_policy',
    retryable: false,
  },
  {
    name: '400 other',
    error: { status: 400, code: 'invalid_value', message: 'Invalid value.' },
    code: 'provider_error',
    retryable: false,
  },
  {
    name: '503 overloaded',
    error: { status: 503, type: 'server_error', message: 'overloaded' },
    code: 'provider_unavailable',
    retryable: true,
  },
] as const;

async function caught(run: () => Promise<unknown>): Promise<RelayKitError> {
  try {
    await run();
  } catch (error) {
    if (isRelayKitError(error)) return error;
    const known = knownRunError(error);
    if (known) return known;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('one OpenAI error mapping for chat, images and transcription', () => {
  let fake: FakeOpenAI | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it.each(CASES)('$name → $code everywhere', async (entry) => {
    // The same error answer on every endpoint the three surfaces call.
    fake = await createFakeOpenAI({
      script: {
        rules: [
          { match: { endpoint: 'images.generations' }, reply: { error: entry.error } },
          { match: { endpoint: 'audio.transcriptions' }, reply: { error: entry.error } },
          { reply: { error: entry.error } },
        ],
        fallback: 'error',
      },
    });
    const client = new OpenAI({ apiKey: 'test', baseURL: fake.url, maxRetries: 0 });
    const access = createModelAccess({ apiKey: 'test', baseURL: fake.url, maxRetries: 0 });
    const chat = await caught(async () => {
      const runner = new Runner({ modelProvider: await access.providerFor({}), tracingDisabled: true });
      const agent = new Agent({ name: 'a', instructions: 'Be brief.', model: 'gpt-4.1-mini' });
      const result = await runner.run(agent, 'hi', { stream: true });
      for await (const _event of result) {
        // drain the stream; the failure surfaces on `completed`
      }
      await result.completed;
    });
    const image = await caught(() => generateImage({ client, prompt: 'a cat', model: 'gpt-image-1' }));
    const transcribe = createOpenAITranscriber({ client });
    const transcription = await caught(() =>
      transcribe({ data: new Uint8Array([1, 2, 3]), mime_type: 'audio/webm', media_type: 'audio/webm' }, {}),
    );
    for (const [surface, error] of [
      ['chat', chat],
      ['images', image],
      ['transcription', transcription],
    ] as const) {
      expect(error.code, surface).toBe(entry.code);
      expect(error.retryable, surface).toBe(entry.retryable);
      expect(error.message, surface).not.toMatch(/sk-abc|org-1/);
    }
  });
});
