// The README's quick start for the fake OpenAI server, kept honest by running it.
import OpenAI from 'openai';
import { expect, it } from 'vitest';
import { createFakeOpenAI } from '../index';

it('quick start: script a tool call, then a streamed answer, through the real SDK', async () => {
  const toolCalls = [{ name: 'get_weather', arguments: { city: 'Paris' } }];
  const fake = await createFakeOpenAI({
    script: {
      rules: [{ match: { hasToolOutput: true }, reply: { text: 'It is 18 °C.' } }, { reply: { toolCalls } }],
    },
  });
  const client = new OpenAI({ apiKey: 'test', baseURL: fake.url });
  const first = await client.responses.create({ model: 'gpt-4.1', input: 'What is the weather in Paris?' });
  const call = first.output[0] as OpenAI.Responses.ResponseFunctionToolCall; // { name: 'get_weather', … }
  const input = [{ type: 'function_call_output' as const, call_id: call.call_id, output: '18 °C' }];
  const next = { model: 'gpt-4.1', input, previous_response_id: first.id, stream: true as const };
  let text = '';
  for await (const event of await client.responses.create(next))
    if (event.type === 'response.output_text.delta') text += event.delta;
  expect(text).toBe('It is 18 °C.');
  expect(fake.calls).toHaveLength(2); // method, path, headers (no Authorization) and parsed body of each request
  await fake.close();
});
