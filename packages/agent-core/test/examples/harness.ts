import { setTracingDisabled } from '@openai/agents';
import { createFakeOpenAI, type FakeOpenAI, type FakeScript } from '@relaykit/testing';
import { createModelAccess } from '../../src/index.ts';

setTracingDisabled(true);

/** A scripted fake that fails loudly on any request the script does not expect. */
export async function startFake(rules: NonNullable<FakeScript['rules']>) {
  const fake = await createFakeOpenAI({ script: { rules, fallback: 'error' } });
  const modelProvider = await createModelAccess({
    apiKey: 'test',
    baseURL: fake.url,
    maxRetries: 0,
  }).providerFor({});
  return { fake, modelProvider };
}

/** The `function_call_output` items the SDK sent back to the model, parsed, in order. */
export function toolOutputs(fake: FakeOpenAI): { callId: string; output: unknown }[] {
  const outputs: { callId: string; output: unknown }[] = [];
  const seen = new Set<string>();
  for (const call of fake.calls) {
    const input = (call.body as { input?: unknown })?.input;
    if (!Array.isArray(input)) continue;
    for (const item of input as { type?: string; call_id?: string; output?: unknown }[]) {
      if (item.type !== 'function_call_output' || !item.call_id || seen.has(item.call_id)) continue;
      seen.add(item.call_id);
      const raw = typeof item.output === 'string' ? item.output : JSON.stringify(item.output);
      let output: unknown = raw;
      try {
        output = JSON.parse(raw);
      } catch {}
      outputs.push({ callId: item.call_id, output });
    }
  }
  return outputs;
}

/** The tool names offered to the model in each request. */
export function offeredTools(fake: FakeOpenAI): string[][] {
  return fake.calls
    .filter((call) => call.endpoint === 'responses')
    .map((call) => ((call.body as { tools?: { name?: string }[] }).tools ?? []).map((t) => t.name ?? ''));
}
