import type { ServerResponse } from 'node:http';
import type { FakeFaults, FakeRequestInfo, ParsedFakeReply } from './script';

/** Server-wide memory of the fake: stored responses (for `previous_response_id`) and generated image files. */
export interface FakeState {
  responses: Map<string, StoredResponse>;
  files: Map<string, Buffer>;
}

/** One SSE event of a Responses stream: its type, its serialized `data`, and whether it is a delta. */
export interface StoredEvent {
  type: string;
  data: string;
  gated: boolean;
}

/** A Response the fake produced, kept for `previous_response_id` and `GET /v1/responses/{id}`. */
export interface StoredResponse {
  input_tokens: number;
  response: Record<string, unknown>;
  events: StoredEvent[];
}

/** One request being answered by an endpoint handler. */
export interface FakeExchange {
  response: ServerResponse;
  body: Record<string, unknown>;
  info: FakeRequestInfo;
  /** Headers every response carries (`x-request-id`, rate limits, …). */
  headers: Record<string, string>;
  /** Faults of the reply, merged over the server defaults. */
  faults: FakeFaults;
  /** The scripted (or offline) reply with text, refusal and/or tool calls. */
  reply: ParsedFakeReply;
  state: FakeState;
  /** `http://127.0.0.1:<port>` of the fake. */
  origin: string;
}

/** Text of a message `content`: a string or an array of parts with `text` (`input_text`, `output_text`, `text`). */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => (part && typeof part === 'object' && typeof part.text === 'string' ? part.text : ''))
    .join('');
}

/** The texts that count as input, one per message or item (instructions first), for token counting. */
export function responsesInputTexts(body: Record<string, unknown>): string[] {
  const texts: string[] = [];
  if (typeof body.instructions === 'string') texts.push(body.instructions);
  const input = body.input;
  if (typeof input === 'string') texts.push(input);
  else if (Array.isArray(input)) {
    for (const item of input as Record<string, unknown>[]) {
      if (!item || typeof item !== 'object') continue;
      if (item.type === 'function_call') texts.push(`${String(item.name)}${String(item.arguments ?? '')}`);
      else if (item.type === 'function_call_output')
        texts.push(typeof item.output === 'string' ? item.output : JSON.stringify(item.output ?? ''));
      else texts.push(contentText(item.content));
    }
  }
  return texts;
}

/** The text of a tool result: a string, or the text of its content parts (else its JSON). */
function toolOutputText(output: unknown): string {
  if (typeof output === 'string') return output;
  const text = contentText(output);
  return text !== '' ? text : JSON.stringify(output ?? '');
}

/** What the script sees of a Responses request. */
export function responsesRequestInfo(body: Record<string, unknown>): Omit<FakeRequestInfo, 'endpoint'> {
  const input = body.input;
  let lastUserText = '';
  let hasToolOutput = false;
  let lastToolName = '';
  let lastToolOutput = '';
  if (typeof input === 'string') lastUserText = input;
  else if (Array.isArray(input)) {
    const items = input as Record<string, unknown>[];
    for (const item of items) if (item?.role === 'user') lastUserText = contentText(item.content);
    const last = items.at(-1);
    hasToolOutput = last?.type === 'function_call_output';
    if (hasToolOutput) {
      const call = items.find((item) => item?.type === 'function_call' && item.call_id === last!.call_id);
      lastToolName = typeof call?.name === 'string' ? call.name : '';
      lastToolOutput = toolOutputText(last!.output);
    }
  }
  return {
    model: typeof body.model === 'string' ? body.model : undefined,
    lastUserText,
    hasToolOutput,
    lastToolName,
    lastToolOutput,
    instructions: typeof body.instructions === 'string' ? body.instructions : '',
  };
}

/** The texts that count as input of a Chat Completions request, one per message. */
export function chatInputTexts(body: Record<string, unknown>): string[] {
  const messages = Array.isArray(body.messages) ? (body.messages as Record<string, unknown>[]) : [];
  return messages.map((message) => {
    const calls = Array.isArray(message?.tool_calls)
      ? (message.tool_calls as { function?: { name?: string; arguments?: string } }[])
          .map((call) => `${call.function?.name ?? ''}${call.function?.arguments ?? ''}`)
          .join('')
      : '';
    return `${contentText(message?.content)}${calls}`;
  });
}

/** What the script sees of a Chat Completions request. */
export function chatRequestInfo(body: Record<string, unknown>): Omit<FakeRequestInfo, 'endpoint'> {
  const messages = Array.isArray(body.messages) ? (body.messages as Record<string, unknown>[]) : [];
  let lastUserText = '';
  for (const message of messages) if (message?.role === 'user') lastUserText = contentText(message.content);
  const last = messages.at(-1);
  const hasToolOutput = last?.role === 'tool';
  let lastToolName = '';
  if (hasToolOutput) {
    for (const message of messages) {
      const calls = Array.isArray(message?.tool_calls)
        ? (message.tool_calls as { id?: string; function?: { name?: string } }[])
        : [];
      const call = calls.find((candidate) => candidate.id === last!.tool_call_id);
      if (call) lastToolName = call.function?.name ?? '';
    }
  }
  const instructions = messages
    .filter((message) => message?.role === 'system' || message?.role === 'developer')
    .map((message) => contentText(message.content))
    .join('\n');
  return {
    model: typeof body.model === 'string' ? body.model : undefined,
    lastUserText,
    hasToolOutput,
    lastToolName,
    lastToolOutput: hasToolOutput ? toolOutputText(last!.content) : '',
    instructions,
  };
}

/** Arguments of a scripted tool call as the JSON string sent on the wire. */
export function argumentsText(value: string | Record<string, unknown>): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
