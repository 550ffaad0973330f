import OpenAI, { type APIError } from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { countInputTokens, countTokens, createFakeOpenAI, type FakeOpenAI, type FakeScript } from '../index';

let fake: FakeOpenAI | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(script?: FakeScript) {
  fake = await createFakeOpenAI(script ? { script } : {});
  return new OpenAI({ apiKey: 'test', baseURL: fake.url, maxRetries: 0 });
}

describe('POST /v1/chat/completions through the openai SDK', () => {
  it('streams text with include_usage: a final usage chunk with choices [] and [DONE]', async () => {
    const client = await start({ rules: [{ reply: { text: 'Streaming chat works.' } }] });
    const stream = await client.chat.completions.create({
      model: 'gpt-4.1-mini',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Say it.' },
      ],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks[0]!.choices[0]!.delta).toEqual({ role: 'assistant', content: '', refusal: null });
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(
      'Streaming chat works.',
    );
    expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe('stop');
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    const promptTokens = countInputTokens(['You are terse.', 'Say it.']);
    expect(last.usage).toMatchObject({
      prompt_tokens: promptTokens,
      completion_tokens: countTokens('Streaming chat works.'),
      total_tokens: promptTokens + countTokens('Streaming chat works.'),
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0 },
    });
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);

    const raw = await fetch(`${fake!.url}/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer test', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'x' }], stream: true }),
    });
    const body = await raw.text();
    expect(body.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(body).not.toContain('event:');
  });

  it('streams parallel tool calls by index, and the SDK accumulates them', async () => {
    const client = await start({
      rules: [
        {
          reply: {
            toolCalls: [
              { name: 'get_weather', arguments: { city: 'Rome' } },
              { name: 'get_stock_price', arguments: '{"ticker":"ACME"}' },
            ],
          },
        },
      ],
    });
    const stream = client.chat.completions.stream({
      model: 'gpt-4.1',
      messages: [{ role: 'user', content: 'weather and stock' }],
      tools: [
        {
          type: 'function',
          function: { name: 'get_weather', parameters: { type: 'object', properties: {} } },
        },
        {
          type: 'function',
          function: { name: 'get_stock_price', parameters: { type: 'object', properties: {} } },
        },
      ],
    });
    const indexes = new Set<number>();
    stream.on('chunk', (chunk) => {
      for (const call of chunk.choices[0]?.delta.tool_calls ?? []) indexes.add(call.index);
    });
    const completion = await stream.finalChatCompletion();
    expect([...indexes]).toEqual([0, 1]);
    const choice = completion.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    expect(
      choice.message.tool_calls?.map(
        (call) => call.type === 'function' && [call.function.name, call.function.arguments],
      ),
    ).toEqual([
      ['get_weather', '{"city":"Rome"}'],
      ['get_stock_price', '{"ticker":"ACME"}'],
    ]);
  });

  it('answers non-streamed with message, tool results round trip and usage', async () => {
    const client = await start({
      rules: [
        { match: { hasToolOutput: true }, reply: { text: 'Done with the tool.' } },
        { reply: { toolCalls: [{ name: 'lookup', arguments: { q: 'x' }, callId: 'call_1' }] } },
      ],
    });
    const first = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'go' }],
    });
    expect(first.object).toBe('chat.completion');
    expect(first.choices[0]!.message.tool_calls?.[0]?.id).toBe('call_1');
    const second = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [
        { role: 'user', content: 'go' },
        first.choices[0]!.message,
        { role: 'tool', tool_call_id: 'call_1', content: 'result' },
      ],
    });
    expect(second.choices[0]!.message.content).toBe('Done with the tool.');
    expect(second.choices[0]!.finish_reason).toBe('stop');
    expect(second.usage?.completion_tokens).toBe(countTokens('Done with the tool.'));
  });

  it('streams a refusal via delta.refusal and ends a dropped stream with an SDK error', async () => {
    const client = await start({
      rules: [
        {
          replies: [
            { refusal: "I'm sorry, I can't assist." },
            { text: 'a b c d e', faults: { dropAfter: 1 } },
          ],
        },
      ],
    });
    const refusal = await client.chat.completions
      .stream({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] })
      .finalChatCompletion();
    expect(refusal.choices[0]!.message.refusal).toBe("I'm sorry, I can't assist.");
    expect(refusal.choices[0]!.message.content).toBeNull();

    const stream = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
    });
    const error = await (async () => {
      for await (const _chunk of stream) {
        // drain
      }
    })().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
  });

  it('sends a mid-stream error chunk that the SDK throws', async () => {
    const client = await start({ rules: [{ reply: { text: 'a b c', faults: { errorEventAfter: 2 } } }] });
    const stream = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
    });
    const error = await (async () => {
      for await (const _chunk of stream) {
        // drain
      }
    })().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as APIError).message).toContain('The server had an error');
  });
});
