import type { ThreadStreamEvent } from '../chatkit/events';
import type { ThreadItem } from '../chatkit/model';
import { ProviderError } from '../errors';
import { type ChatKitTranslationOptions, defaultGenerateId } from './options';
import { parseArguments } from './responses';

/**
 * One chunk of an OpenAI Chat Completions stream (`chat.completion.chunk`, the parsed `data:` of an SSE event), as
 * far as the translator reads it. The `openai` SDK's `ChatCompletionChunk` fits; unknown fields are ignored.
 */
export interface ChatCompletionsStreamChunk {
  id?: string;
  model?: string;
  choices?: readonly {
    index?: number;
    delta?: {
      content?: string | null;
      refusal?: string | null;
      tool_calls?: readonly {
        index?: number;
        id?: string | null;
        type?: string | null;
        function?: { name?: string | null; arguments?: string | null } | null;
      }[];
      [key: string]: unknown;
    } | null;
    finish_reason?: string | null;
    [key: string]: unknown;
  }[];
  /** The last chunk's usage when the request set `stream_options: { include_usage: true }`. */
  usage?: Record<string, unknown> | null;
  [key: string]: unknown;
}

/** A tool call the model made, assembled from its streamed fragments. */
export interface ChatCompletionsToolCall {
  /** The model's call id (`call_…`). */
  callId: string;
  name: string;
  /** The JSON arguments as streamed (text). */
  arguments: string;
}

/** What a Chat Completions stream produced, reported once it ended (choice 0). */
export interface CompletedChatCompletion {
  /** The completion id (`chatcmpl-…`; OpenAI-compatible servers may repeat or omit it). */
  id: string;
  model?: string;
  /** The Chat Completions `usage` (`prompt_tokens`, `completion_tokens`, details), or null without `include_usage`. */
  usage: Record<string, unknown> | null;
  /** `stop`, `length`, `tool_calls`, `content_filter`, `function_call`, or null when the stream gave none. */
  finishReason: string | null;
  /** The assistant text (refusal text included) of choice 0. */
  text: string;
  /** The refusal text alone, when the model refused. */
  refusal: string;
  /** Every tool call of choice 0, in index order (parallel calls included). */
  toolCalls: ChatCompletionsToolCall[];
}

/** Options of {@link chatCompletionsToChatKit}. */
export interface ChatCompletionsTranslationOptions extends ChatKitTranslationOptions {
  /** Called once the stream ended (after its usage chunk) with the completion's id, usage, finish reason and calls. */
  onCompletionDone?: (completion: CompletedChatCompletion) => void;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The translator's state machine behind {@link chatCompletionsToChatKit}: feed it one chunk at a time and it
 * returns the ChatKit events to emit; `finish()` ends the open message and emits the client tool calls.
 */
export class ChatCompletionsToChatKitTranslator {
  readonly #threadId: string;
  readonly #generateId: NonNullable<ChatKitTranslationOptions['generateId']>;
  readonly #now: () => Date;
  readonly #clientTools: ReadonlySet<string>;
  #messageId: string | null = null;
  #text = '';
  #refusal = '';
  #calls = new Map<number, ChatCompletionsToolCall>();
  #id = '';
  #model: string | undefined;
  #usage: Record<string, unknown> | null = null;
  #finishReason: string | null = null;

  constructor(options: ChatKitTranslationOptions) {
    if (typeof options?.threadId !== 'string' || options.threadId === '') {
      throw new TypeError('chatCompletionsToChatKit: options.threadId is required');
    }
    this.#threadId = options.threadId;
    this.#generateId = options.generateId ?? defaultGenerateId;
    this.#now = options.now ?? (() => new Date());
    this.#clientTools = new Set(options.clientToolNames ?? []);
  }

  #base(id: string) {
    return { id, thread_id: this.#threadId, created_at: this.#now().toISOString() };
  }

  #delta(delta: string, out: ThreadStreamEvent[]): void {
    if (delta === '') return;
    if (this.#messageId === null) {
      this.#messageId = this.#generateId('message');
      out.push({
        type: 'thread.item.added',
        item: { ...this.#base(this.#messageId), type: 'assistant_message', content: [] },
      });
      out.push({
        type: 'thread.item.updated',
        item_id: this.#messageId,
        update: {
          type: 'assistant_message.content_part.added',
          content_index: 0,
          content: { type: 'output_text', text: '', annotations: [] },
        },
      });
    }
    this.#text += delta;
    out.push({
      type: 'thread.item.updated',
      item_id: this.#messageId,
      update: { type: 'assistant_message.content_part.text_delta', content_index: 0, delta },
    });
  }

