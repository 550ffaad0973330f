import { setTracingDisabled } from '@openai/agents';
import { createMemoryStore } from '@relaykit/chatkit-store';
import { createFakeOpenAI } from '@relaykit/testing';
import { expect, it } from 'vitest';
import { z } from 'zod';
import {
  createAgentRegistry,
  createAiSdkModelAccess,
  createChatKitServer,
  createModelAccess,
  defineAgent,
} from '../index';
import { post, readEvents } from '../server/conformance.suite';
import { scriptedLanguageModel } from './scripted-language-model';

setTracingDisabled(true);

it('README: model choice (Chat Completions server, AI SDK model)', async () => {
  const fake = await createFakeOpenAI({
    script: { rules: [{ reply: { text: 'From a compatible server.' } }] },
  });
  const baseURL = fake.url; // e.g. http://localhost:11434/v1 for Ollama
  const languageModel = scriptedLanguageModel([{ reply: { text: 'From an AI SDK model.' } }]); // e.g. anthropic('claude-sonnet-4-5')
  const helper = defineAgent({
    type: 'helper',
    description: 'Helps',
    metadata: z.object({}),
    instructions: 'Be brief.',
  });
  const registry = createAgentRegistry([helper]);
  try {
    // --- model choice ---
    // An OpenAI-compatible server without the Responses API (Ollama, vLLM, LM Studio, gateways, Azure):
    const compatible = createModelAccess({ apiKey: 'local', baseURL, api: 'chat_completions' });
    // Any AI SDK provider (Anthropic, Google, a local model, …): a LanguageModel of `ai` 6 or 7.
    const aiSdk = createAiSdkModelAccess({ model: languageModel });
    const servers = [compatible, aiSdk].map((modelAccess) =>
      createChatKitServer({ store: createMemoryStore(), agents: { registry, modelAccess } }),
    );
    // --- end ---
    const answers: string[] = [];
    for (const server of servers) {
      const events = await readEvents(
        await server.handle(
          post({
            type: 'threads.create',
            params: {
              input: {
                content: [{ type: 'input_text', text: 'Hi' }],
                attachments: [],
                inference_options: {},
              },
            },
          }),
          { userId: 'u1' },
        ),
      );
      answers.push(events.filter((event) => event.type === 'thread.item.done').at(-1)?.item.content[0].text);
    }
    expect(answers).toEqual(['From a compatible server.', 'From an AI SDK model.']);
  } finally {
    await fake.close();
  }
});
