// biome-ignore-all lint/suspicious/noExplicitAny: the tests read AI SDK call options and SDK events loosely.
import { Agent, Runner, setTracingDisabled, tool, webSearchTool } from '@openai/agents';
import { createMemoryStore } from '@relaykit/chatkit-store';
import { createMemoryUsageStore, createPriceTable, createUsageRecorder } from '@relaykit/usage-tracker';
import { APICallError } from 'ai';
import { MockLanguageModelV3, MockLanguageModelV4 } from 'ai/test';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '../agents/define-agent';
import { createAgentRegistry } from '../agents/registry';
import { createChatStream } from '../http/chat-stream';
import { createChatKitServer } from '../http/chatkit-server';
import { aiSdkModel, createAiSdkModelAccess } from './ai-sdk-model';
import { partStream, replyParts, scriptedLanguageModel } from './scripted-language-model';

setTracingDisabled(true);

const weather = tool({
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: z.object({ city: z.string() }),
  execute: async ({ city }) => `18 °C in ${city}`,
});
const rules = [
  { match: { hasToolOutput: true }, reply: { text: 'It is 18 °C in Paris.' } },
  { reply: { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' }, callId: 'call_1' }] } },
];

async function streamed(agent: Agent<any, any>, input = 'Weather in Paris?', signal?: AbortSignal) {
  const result = await new Runner({ tracingDisabled: true }).run(agent, input, {
    stream: true,
    ...(signal ? { signal } : {}),
  });
  const events: any[] = [];
  for await (const event of result) events.push(event);
  await result.completed;
  return { result, events };
}

describe('aiSdkModel', () => {
  it.each(['v4', 'v3'] as const)(
    'runs an agent on a %s language model: prompt, tools, tool call and result, streamed text, usage',
    async (version) => {
      const model = scriptedLanguageModel(rules, version);
      const agent = new Agent({
        name: 'helper',
        instructions: 'Be brief.',
        model: aiSdkModel(model),
        tools: [weather],
      });
      const { result, events } = await streamed(agent);
      expect(result.finalOutput).toBe('It is 18 °C in Paris.');
      const [first, second] = model.doStreamCalls as any[];
      expect(first.prompt).toEqual([
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
      ]);
      expect(first.tools).toEqual([
        expect.objectContaining({
          type: 'function',
          name: 'get_weather',
          description: 'Weather for a city',
          inputSchema: expect.objectContaining({ type: 'object', properties: { city: { type: 'string' } } }),
        }),
      ]);
      expect(second.prompt.slice(2)).toEqual([
        {
          role: 'assistant',
          content: [
            { type: 'tool-call', toolCallId: 'call_1', toolName: 'get_weather', input: { city: 'Paris' } },
          ],
        },
        {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: 'call_1',
              toolName: 'get_weather',
              output: { type: 'text', value: '18 °C in Paris' },
            },
          ],
        },
      ]);
      const deltas = events.filter((event) => event.data?.type === 'output_text_delta');
      expect(deltas.map((event) => event.data.delta).join('')).toBe('It is 18 °C in Paris.');
      expect(new Set(deltas.map((event) => event.data.itemId)).size).toBe(1);
      const done = events
        .filter((event) => event.data?.type === 'response_done')
        .map((event) => event.data.response);
      expect(done).toHaveLength(2);
      expect(done[1].id).toBe('mockresp-2');
      expect(done[1].providerData).toMatchObject({
        model: 'mock-model',
        provider: 'mock-provider',
        finishReason: 'stop',
      });
      expect(done[0].providerData.finishReason).toBe('tool-calls');
      expect(done[1].usage.inputTokens).toBeGreaterThan(0);
      expect(result.state.usage.requests).toBe(2);
      // The raw AI SDK parts are passed on as raw model events.
      expect(events.some((event) => event.data?.type === 'model' && event.data.event.type === 'finish')).toBe(
        true,
      );
    },
  );

  it('maps usage: cached (cache read), cache-write and reasoning tokens', async () => {
    const model = new MockLanguageModelV4({
      doStream: async () => ({
        stream: partStream([
          { type: 'text-delta', id: 't', delta: 'Hi' },
          {
            type: 'finish',
            usage: {
              inputTokens: { total: 100, noCache: 60, cacheRead: 30, cacheWrite: 10 },
              outputTokens: { total: 20, text: 12, reasoning: 8 },
            },
            finishReason: { unified: 'stop', raw: 'stop' },
          },
        ]) as any,
      }),
    });
    const { events } = await streamed(new Agent({ name: 'a', instructions: 'x', model: aiSdkModel(model) }));
    const usage = events.find((event) => event.data?.type === 'response_done').data.response.usage;
    expect(usage).toEqual({
      inputTokens: 100,
      outputTokens: 20,
      totalTokens: 120,
      inputTokensDetails: { cached_tokens: 30, cache_write_tokens: 10 },
      outputTokensDetails: { reasoning_tokens: 8 },
    });
  });

  it('answers without streaming (getResponse / doGenerate): text, tool call and usage', async () => {
    let call = 0;
    const model = new MockLanguageModelV4({
      doGenerate: async () => {
        call += 1;
        return {
          content:
            call === 1
              ? [{ type: 'tool-call', toolCallId: 'c1', toolName: 'get_weather', input: '{"city":"Oslo"}' }]
              : [
                  { type: 'reasoning', text: 'Thinking.' },
                  { type: 'text', text: 'Cold in Oslo.' },
                ],
          finishReason: { unified: call === 1 ? 'tool-calls' : 'stop', raw: undefined },
          usage: {
            inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 },
            outputTokens: { total: 4, text: 4, reasoning: 0 },
          },
          warnings: [],
        } as any;
      },
    });
    const agent = new Agent({ name: 'a', instructions: 'x', model: aiSdkModel(model), tools: [weather] });
    const result = await new Runner({ tracingDisabled: true }).run(agent, 'Oslo?');
    expect(result.finalOutput).toBe('Cold in Oslo.');
    expect(result.state.usage).toMatchObject({ requests: 2, inputTokens: 20, outputTokens: 8 });
  });

  it('maps provider errors to RelayKit errors: 429 rate_limited (retry-after), 401 configuration, an error part', async () => {
    const failing = (error: unknown) =>
      new Agent({
        name: 'a',
        instructions: 'x',
        model: aiSdkModel(
          new MockLanguageModelV4({
            doStream: async () => {
              throw error;
            },
          }),
        ),
      });
    const apiError = (statusCode: number, responseHeaders?: Record<string, string>) =>
      new APICallError({
        message: 'nope',
        url: 'https://x.invalid',
        requestBodyValues: {},
        statusCode,
        responseHeaders,
      });
    await expect(streamed(failing(apiError(429, { 'retry-after': '2' })))).rejects.toMatchObject({
      code: 'rate_limited',
      retryable: true,
      retryAfterMs: 2000,
    });
    await expect(streamed(failing(apiError(401)))).rejects.toMatchObject({ code: 'configuration' });
    const errorPart = new MockLanguageModelV4({
      doStream: async () => ({
        stream: partStream([
          { type: 'text-delta', id: 't', delta: 'Hal' },
          { type: 'error', error: apiError(503) },
        ]) as any,
      }),
    });
    await expect(
      streamed(new Agent({ name: 'a', instructions: 'x', model: aiSdkModel(errorPart) })),
    ).rejects.toMatchObject({ code: 'provider_unavailable', retryable: true });
  });

  it('passes the abort signal; aborting mid-stream ends the run', async () => {
    const model = new MockLanguageModelV4({
      doStream: async (options: any) => ({
        stream: partStream(
          replyParts({ text: 'one two three four five six seven eight' }, [], 1),
          100,
          options.abortSignal,
        ) as any,
      }),
    });
    const abort = new AbortController();
    const result = await new Runner({ tracingDisabled: true }).run(
      new Agent({ name: 'a', instructions: 'x', model: aiSdkModel(model) }),
      'Count',
      { stream: true, signal: abort.signal },
    );
    const deltas: string[] = [];
    for await (const event of result as AsyncIterable<any>) {
      if (event.data?.type === 'output_text_delta') {
        deltas.push(event.data.delta);
        if (deltas.length === 2) abort.abort();
      }
    }
    expect((model.doStreamCalls[0] as any).abortSignal).toBeInstanceOf(AbortSignal);
    expect((model.doStreamCalls[0] as any).abortSignal.aborted).toBe(true);
    expect(deltas.join('').length).toBeLessThan('one two three four five six seven eight'.length);
  });

  it('a content filter with no output becomes a refusal; a v2 model and OpenAI hosted tools are configuration errors', async () => {
    const filtered = aiSdkModel(
      new MockLanguageModelV4({
        doStream: async () => ({
          stream: partStream([
            { type: 'finish', usage: {}, finishReason: { unified: 'content-filter', raw: 'content_filter' } },
          ]) as any,
        }),
      }),
    );
    const events: any[] = [];
    for await (const event of filtered.getStreamedResponse({
      input: 'x',
      modelSettings: {},
      tools: [],
      outputType: 'text',
      handoffs: [],
      tracing: false,
    }))
      events.push(event);
    expect(events.at(-1).response.output).toEqual([
      expect.objectContaining({ type: 'message', content: [expect.objectContaining({ type: 'refusal' })] }),
    ]);
    expect(() => aiSdkModel({ ...new MockLanguageModelV3(), specificationVersion: 'v2' } as any)).toThrow(
      expect.objectContaining({ code: 'configuration' }),
    );
    const hosted = new Agent({
      name: 'a',
      instructions: 'x',
      model: aiSdkModel(new MockLanguageModelV4()),
      tools: [webSearchTool()],
    });
    await expect(streamed(hosted)).rejects.toMatchObject({ code: 'configuration' });
  });
});