  /** Translates one chunk. Only choice 0 is shown (as the Agents SDK reads a completion); usage is kept. */
  push(chunk: unknown): ThreadStreamEvent[] {
    if (!isObject(chunk)) {
      throw new ProviderError(
        'provider_error',
        'malformed Chat Completions stream chunk: expected an object',
        {
          details: { chunk: String(chunk) },
        },
      );
    }
    const out: ThreadStreamEvent[] = [];
    const value = chunk as ChatCompletionsStreamChunk;
    if (typeof value.id === 'string' && value.id !== '' && this.#id === '') this.#id = value.id;
    if (typeof value.model === 'string' && value.model !== '') this.#model = value.model;
    if (isObject(value.usage)) this.#usage = value.usage;
    for (const choice of value.choices ?? []) {
      if ((choice.index ?? 0) !== 0) continue;
      const delta = choice.delta;
      if (isObject(delta)) {
        if (typeof delta.content === 'string') this.#delta(delta.content, out);
        if (typeof delta.refusal === 'string') {
          this.#refusal += delta.refusal;
          this.#delta(delta.refusal, out);
        }
        for (const call of delta.tool_calls ?? []) {
          const index = call.index ?? 0;
          let entry = this.#calls.get(index);
          if (entry === undefined) {
            entry = { callId: '', name: '', arguments: '' };
            this.#calls.set(index, entry);
          }
          if (typeof call.id === 'string' && call.id !== '') entry.callId = call.id;
          entry.name += call.function?.name ?? '';
          entry.arguments += call.function?.arguments ?? '';
        }
      }
      if (typeof choice.finish_reason === 'string') this.#finishReason = choice.finish_reason;
    }
    return out;
  }

  /** Ends the stream: `content_part.done` and `thread.item.done` of the answer, then the client tool calls. */
  finish(): ThreadStreamEvent[] {
    const out: ThreadStreamEvent[] = [];
    if (this.#messageId !== null) {
      const content = { type: 'output_text' as const, text: this.#text, annotations: [] };
      out.push({
        type: 'thread.item.updated',
        item_id: this.#messageId,
        update: { type: 'assistant_message.content_part.done', content_index: 0, content },
      });
      out.push({
        type: 'thread.item.done',
        item: { ...this.#base(this.#messageId), type: 'assistant_message', content: [content] },
      });
    }
    for (const call of this.toolCalls()) {
      if (!this.#clientTools.has(call.name)) continue;
      out.push({
        type: 'thread.item.done',
        item: {
          ...this.#base(this.#generateId('tool_call')),
          type: 'client_tool_call',
          status: 'pending',
          call_id: call.callId || this.#generateId('tool_call'),
          name: call.name,
          arguments: parseArguments(call.arguments),
        } as ThreadItem,
      });
    }
    return out;
  }

  /** The tool calls assembled so far, in index order. */
  toolCalls(): ChatCompletionsToolCall[] {
    return [...this.#calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => ({ ...call }));
  }

  /** What the stream produced so far. */
  completion(): CompletedChatCompletion {
    return {
      id: this.#id,
      ...(this.#model !== undefined ? { model: this.#model } : {}),
      usage: this.#usage,
      finishReason: this.#finishReason,
      text: this.#text,
      refusal: this.#refusal,
      toolCalls: this.toolCalls(),
    };
  }
}

/**
 * Translates an OpenAI Chat Completions stream (the `openai` SDK's `ChatCompletionChunk`s, or the parsed `data:`
 * of each SSE event) into ChatKit stream events: the answer of choice 0 as one assistant message
 * (`thread.item.added`, `content_part.added`, a `text_delta` per content or refusal delta, `content_part.done`,
 * `thread.item.done`), then, when the stream ends, one pending `client_tool_call` item per tool call named in
 * `clientToolNames` (parallel calls each get one). Other tool calls are not shown. Ask for usage with
 * `stream_options: { include_usage: true }`: `onCompletionDone` gets it with the finish reason and every tool call.
 * A `[DONE]` marker (a string) is skipped.
 *
 * @throws ProviderError `provider_error` for a chunk that is not an object.
 */
export async function* chatCompletionsToChatKit(
  chunks: AsyncIterable<unknown> | Iterable<unknown>,
  options: ChatCompletionsTranslationOptions,
): AsyncGenerator<ThreadStreamEvent, void, undefined> {
  const translator = new ChatCompletionsToChatKitTranslator(options);
  for await (const chunk of chunks) {
    if (chunk === '[DONE]') continue;
    for (const event of translator.push(chunk)) yield event;
  }
  for (const event of translator.finish()) yield event;
  options.onCompletionDone?.(translator.completion());
}
