import { createMemoryStore } from '@relaykit/chatkit-store';
import { createFakeOpenAI } from '@relaykit/testing';
import {
  createMemoryUsageStore,
  createPriceTable,
  createUsageRecorder,
  type RecordUsageInput,
} from '@relaykit/usage-tracker';
import OpenAI from 'openai';
import { expect, it } from 'vitest';
import { createChatKitServer, createChatStream, createOpenAIRespond } from '../index';
import { post, readEvents } from './conformance.suite';

it('README: the fast path (one plain openai stream per turn) on both APIs, ChatKit and the simple stream', async () => {
  const fake = await createFakeOpenAI({ script: { rules: [{ reply: { text: 'Fast answer.' } }] } });
  const baseURL = fake.url; // e.g. https://api.openai.com/v1, or an OpenAI-compatible server
  const recorder = createUsageRecorder({ store: createMemoryUsageStore(), prices: createPriceTable() });
  const records: RecordUsageInput[] = [];
  const usage = {
    recordUsage: (row: RecordUsageInput) => {
      records.push(row);
      return recorder.recordUsage(row);
    },
  };
  // --- fast path ---
  const client = new OpenAI({ apiKey: 'sk-test', baseURL });
  const store = createMemoryStore();
  // The Responses API: every `client.responses.create` parameter except `input` and `stream`.
  const responses = createChatKitServer({
    store,
    respond: createOpenAIRespond(store, {
      client,
      instructions: 'Be brief.',
      params: { model: 'gpt-4.1-mini', temperature: 0.2, store: false },
      usage,
    }),
  });
  // Chat Completions (Ollama, vLLM, gateways, Azure): every parameter except `messages` and `stream`;
  // `stream_options.include_usage` is on. `params` may be a function of the turn (model per user or metadata).
  const chat = createChatKitServer({
    store,
    respond: createOpenAIRespond(store, {
      api: 'chat_completions',
      client: () => client, // or per request: (context) => modelAccess.clientFor(context)
      params: ({ requestMetadata }) => ({
        model: requestMetadata.premium ? 'gpt-4.1' : 'gpt-4.1-mini',
        max_completion_tokens: 500,
      }),
      usage,
    }),
  });
  // Both serve the ChatKit protocol (`server.handle(request, context)`) and the simple stream:
  const simple = await createChatStream(chat, { message: 'Hi', stream: false }, { userId: 'user-1' });
  // --- end fast path ---
  const events = await readEvents(
    await responses.handle(
      post({
        type: 'threads.create',
        params: {
          input: { content: [{ type: 'input_text', text: 'Hi' }], attachments: [], inference_options: {} },
        },
      }),
      { userId: 'user-1' },
    ),
  );
  expect(
    events.find((event) => event.type === 'thread.item.done' && event.item.type === 'assistant_message'),
  ).toMatchObject({ item: { content: [{ text: 'Fast answer.' }] } });
  expect(await simple.json()).toMatchObject({ message: 'Fast answer.', agent: 'assistant' });
  expect(records).toHaveLength(2);
  const responsesCall = fake.calls.find((call) => call.path === '/v1/responses');
  const chatCall = fake.calls.find((call) => call.path === '/v1/chat/completions');
  expect(responsesCall!.body).toMatchObject({ instructions: 'Be brief.', temperature: 0.2, store: false });
  expect(chatCall!.body).toMatchObject({
    model: 'gpt-4.1-mini',
    max_completion_tokens: 500,
    stream_options: { include_usage: true },
  });
  await fake.close();
});
