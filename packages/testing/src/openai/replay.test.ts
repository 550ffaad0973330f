import OpenAI, { type APIError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  createFakeOpenAI,
  type FakeEndpoint,
  type FakeOpenAI,
  listOpenAIFixtures,
  type OpenAIFixture,
  readOpenAIFixture,
} from '../index';

const ENDPOINTS: FakeEndpoint[] = [
  'responses',
  'chat.completions',
  'images.generations',
  'moderations',
  'other',
];
const fixtures = listOpenAIFixtures();

/** A fake that replays `file` for every request. */
function replaying(file: string): Promise<FakeOpenAI> {
  return createFakeOpenAI({
    script: { rules: ENDPOINTS.map((endpoint) => ({ match: { endpoint }, reply: { replay: file } })) },
  });
}

async function drain(stream: AsyncIterable<unknown>): Promise<{ events: unknown[]; error?: unknown }> {
  const events: unknown[] = [];
  try {
    for await (const event of stream) events.push(event);
  } catch (error) {
    return { events, error };
  }
  return { events };
}

function dataLines(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('data: ') && line !== 'data: [DONE]')
    .map((line) => line.slice(6));
}

interface Interaction {
  request: { method: string; uri: string; parsed_body?: Record<string, unknown> };
  response: { status: { code: number }; body?: { string?: string }; parsed_body?: unknown };
}