describe('createAiSdkModelAccess through the agents responder and the simple stream', () => {
  it('createChatStream streams the text, the tool call (toolProgress) and the usage of an AI-SDK model', async () => {
    const model = scriptedLanguageModel(rules);
    const helper = defineAgent({
      type: 'helper',
      description: 'Weather helper',
      metadata: z.object({}),
      instructions: 'Be brief.',
      tools: [weather],
    });
    const usageStore = createMemoryUsageStore();
    const server = createChatKitServer({
      store: createMemoryStore(),
      agents: {
        registry: createAgentRegistry([helper]),
        modelAccess: createAiSdkModelAccess({ model }),
        usage: createUsageRecorder({ store: usageStore, prices: createPriceTable() }),
        toolProgress: true,
      },
    });
    const userId = crypto.randomUUID();
    const response = await createChatStream(
      server,
      { message: 'Weather in Paris?', heartbeatMs: 0 },
      { userId },
    );
    const events = (await response.text())
      .split('\n\n')
      .filter((frame) => frame.includes('data: '))
      .map((frame) => {
        const line = (key: string) =>
          frame
            .split('\n')
            .find((entry) => entry.startsWith(`${key}: `))
            ?.slice(key.length + 2) ?? '';
        return { event: line('event'), data: JSON.parse(line('data')) };
      });
    expect(events[0]).toMatchObject({ event: 'session', data: { userId } });
    expect(
      events.filter((event) => event.event === 'tool').map((event) => [event.data.name, event.data.status]),
    ).toEqual([
      ['Calling get_weather', 'started'],
      ['Calling get_weather', 'completed'],
    ]);
    expect(
      events
        .filter((event) => event.event === 'chunk')
        .map((event) => event.data.text)
        .join(''),
    ).toBe('It is 18 °C in Paris.');
    expect(events.find((event) => event.event === 'text_done')?.data.text).toBe('It is 18 °C in Paris.');
    const done = events.find((event) => event.event === 'response_done')?.data.response;
    expect(done.id).toBe('mockresp-2');
    expect(done.usage.inputTokens).toBeGreaterThan(0);
    expect(done.usage.outputTokens).toBeGreaterThan(0);
    expect(events.at(-1)?.event).toBe('done');
    const summary = await createUsageRecorder({
      store: usageStore,
      prices: createPriceTable(),
    }).getUsageSummary(userId, {
      from: new Date(0),
      to: new Date(Date.now() + 60_000),
    });
    expect(summary.chatRequests).toBe(2);
    expect(summary.promptTokens).toBeGreaterThan(0);
  });
});
