// The responder conformance suite on the packaged fast path (`createOpenAIRespond`): one plain `openai` SDK stream
// per turn, no Agents SDK, on the Responses API and on Chat Completions, against the fake OpenAI server.
import { createFakeOpenAI } from '@relaykit/testing';
import OpenAI from 'openai';
import { createOpenAIRespond } from './openai-respond';
import { fakeRules, responderConformance } from './responder-conformance.suite';

const ONE_CALL = 'the fast path makes one model call per turn and runs no server tools';
const LOCATION = {
  name: 'get_location',
  description: 'Runs on the ChatKit client',
  parameters: {
    type: 'object',
    properties: { precise: { type: 'boolean' } },
    required: ['precise'],
    additionalProperties: false,
  },
};

for (const api of ['responses', 'chat_completions'] as const) {
  responderConformance({
    name: `fast path (createOpenAIRespond), ${api === 'responses' ? 'Responses' : 'Chat Completions'} (fake OpenAI server)`,
    skip: {
      'server tool': ONE_CALL,
      'parallel tools': ONE_CALL,
      handoff: 'the fast path has no agents to hand off to',
      usage: `${ONE_CALL} (usage per call is tested in openai-respond.test.ts)`,
    },
    async start(input) {
      const fake = await createFakeOpenAI({ script: { rules: fakeRules(input.rules), fallback: 'error' } });
      const client = new OpenAI({ apiKey: 'test', baseURL: fake.url, maxRetries: 0 });
      const common = {
        client,
        name: 'helper',
        instructions: 'Be brief.',
        usage: input.usage,
        clientToolNames: input.clientToolNames,
      };
      const respond =
        api === 'chat_completions'
          ? createOpenAIRespond(input.store, {
              ...common,
              api,
              params: { model: 'gpt-4.1-mini', tools: [{ type: 'function', function: LOCATION }] },
            })
          : createOpenAIRespond(input.store, {
              ...common,
              params: { model: 'gpt-4.1-mini', tools: [{ type: 'function', strict: true, ...LOCATION }] },
            });
      return {
        options: { store: input.store, respond },
        modelCalls: () =>
          fake.calls.filter((call) => call.endpoint === 'responses' || call.endpoint === 'chat.completions')
            .length,
        close: () => fake.close(),
      };
    },
  });
}
