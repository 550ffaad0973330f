// Test support (not exported from the package): an AI SDK mock language model (`MockLanguageModelV4` /
// `MockLanguageModelV3` of `ai/test`) that answers like the fake OpenAI server, from the responder suite's rules.
import { APICallError } from 'ai';
import { MockLanguageModelV3, MockLanguageModelV4 } from 'ai/test';
import type { ResponderRule } from '../server/responder-conformance.suite';

type Part = { type: string; [key: string]: unknown };
type Prompt = { role: string; content: unknown }[];

const words = (text: string) => text.split(/(?<= )/).filter((piece) => piece !== '');
const promptText = (prompt: Prompt) => JSON.stringify(prompt.map((message) => message.content));

/** The stream parts of one reply: metadata, text deltas (one per word), tool calls, then `finish` with usage. */
export function replyParts(rule: ResponderRule['reply'], prompt: Prompt, response: number): Part[] {
  const text = rule.text ?? '';
  const calls = rule.toolCalls ?? [];
  const input = Math.max(1, words(promptText(prompt).replace(/[^\w ]/g, ' ')).length);
  const output = Math.max(1, words(text).length + calls.length * 4);
  return [
    { type: 'stream-start', warnings: [] },
    { type: 'response-metadata', id: `mockresp-${response}`, modelId: 'mock-model' },
    ...(text === ''
      ? []
      : [
          { type: 'text-start', id: 'txt-0' },
          ...words(text).map((delta) => ({ type: 'text-delta', id: 'txt-0', delta })),
          { type: 'text-end', id: 'txt-0' },
        ]),
    ...calls.map((call, index) => ({
      type: 'tool-call',
      toolCallId: call.callId ?? `call_${response}_${index}`,
      toolName: call.name,
      input: JSON.stringify(call.arguments ?? {}),
    })),
    {
      type: 'finish',
      usage: {
        inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 },
        outputTokens: { total: output, text: output, reasoning: 0 },
      },
      finishReason: {
        unified: calls.length > 0 ? 'tool-calls' : 'stop',
        raw: calls.length > 0 ? 'tool_calls' : 'stop',
      },
    },
  ];
}

/** A stream of `parts`, `intervalMs` apart, that errors with an `AbortError` when `signal` aborts. */
export function partStream(parts: Part[], intervalMs = 0, signal?: AbortSignal): ReadableStream<Part> {
  let index = 0;
  return new ReadableStream<Part>({
    async pull(controller) {
      if (index >= parts.length) {
        controller.close();
        return;
      }
      if (intervalMs > 0 && parts[index]!.type === 'text-delta') {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, intervalMs);
          signal?.addEventListener('abort', () => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      if (signal?.aborted) {
        controller.error(new DOMException('The operation was aborted.', 'AbortError'));
        return;
      }
      controller.enqueue(parts[index++]!);
    },
  });
}

/** A mock language model scripted by the responder suite's rules (first matching rule answers, every time). */
export function scriptedLanguageModel(rules: ResponderRule[], version: 'v3' | 'v4' = 'v4') {
  let responses = 0;
  const doStream = async (options: { prompt: Prompt; abortSignal?: AbortSignal }) => {
    const hasToolOutput = options.prompt.at(-1)?.role === 'tool';
    const rule = rules.find(
      (candidate) =>
        candidate.match?.hasToolOutput === undefined || candidate.match.hasToolOutput === hasToolOutput,
    );
    if (!rule) throw new Error(`no scripted reply for this call (hasToolOutput: ${hasToolOutput})`);
    responses += 1;
    if (rule.reply.error)
      throw new APICallError({
        message: rule.reply.error.message ?? 'The mock provider failed.',
        url: 'https://mock.invalid/v1/generate',
        requestBodyValues: {},
        statusCode: rule.reply.error.status,
        isRetryable: rule.reply.error.status >= 500,
      });
    return {
      stream: partStream(
        replyParts(rule.reply, options.prompt, responses),
        rule.reply.tokenIntervalMs,
        options.abortSignal,
      ),
    };
  };
  // biome-ignore lint/suspicious/noExplicitAny: the mock's stream part type is the AI SDK's union; ours is looser.
  const settings = { provider: 'mock-provider', modelId: 'mock-model', doStream: doStream as any };
  return version === 'v4'
    ? new MockLanguageModelV4(settings)
    : (new MockLanguageModelV3(settings) as never as MockLanguageModelV4);
}
