import { argumentsText, chatInputTexts, type FakeExchange } from './exchange';
import { errorBody, newId, obfuscation, SseWriter, sendJson, sleep, untilClosed } from './http';
import { countInputTokens, countTokens, splitIntoTokens } from './tokens';

const SYSTEM_FINGERPRINT = 'fp_relaykit0';

/** `POST /v1/chat/completions`: a `chat.completion`, or `chat.completion.chunk` SSE ending with `data: [DONE]`. */
export async function handleChatCompletions(exchange: FakeExchange): Promise<void> {
  const { body, reply, faults, response, headers } = exchange;
  const id = newId('chatcmpl-', 15);
  const created = Math.floor(Date.now() / 1000);
  const model = typeof body.model === 'string' ? body.model : 'gpt-4.1';
  const toolCalls = (reply.toolCalls ?? []).map((call) => ({
    id: call.callId ?? newId('call_', 12),
    type: 'function' as const,
    function: { name: call.name, arguments: argumentsText(call.arguments) },
  }));
  const promptTokens = countInputTokens(chatInputTexts(body));
  const reasoningTokens = reply.usage?.reasoningTokens ?? 0;
  const completionTokens =
    countTokens(reply.text ?? '') +
    countTokens(reply.refusal ?? '') +
    toolCalls.reduce(
      (sum, call) => sum + countTokens(call.function.name) + countTokens(call.function.arguments),
      0,
    ) +
    reasoningTokens;
  const usage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: {
      cached_tokens: Math.min(reply.usage?.cachedTokens ?? 0, promptTokens),
      audio_tokens: 0,
    },
    completion_tokens_details: {
      reasoning_tokens: reasoningTokens,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
  const finishReason = toolCalls.length > 0 ? 'tool_calls' : 'stop';

  await sleep(faults.latencyMs);
  if (body.stream !== true) {
    if (faults.dropAfter !== undefined) {
      response.socket?.destroy();
      return;
    }
    if (faults.stallAfter !== undefined) {
      await untilClosed(response);
      return;
    }
    sendJson(
      response,
      200,
      {
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: reply.text ?? null,
              refusal: reply.refusal ?? null,
              annotations: [],
              ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
            },
            logprobs: null,
            finish_reason: finishReason,
          },
        ],
        usage,
        service_tier: 'default',
        system_fingerprint: SYSTEM_FINGERPRINT,
      },
      headers,
    );
    return;
  }

  const streamOptions = (body.stream_options ?? {}) as {
    include_usage?: boolean;
    include_obfuscation?: boolean;
  };
  const includeUsage = streamOptions.include_usage === true;
  const withObfuscation = streamOptions.include_obfuscation !== false;
  const writer = new SseWriter(response, faults);
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) => {
    const data: Record<string, unknown> = {
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      service_tier: 'default',
      system_fingerprint: SYSTEM_FINGERPRINT,
      choices,
      ...(includeUsage ? { usage: null } : {}),
      ...extra,
    };
    writer.write(JSON.stringify(data));
  };
  const delta = (value: Record<string, unknown>, text = '') =>
    chunk(
      [{ index: 0, delta: value, logprobs: null, finish_reason: null }],
      withObfuscation ? { obfuscation: obfuscation(text) } : {},
    );
  const gate = async (): Promise<boolean> => {
    const next = await writer.beforeDelta();
    if (next === 'continue') return !writer.closed;
    if (next === 'error') {
      writer.write(
        JSON.stringify(
          errorBody({
            message: 'The server had an error while processing your request. Sorry about that!',
            type: 'server_error',
          }),
        ),
      );
      writer.end();
    }
    return false;
  };

  writer.open(headers);
  const plainText = reply.refusal === undefined && toolCalls.length === 0;
  delta({
    role: 'assistant',
    content: plainText ? '' : null,
    refusal: reply.refusal !== undefined ? '' : null,
  });
  for (const piece of splitIntoTokens(reply.refusal ?? '')) {
    if (!(await gate())) return;
    delta({ refusal: piece }, piece);
  }
  for (const piece of splitIntoTokens(reply.text ?? '')) {
    if (!(await gate())) return;
    delta({ content: piece }, piece);
  }
  for (const [index, call] of toolCalls.entries()) {
    if (!(await gate())) return;
    delta({
      tool_calls: [
        { index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } },
      ],
    });
    for (const piece of splitIntoTokens(call.function.arguments)) {
      if (!(await gate())) return;
      delta({ tool_calls: [{ index, function: { arguments: piece } }] }, piece);
    }
  }
  if (!(await gate())) return;
  chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: finishReason }]);
  if (includeUsage) chunk([], { usage });
  writer.write('[DONE]');
  writer.end();
}
