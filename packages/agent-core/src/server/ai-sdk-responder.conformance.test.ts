// The responder conformance suite on the agents responder with a non-OpenAI model: the AI SDK's mock language model
// (`MockLanguageModelV4` of `ai/test`) through `createAiSdkModelAccess`, scripted like the fake OpenAI server.
import { setTracingDisabled } from '@openai/agents';
import type { MockLanguageModelV4 } from 'ai/test';
import { createAiSdkModelAccess } from '../models/ai-sdk-model';
import { scriptedLanguageModel } from '../models/scripted-language-model';
import { agentsResponderOptions, responderConformance } from './responder-conformance.suite';

setTracingDisabled(true);

responderConformance({
  name: 'agents responder, AI-SDK mock model (MockLanguageModelV4)',
  async start(input) {
    const model: MockLanguageModelV4 = scriptedLanguageModel(input.rules);
    return {
      options: agentsResponderOptions(input, createAiSdkModelAccess({ model })),
      modelCalls: () => model.doStreamCalls.length,
    };
  },
});