describe('every shared fixture replayed through the openai SDK', () => {
  it('covers all fixtures listed in MANIFEST.md', () => {
    expect(fixtures.length).toBe(35);
  });

  describe.each(fixtures)('$file ($format, $api)', (fixture: OpenAIFixture) => {
    let fake: FakeOpenAI;
    let client: OpenAI;
    beforeAll(async () => {
      fake = await replaying(fixture.file);
      client = new OpenAI({ apiKey: 'test', baseURL: fake.url, maxRetries: 0 });
    });
    afterAll(() => fake.close());

    it('is parsed by the SDK without error (or as the recorded API error)', async () => {
      const text = readOpenAIFixture(fixture.file).toString('utf8');
      if (fixture.format === 'JSONL' || fixture.format === 'raw-SSE') {
        const expected =
          fixture.format === 'JSONL'
            ? text.split('\n').filter((line) => line.trim() !== '')
            : dataLines(text);
        const { events, error } =
          fixture.api === 'responses'
            ? await drain(await client.responses.create({ model: 'gpt-4.1', input: 'replay', stream: true }))
            : await drain(
                await client.chat.completions.create({
                  model: 'gpt-4o',
                  messages: [{ role: 'user', content: 'replay' }],
                  stream: true,
                }),
              );
        const errorAt = expected.findIndex((line) => /^\{"type":"error"/.test(line));
        if (errorAt >= 0) {
          // The recorded `error` event: openai-node throws APIError on it, after the events before it.
          expect(error).toBeInstanceOf(OpenAI.APIError);
          expect(events).toEqual(expected.slice(0, errorAt).map((line) => JSON.parse(line)));
        } else {
          expect(error).toBeUndefined();
          expect(events).toEqual(expected.map((line) => JSON.parse(line)));
        }
        return;
      }
      if (fixture.format === 'JSON') {
        const body = JSON.parse(text) as { error?: { message: string } };
        const call = (): Promise<unknown> => {
          if (fixture.api === 'responses')
            return client.responses.create({ model: 'gpt-4.1', input: 'replay' });
          if (fixture.api === 'chat.completions')
            return client.chat.completions.create({
              model: 'gpt-4o',
              messages: [{ role: 'user', content: 'replay' }],
            });
          if (fixture.api === 'images')
            return client.images.generate({ model: 'dall-e-3', prompt: 'replay' });
          return client.embeddings.create({ model: 'text-embedding-3-small', input: 'replay' });
        };
        const result = await call().catch((error: unknown) => error);
        if (body.error) {
          expect(result).toBeInstanceOf(OpenAI.APIError);
          expect((result as APIError).error).toEqual(body.error);
        } else {
          // The SDK adds derived fields (e.g. `output_text`); everything recorded must be there unchanged.
          expect(result).toMatchObject(body);
        }
        return;
      }
      // VCR cassette: send each recorded request with its recorded body; check status and content.
      const interactions = (parse(text) as { interactions: Interaction[] }).interactions;
      for (const interaction of interactions) {
        const path = new URL(interaction.request.uri).pathname;
        const requestBody = interaction.request.parsed_body ?? {};
        const status = interaction.response.status.code;
        const raw = interaction.response.body?.string;
        let outcome: unknown;
        if (path === '/v1/responses' && requestBody.stream === true && status === 200) {
          const { events, error } = await drain(
            await client.responses.create(
              requestBody as unknown as OpenAI.Responses.ResponseCreateParamsStreaming,
            ),
          );
          expect(error).toBeUndefined();
          expect(events).toEqual(dataLines(raw ?? '').map((line) => JSON.parse(line)));
          continue;
        }
        if (path === '/v1/chat/completions' && requestBody.stream === true && status === 200) {
          const { events, error } = await drain(
            await client.chat.completions.create(
              requestBody as unknown as OpenAI.Chat.Completions.ChatCompletionCreateParamsStreaming,
            ),
          );
          expect(error).toBeUndefined();
          expect(events).toEqual(dataLines(raw ?? '').map((line) => JSON.parse(line)));
          continue;
        }
        if (path === '/v1/responses')
          outcome = await client.responses.create(requestBody as never).catch((error: unknown) => error);
        else if (path === '/v1/chat/completions')
          outcome = await client.chat.completions
            .create(requestBody as never)
            .catch((error: unknown) => error);
        else if (path === '/v1/conversations')
          outcome = await client.conversations.create(requestBody as never).catch((error: unknown) => error);
        else if (path.startsWith('/v1/conversations/') && interaction.request.method === 'DELETE')
          outcome = await client.conversations
            .delete(path.slice('/v1/conversations/'.length))
            .catch((error: unknown) => error);
        else throw new Error(`no SDK call for ${interaction.request.method} ${path}`);
        if (status >= 400) {
          expect(outcome).toBeInstanceOf(OpenAI.APIError);
          expect((outcome as APIError).status).toBe(status);
          expect((outcome as APIError).error).toEqual(
            (interaction.response.parsed_body as { error: unknown }).error,
          );
        } else {
          expect(outcome).toMatchObject(interaction.response.parsed_body as object);
        }
      }
      expect(fake.calls).toHaveLength(interactions.length);
    });
  });

  it('serves raw SSE bytes exactly as recorded', async () => {
    const file = fixtures.find((fixture) => fixture.format === 'raw-SSE')!.file;
    const fake = await replaying(file);
    try {
      const response = await fetch(`${fake.url}/chat/completions`, {
        method: 'POST',
        headers: { authorization: 'Bearer test', 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o', messages: [], stream: true }),
      });
      expect(Buffer.from(await response.arrayBuffer())).toEqual(readOpenAIFixture(file));
      expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    } finally {
      await fake.close();
    }
  });

  it('replays a recorded stream with pacing and a dropped connection when the reply asks for faults', async () => {
    const file = 'openai-shell-local-multiturn.1.chunks.txt';
    const fake = await createFakeOpenAI({
      script: {
        rules: [
          {
            replies: [
              { replay: file, faults: { tokenIntervalMs: 5 } },
              { replay: file, faults: { dropAfter: 4 } },
            ],
          },
        ],
      },
    });
    try {
      const client = new OpenAI({ apiKey: 'test', baseURL: fake.url, maxRetries: 0 });
      const lines = readOpenAIFixture(file).toString('utf8').trim().split('\n');
      const started = performance.now();
      const paced = await drain(
        await client.responses.create({ model: 'gpt-4.1', input: 'x', stream: true }),
      );
      expect(paced.error).toBeUndefined();
      expect(paced.events).toEqual(lines.map((line) => JSON.parse(line)));
      expect(performance.now() - started).toBeGreaterThanOrEqual((lines.length - 1) * 5 - 5);
      const cut = await drain(await client.responses.create({ model: 'gpt-4.1', input: 'x', stream: true }));
      expect(cut.error).toBeInstanceOf(Error);
      expect(cut.events).toEqual(lines.slice(0, 4).map((line) => JSON.parse(line)));
    } finally {
      await fake.close();
    }
  });
});
