import { Agent, OpenAIProvider, Runner, setTracingDisabled, tool } from '@openai/agents';
import OpenAI from 'openai';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createFakeOpenAI, type FakeOpenAI } from '../index';

let fake: FakeOpenAI | undefined;
beforeAll(() => setTracingDisabled(true));
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function runnerFor(server: FakeOpenAI, useResponses = true): Runner {
  const client = new OpenAI({ apiKey: 'test', baseURL: server.url, maxRetries: 0 });
  return new Runner({
    modelProvider: new OpenAIProvider({ openAIClient: client, useResponses }),
    tracingDisabled: true,
  });
}

function weatherAgent(executed: string[]) {
  const getWeather = tool({
    name: 'get_weather',
    description: 'Weather of a city',
    parameters: z.object({ city: z.string() }),
    execute: async ({ city }) => {
      executed.push(`weather:${city}`);
      return `Sunny in ${city}`;
    },
  });
  const getTime = tool({
    name: 'get_time',
    description: 'Local time of a city',
    parameters: z.object({ city: z.string() }),
    execute: async ({ city }) => {
      executed.push(`time:${city}`);
      return `12:00 in ${city}`;
    },
  });
  return new Agent({
    name: 'Assistant',
    instructions: 'Use the tools.',
    model: 'gpt-4.1',
    tools: [getWeather, getTime],
  });
}

describe('@openai/agents run() against the fake', () => {
  it('executes two parallel tool calls in a streamed run, then streams the final answer', async () => {
    fake = await createFakeOpenAI({
      script: {
        fallback: 'error',
        rules: [
          {
            match: { hasToolOutput: true },
            reply: { text: 'It is sunny in Paris and it is noon.' },
          },
          {
            match: { hasToolOutput: false, lastUserText: 'Paris' },
            reply: {
              toolCalls: [
                { name: 'get_weather', arguments: { city: 'Paris' }, callId: 'call_weather' },
                { name: 'get_time', arguments: { city: 'Paris' }, callId: 'call_time' },
              ],
            },
          },
        ],
      },
    });
    const executed: string[] = [];
    const result = await runnerFor(fake).run(weatherAgent(executed), 'Weather and time in Paris?', {
      stream: true,
    });
    let streamedText = '';
    for await (const event of result.toTextStream()) streamedText += event;
    await result.completed;
    expect(executed.sort()).toEqual(['time:Paris', 'weather:Paris']);
    expect(result.finalOutput).toBe('It is sunny in Paris and it is noon.');
    expect(streamedText).toBe('It is sunny in Paris and it is noon.');
    expect(fake.calls).toHaveLength(2);
    expect(fake.calls.every((call) => (call.body as { stream?: boolean }).stream === true)).toBe(true);
    const secondInput = (
      fake.calls[1]!.body as { input: { type?: string; call_id?: string; output?: unknown }[] }
    ).input;
    const outputs = secondInput.filter((item) => item.type === 'function_call_output');
    expect(outputs.map((item) => item.call_id).sort()).toEqual(['call_time', 'call_weather']);
    expect(JSON.stringify(outputs)).toContain('Sunny in Paris');
  });

  it('executes a tool call in a non-streamed run and reports usage', async () => {
    fake = await createFakeOpenAI({
      script: {
        fallback: 'error',
        rules: [
          {
            replies: [
              { toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }] },
              { text: 'Sunny in Oslo.' },
            ],
          },
        ],
      },
    });
    const executed: string[] = [];
    const result = await runnerFor(fake).run(weatherAgent(executed), 'Weather in Oslo?');
    expect(executed).toEqual(['weather:Oslo']);
    expect(result.finalOutput).toBe('Sunny in Oslo.');
    expect(fake.calls.map((call) => (call.body as { stream?: boolean }).stream ?? false)).toEqual([
      false,
      false,
    ]);
    expect(result.state.usage.requests).toBe(2);
    expect(result.state.usage.outputTokens).toBeGreaterThan(0);
  });

  it('runs the same tool loop over Chat Completions (streamed), tool calls accumulated by index', async () => {
    fake = await createFakeOpenAI({
      script: {
        fallback: 'error',
        rules: [
          {
            match: { endpoint: 'chat.completions', hasToolOutput: true },
            reply: { text: 'Noon and sunny in Rome.' },
          },
          {
            match: { endpoint: 'chat.completions' },
            reply: {
              toolCalls: [
                { name: 'get_weather', arguments: { city: 'Rome' } },
                { name: 'get_time', arguments: { city: 'Rome' } },
              ],
            },
          },
        ],
      },
    });
    const executed: string[] = [];
    const result = await runnerFor(fake, false).run(weatherAgent(executed), 'Rome?', { stream: true });
    for await (const _event of result) {
      // drain
    }
    await result.completed;
    expect(executed.sort()).toEqual(['time:Rome', 'weather:Rome']);
    expect(result.finalOutput).toBe('Noon and sunny in Rome.');
    expect(fake.calls.map((call) => call.path)).toEqual(['/v1/chat/completions', '/v1/chat/completions']);
    const messages = (fake.calls[1]!.body as { messages: { role: string }[] }).messages;
    expect(messages.filter((message) => message.role === 'tool')).toHaveLength(2);
  });

  it('answers a structured-output agent offline with a schema-valid, labelled instance', async () => {
    fake = await createFakeOpenAI();
    const agent = new Agent({
      name: 'Extractor',
      model: 'gpt-4.1',
      outputType: z.object({
        title: z.string(),
        count: z.number().int(),
        tags: z.array(z.string()),
        mood: z.enum(['happy', 'sad']),
        nested: z.object({ ok: z.boolean(), note: z.string().nullable() }),
      }),
    });
    const result = await runnerFor(fake).run(agent, 'Extract the fields');
    expect(result.finalOutput).toEqual({
      title: '[offline demo model]',
      count: 0,
      tags: [],
      mood: 'happy',
      nested: { ok: false, note: '[offline demo model]' },
    });
  });

  for (const useResponses of [true, false]) {
    it(`scripts a handoff, the specialist's tool and an answer quoting its result (${useResponses ? 'Responses' : 'Chat Completions'})`, async () => {
      fake = await createFakeOpenAI({
        script: {
          fallback: 'error',
          rules: [
            { match: { lastToolName: '^$' }, reply: { toolCalls: [{ name: 'transfer_to_weather' }] } },
            {
              match: { lastToolName: '^transfer_to_weather$' },
              reply: (request) => ({
                toolCalls: [
                  { name: 'get_weather', arguments: { city: request.lastUserText.split(' ').at(-1)! } },
                ],
              }),
            },
            {
              match: { lastToolName: '^get_weather$' },
              reply: (request) => ({ text: `${request.instructions} ${request.lastToolOutput}.` }),
            },
          ],
        },
      });
      const executed: string[] = [];
      const weather = weatherAgent(executed).clone({ name: 'weather', instructions: 'Weather desk:' });
      const triage = new Agent({
        name: 'triage',
        instructions: 'Route.',
        model: 'gpt-4.1',
        handoffs: [weather],
      });
      const result = await runnerFor(fake, useResponses).run(triage, 'Weather in Oslo', { stream: true });
      for await (const _event of result) {
        // drain
      }
      await result.completed;
      expect(executed).toEqual(['weather:Oslo']);
      expect(result.lastAgent?.name).toBe('weather');
      expect(result.finalOutput).toBe('Weather desk: Sunny in Oslo.');
    });
  }
});
