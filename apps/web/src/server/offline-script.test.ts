import { createFakeOpenAI, type FakeOpenAI } from '@relaykit/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOfflineScript, OFFLINE_PROMPTS, OFFLINE_TOOL_GUEST } from './offline-script';

describe('the offline script on the fake OpenAI server', () => {
  let fake: FakeOpenAI;
  let client: OpenAI;
  beforeAll(async () => {
    fake = await createFakeOpenAI({ script: createOfflineScript({ delayMs: 0 }) });
    client = new OpenAI({ apiKey: 'offline', baseURL: fake.url });
  });
  afterAll(() => fake.close());

  const streamText = async (input: string) => {
    const deltas: string[] = [];
    const stream = await client.responses.create({ model: 'gpt-4.1-mini', input, stream: true });
    for await (const event of stream)
      if (event.type === 'response.output_text.delta') deltas.push(event.delta);
    return deltas;
  };

  it('streams the long story as many markdown chunks with bold text', async () => {
    const deltas = await streamText(OFFLINE_PROMPTS.long);
    expect(deltas.length).toBeGreaterThanOrEqual(60);
    expect(deltas.join('')).toMatch(/\*\*[^*]+\*\*/);
  });

  it('paces the long story with the configured per-chunk delay', () => {
    const script = createOfflineScript({ delayMs: 250 });
    const reply = script.rules?.[0]?.reply;
    expect(typeof reply === 'object' ? reply.faults : undefined).toEqual({ tokenIntervalMs: 250 });
  });

  it('calls addGuest for the tool prompt, then answers naming the guest', async () => {
    const first = await client.responses.create({ model: 'gpt-4.1-mini', input: OFFLINE_PROMPTS.tool });
    const call = first.output.find((item) => item.type === 'function_call');
    expect(call).toMatchObject({ name: 'addGuest' });
    expect(JSON.parse((call as { arguments: string }).arguments)).toEqual({
      name: OFFLINE_TOOL_GUEST,
      email: null,
    });
    // The Agents SDK sends the whole turn again: the user message, the call and its output.
    const { call_id, name, arguments: args } = call as { call_id: string; name: string; arguments: string };
    const second = await client.responses.create({
      model: 'gpt-4.1-mini',
      input: [
        { role: 'user', content: OFFLINE_PROMPTS.tool },
        { type: 'function_call', call_id, name, arguments: args },
        { type: 'function_call_output', call_id, output: '{"ok":true}' },
      ],
    });
    expect(second.output_text).toContain(OFFLINE_TOOL_GUEST);
  });

  it('answers the largest message a ChatKit item holds (a 1 MB single word) without super-linear work', async () => {
    // The store caps a message item at 1 MiB of JSON; the request bounds at 100,000 characters per text part, 64 parts.
    const word = 'a'.repeat(1_000_000);
    const reply = (await streamText(word)).join('');
    expect(reply).toContain('offline demo model');
    expect(reply).toContain(`"${'a'.repeat(200)}…"`);
    const spaces = `${' '.repeat(500_000)}Tell me a long story!${' '.repeat(500_000)}`;
    expect((await streamText(spaces)).join('')).toContain('offline demo model');
  });

  it('answers anything else with the default reply naming the offline demo model', async () => {
    expect((await streamText('Hello there')).join('')).toContain('offline demo model');
  });
});
