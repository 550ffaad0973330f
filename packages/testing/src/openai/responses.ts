import { argumentsText, type FakeExchange, responsesInputTexts, type StoredEvent } from './exchange';
import { newId, obfuscation, SseWriter, sendJson, sleep, untilClosed } from './http';
import { countInputTokens, countTokens, splitIntoTokens } from './tokens';

/** How many responses the fake remembers for `previous_response_id` and retrieval (oldest forgotten first). */
const MAX_STORED_RESPONSES = 1000;

/** `POST /v1/responses`: a Response object, or its SSE stream (`event:` + `data:` frames, no `[DONE]`). */
export async function handleResponses(exchange: FakeExchange): Promise<void> {
  const { body, reply, faults, response, headers, state } = exchange;
  const previous = body.previous_response_id;
  if (typeof previous === 'string' && !state.responses.has(previous)) {
    await sleep(faults.latencyMs);
    sendJson(
      response,
      400,
      {
        error: {
          message: `Previous response with id '${previous}' not found.`,
          type: 'invalid_request_error',
          param: 'previous_response_id',
          code: 'previous_response_not_found',
        },
      },
      headers,
    );
    return;
  }

  const responseId = newId('resp_');
  const createdAt = Math.floor(Date.now() / 1000);
  const toolCalls = (reply.toolCalls ?? []).map((call) => ({
    id: newId('fc_'),
    type: 'function_call' as const,
    status: 'completed' as const,
    arguments: argumentsText(call.arguments),
    call_id: call.callId ?? newId('call_', 12),
    name: call.name,
  }));
  const messageId = newId('msg_');
  const parts: { type: 'refusal' | 'output_text'; text: string }[] = [];
  if (reply.refusal !== undefined) parts.push({ type: 'refusal', text: reply.refusal });
  if (reply.text !== undefined) parts.push({ type: 'output_text', text: reply.text });

  const inputTokens = countInputTokens(responsesInputTexts(body));
  const reasoningTokens = reply.usage?.reasoningTokens ?? 0;
  const outputTokens =
    parts.reduce((sum, part) => sum + countTokens(part.text), 0) +
    toolCalls.reduce((sum, call) => sum + countTokens(call.name) + countTokens(call.arguments), 0) +
    reasoningTokens;
  const usage = {
    input_tokens: inputTokens,
    input_tokens_details: { cached_tokens: Math.min(reply.usage?.cachedTokens ?? 0, inputTokens) },
    output_tokens: outputTokens,
    output_tokens_details: { reasoning_tokens: reasoningTokens },
    total_tokens: inputTokens + outputTokens,
  };

  const messageItem = (status: 'in_progress' | 'completed', content: unknown[]) => ({
    id: messageId,
    type: 'message',
    status,
    content,
    role: 'assistant',
  });
  const finalPart = (part: (typeof parts)[number]) =>
    part.type === 'refusal'
      ? { type: 'refusal', refusal: part.text }
      : { type: 'output_text', annotations: [], logprobs: [], text: part.text };
  const output: unknown[] = [];
  if (parts.length > 0) output.push(messageItem('completed', parts.map(finalPart)));
  output.push(...toolCalls);

  const snapshot = (status: string, extra: Record<string, unknown> = {}) => ({
    id: responseId,
    object: 'response',
    created_at: createdAt,
    status,
    background: false,
    error: null,
    incomplete_details: null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    model: body.model ?? 'gpt-4.1',
    output: [] as unknown[],
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: previous ?? null,
    reasoning: { effort: null, summary: null },
    store: body.store ?? true,
    temperature: body.temperature ?? 1,
    text: body.text ?? { format: { type: 'text' } },
    tool_choice: body.tool_choice ?? 'auto',
    tools: body.tools ?? [],
    top_p: body.top_p ?? 1,
    truncation: body.truncation ?? 'disabled',
    usage: null as unknown,
    user: body.user ?? null,
    metadata: body.metadata ?? {},
    ...extra,
  });
  const withObfuscation =
    (body.stream_options as { include_obfuscation?: boolean } | undefined)?.include_obfuscation !== false;
  /** Every event of the stream, built up front: served live, and again by `GET /v1/responses/{id}?stream=true`. */
  const events: StoredEvent[] = [];
  let gated = false;
  const send = (type: string, data: Record<string, unknown>) => {
    events.push({ type, data: JSON.stringify({ type, sequence_number: events.length, ...data }), gated });
    gated = false;
  };
  /** Marks the next event as a delta: token interval and faults apply before it. */
  const gate = () => {
    gated = true;
  };

  send('response.created', { response: snapshot('in_progress') });
  send('response.in_progress', { response: snapshot('in_progress') });
  let outputIndex = 0;
  if (parts.length > 0) {
    send('response.output_item.added', { output_index: outputIndex, item: messageItem('in_progress', []) });
    for (const [contentIndex, part] of parts.entries()) {
      const where = { item_id: messageId, output_index: outputIndex, content_index: contentIndex };
      const isRefusal = part.type === 'refusal';
      send('response.content_part.added', {
        ...where,
        part: isRefusal
          ? { type: 'refusal', refusal: '' }
          : { type: 'output_text', annotations: [], logprobs: [], text: '' },
      });
      for (const delta of splitIntoTokens(part.text)) {
        gate();
        if (isRefusal) send('response.refusal.delta', { ...where, delta });
        else
          send('response.output_text.delta', {
            ...where,
            delta,
            logprobs: [],
            ...(withObfuscation ? { obfuscation: obfuscation(delta) } : {}),
          });
      }
      if (isRefusal) send('response.refusal.done', { ...where, refusal: part.text });
      else send('response.output_text.done', { ...where, text: part.text, logprobs: [] });
      send('response.content_part.done', { ...where, part: finalPart(part) });
    }
    send('response.output_item.done', { output_index: outputIndex, item: output[0] });
    outputIndex += 1;
  }
  for (const call of toolCalls) {
    send('response.output_item.added', {
      output_index: outputIndex,
      item: { ...call, status: 'in_progress', arguments: '' },
    });
    for (const delta of splitIntoTokens(call.arguments)) {
      gate();
      send('response.function_call_arguments.delta', {
        item_id: call.id,
        output_index: outputIndex,
        delta,
        ...(withObfuscation ? { obfuscation: obfuscation(delta) } : {}),
      });
    }
    send('response.function_call_arguments.done', {
      item_id: call.id,
      output_index: outputIndex,
      arguments: call.arguments,
    });
    send('response.output_item.done', { output_index: outputIndex, item: call });
    outputIndex += 1;
  }
  gate();
  const completed = snapshot('completed', { output, usage });
  send('response.completed', { response: completed });
  state.responses.set(responseId, { input_tokens: inputTokens, response: completed, events });
  if (state.responses.size > MAX_STORED_RESPONSES)
    state.responses.delete(state.responses.keys().next().value!);

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
    sendJson(response, 200, completed, headers);
    return;
  }
  const writer = new SseWriter(response, faults);
  writer.open(headers);
  for (const [index, event] of events.entries()) {
    if (event.gated) {
      const next = await writer.beforeDelta();
      if (next === 'drop' || writer.closed) return;
      if (next === 'error') {
        const error = {
          type: 'server_error',
          code: 'server_error',
          message: 'The server had an error while processing your request. Sorry about that!',
          param: null,
        };
        const failed = snapshot('failed', { error: { code: error.code, message: error.message }, usage });
        writer.write(JSON.stringify({ type: 'error', sequence_number: index, error }), 'error');
        writer.write(
          JSON.stringify({ type: 'response.failed', sequence_number: index + 1, response: failed }),
          'response.failed',
        );
        state.responses.set(responseId, { input_tokens: inputTokens, response: failed, events: [] });
        writer.end();
        return;
      }
    }
    writer.write(event.data, event.type);
  }
  writer.end();
}

/**
 * `GET /v1/responses/{id}` (the stored Response; with `?stream=true` its events again, after `starting_after`) and
 * `DELETE /v1/responses/{id}`.
 */
export function handleStoredResponse(
  exchange: FakeExchange,
  method: string,
  id: string,
  query: URLSearchParams,
): void {
  const { response, headers, state, faults } = exchange;
  const stored = state.responses.get(id);
  if (!stored) {
    sendJson(
      response,
      404,
      {
        error: {
          message: `Response with id '${id}' not found.`,
          type: 'invalid_request_error',
          param: null,
          code: null,
        },
      },
      headers,
    );
    return;
  }
  if (method === 'DELETE') {
    state.responses.delete(id);
    sendJson(response, 200, { id, object: 'response.deleted', deleted: true }, headers);
    return;
  }
  if (query.get('stream') !== 'true') {
    sendJson(response, 200, stored.response, headers);
    return;
  }
  const after = Number(query.get('starting_after') ?? -1);
  const writer = new SseWriter(response, { ...faults, dropAfter: undefined, errorEventAfter: undefined });
  writer.open(headers);
  for (const [sequence, event] of stored.events.entries())
    if (sequence > after) writer.write(event.data, event.type);
  writer.end();
}
