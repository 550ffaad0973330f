// The responder conformance suite on the agents responder, with OpenAI models served by the fake OpenAI server:
// the Responses API and Chat Completions (`createModelAccess({ api: 'chat_completions' })`).
import { setTracingDisabled } from '@openai/agents';
import { createFakeOpenAI } from '@relaykit/testing';
import { createModelAccess, type ModelApi } from '../models/model-access';
import { agentsResponderOptions, fakeRules, responderConformance } from './responder-conformance.suite';

setTracingDisabled(true);

for (const api of ['responses', 'chat_completions'] as ModelApi[]) {
  responderConformance({
    name: `agents responder, ${api === 'responses' ? 'Responses' : 'Chat Completions'} model (fake OpenAI server)`,
    async start(input) {
      const fake = await createFakeOpenAI({ script: { rules: fakeRules(input.rules), fallback: 'error' } });
      const modelAccess = createModelAccess({ apiKey: 'test', baseURL: fake.url, api, maxRetries: 0 });
      return {
        options: agentsResponderOptions(input, modelAccess),
        modelCalls: () =>
          fake.calls.filter((call) => call.endpoint === 'responses' || call.endpoint === 'chat.completions')
            .length,
        close: () => fake.close(),
      };
    },
  });
}
