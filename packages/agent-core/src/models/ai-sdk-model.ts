import {
  type AgentInputItem,
  type Model,
  type ModelProvider,
  type ModelRequest,
  type ModelResponse,
  type StreamEvent,
  type StreamEventResponseCompleted,
  Usage,
} from '@openai/agents';
import { ConfigurationError, ProviderError, providerError } from '@relaykit/sse-protocol';
import type OpenAI from 'openai';
import type { ModelAccess } from './model-access';

/**
 * The AI SDK language model this adapter drives, described by its shape so RelayKit needs no `ai` package: a
 * `LanguageModelV3` (`ai` 6) or `LanguageModelV4` (`ai` 7) of any provider (`@ai-sdk/anthropic`, `@ai-sdk/google`,
 * `ollama-ai-provider`, …, and `MockLanguageModelV4` from `ai/test`).
 */
export interface AiSdkLanguageModel {
  readonly specificationVersion: string;
  readonly provider: string;
  readonly modelId: string;
  // biome-ignore lint/suspicious/noExplicitAny: the AI SDK's call options type differs per spec version.
  doGenerate(options: any): PromiseLike<AiSdkGenerateResult>;
  // biome-ignore lint/suspicious/noExplicitAny: the AI SDK's call options type differs per spec version.
  doStream(options: any): PromiseLike<{ stream: ReadableStream<AiSdkStreamPart> }>;
}

/** One AI SDK stream part (`text-delta`, `tool-call`, `finish`, `error`, …), read loosely. */
export type AiSdkStreamPart = { type: string };

/** The parts of an AI SDK `doGenerate` result the adapter reads. */
export interface AiSdkGenerateResult {
  content: ReadonlyArray<{ type: string }>;
  finishReason: unknown;
  usage: unknown;
  response?: { id?: string; modelId?: string };
}

/** Options of {@link aiSdkModel}. */
export interface AiSdkModelOptions {
  /**
   * Escape hatch: adjusts the AI SDK call options built from the Agents SDK request (e.g. `providerOptions`,
   * `reasoning`, `headers`). `modelSettings.providerData.providerOptions` is passed on without it.
   */
  callOptions?: (options: Record<string, unknown>, request: ModelRequest) => Record<string, unknown>;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const count = (value: unknown): number =>
  typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;

function parseJson(raw: string): unknown {
  if (raw.trim() === '') return {};
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** The AI SDK usage (`ai` 6/7 nested totals; `ai` 5 flat counts) as the Agents SDK's neutral usage. */
function agentsUsage(usage: unknown) {
  const raw = isObject(usage) ? usage : {};
  const input = isObject(raw.inputTokens) ? raw.inputTokens : null;
  const output = isObject(raw.outputTokens) ? raw.outputTokens : null;
  const inputTokens = input ? count(input.total) : count(raw.inputTokens);
  const outputTokens = output ? count(output.total) : count(raw.outputTokens);
  const cached = input ? count(input.cacheRead) : count(raw.cachedInputTokens);
  const cacheWrite = input ? count(input.cacheWrite) : 0;
  const reasoning = output ? count(output.reasoning) : count(raw.reasoningTokens);
  return {
    inputTokens,
    outputTokens,
    totalTokens: inputTokens + outputTokens,
    inputTokensDetails: {
      cached_tokens: cached,
      ...(cacheWrite > 0 ? { cache_write_tokens: cacheWrite } : {}),
    },
    outputTokensDetails: { reasoning_tokens: reasoning },
  };
}

/** `stop`, `length`, `tool-calls`, `content-filter`, … of any spec version. */
function unifiedFinishReason(reason: unknown): string {
  if (typeof reason === 'string') return reason;
  return isObject(reason) ? text(reason.unified) || 'other' : 'other';
}

/**
 * The RelayKit error for an AI SDK failure (an `APICallError` with `statusCode`, or an `error` stream part), mapped by
 * `providerError` of `@relaykit/sse-protocol`, the one table chat, images and transcription share: 401/403 →
 * `configuration`, 429 → `rate_limited` (with `retryAfterMs`) or `quota_exceeded`, 5xx → `provider_unavailable`, other
 * → `provider_error`. Aborts pass through unchanged, so the run stops as cancelled.
 */
export function aiSdkError(error: unknown): unknown {
  if (isObject(error) && (error as { name?: unknown }).name === 'AbortError') return error;
  if (error instanceof Error && error.name === 'AbortError') return error;
  return providerError(error);
}

/** An Agents SDK function-call output as an AI SDK tool-result output. */
function toolResultOutput(output: unknown) {
  if (typeof output === 'string') return { type: 'text', value: output };
  if (isObject(output) && output.type === 'text') return { type: 'text', value: text(output.text) };
  if (Array.isArray(output) && output.every((part) => isObject(part) && part.type === 'input_text'))
    return { type: 'text', value: output.map((part) => text((part as Json).text)).join('') };
  return { type: 'json', value: (output ?? null) as unknown };
}

/** The AI SDK prompt for an Agents SDK request (system instructions, messages, tool calls and results). */
function toPrompt(request: ModelRequest, version: string): Json[] {
  const prompt: Json[] = [];
  if (request.systemInstructions) prompt.push({ role: 'system', content: request.systemInstructions });
  const items: AgentInputItem[] =
    typeof request.input === 'string'
      ? [{ role: 'user', content: request.input } as AgentInputItem]
      : request.input;
  const last = () => prompt.at(-1);
  const filePart = (url: string, mediaType: string) =>
    version === 'v3'
      ? { type: 'file', mediaType, data: url.startsWith('data:') ? url : new URL(url) }
      : {
          type: 'file',
          mediaType,
          data: url.startsWith('data:')
            ? { type: 'data', data: url.slice(url.indexOf(',') + 1) }
            : { type: 'url', url: new URL(url) },
        };
  for (const item of items as unknown as Json[]) {
    const type = item.type ?? (item.role ? 'message' : undefined);
    if (type === 'message') {
      const role = text(item.role);
      const content =
        typeof item.content === 'string' ? [{ type: 'input_text', text: item.content }] : item.content;
      const parts = (Array.isArray(content) ? content : []).flatMap((part): Json[] => {
        if (!isObject(part)) return [];
        if (part.type === 'input_text' || part.type === 'output_text')
          return [{ type: 'text', text: text(part.text) }];
        if (part.type === 'refusal') return [{ type: 'text', text: text(part.refusal) }];
        if (part.type === 'input_image') {
          const image = typeof part.image === 'string' ? part.image : text(part.image_url);
          return image === '' ? [] : [filePart(image, 'image/*')];
        }
        throw new ConfigurationError(
          `the AI-SDK model adapter cannot send ${String(part.type)} message content`,
        );
      });
      if (role === 'system' || role === 'developer')
        prompt.push({ role: 'system', content: parts.map((part) => text(part.text)).join('\n') });
      else if (role === 'user' || role === 'assistant') prompt.push({ role, content: parts });
      continue;
    }
    if (type === 'function_call') {
      const part = {
        type: 'tool-call',
        toolCallId: text(item.callId),
        toolName: text(item.name),
        input: parseJson(text(item.arguments)),
      };
      const previous = last();
      if (previous?.role === 'assistant') (previous.content as Json[]).push(part);
      else prompt.push({ role: 'assistant', content: [part] });
      continue;
    }
    if (type === 'function_call_result') {
      const part = {
        type: 'tool-result',
        toolCallId: text(item.callId),
        toolName: text(item.name),
        output: toolResultOutput(item.output),
      };
      const previous = last();
      if (previous?.role === 'tool') (previous.content as Json[]).push(part);
      else prompt.push({ role: 'tool', content: [part] });
      continue;
    }
    if (type === 'reasoning') {
      const reasoning = (Array.isArray(item.content) ? item.content : [])
        .map((part) => (isObject(part) ? text(part.text) : ''))
        .join('');
      if (reasoning !== '')
        prompt.push({ role: 'assistant', content: [{ type: 'reasoning', text: reasoning }] });
      continue;
    }
    throw new ConfigurationError(`the AI-SDK model adapter cannot send ${String(type)} items to the model`);
  }
  return prompt;
}

/** The AI SDK call options for an Agents SDK request. */
function toCallOptions(
  request: ModelRequest,
  version: string,
  options: AiSdkModelOptions,
): Record<string, unknown> {
  const tools: Json[] = [];
  for (const tool of request.tools) {
    if (tool.type !== 'function')
      throw new ConfigurationError(
        `the AI-SDK model adapter runs function tools only; "${tool.name}" is a ${tool.type} tool of the OpenAI API`,
      );
    tools.push({
      type: 'function',
      name: tool.name,
      description: tool.description,
      inputSchema: tool.parameters,
    });
  }
  for (const handoff of request.handoffs)
    tools.push({
      type: 'function',
      name: handoff.toolName,
      description: handoff.toolDescription,
      inputSchema: handoff.inputJsonSchema,
    });
  const settings = request.modelSettings ?? {};
  const choice = settings.toolChoice;
  const toolChoice =
    choice === undefined
      ? undefined
      : choice === 'auto' || choice === 'required' || choice === 'none'
        ? { type: choice }
        : { type: 'tool', toolName: choice };
  const outputType = request.outputType;
  const responseFormat =
    outputType && outputType !== 'text' && isObject(outputType) && outputType.type === 'json_schema'
      ? { type: 'json', schema: outputType.schema, name: outputType.name }
      : undefined;
  const providerOptions = isObject(settings.providerData?.providerOptions)
    ? settings.providerData.providerOptions
    : undefined;
  const callOptions: Record<string, unknown> = {
    prompt: toPrompt(request, version),
    ...(tools.length > 0 ? { tools } : {}),
    ...(toolChoice ? { toolChoice } : {}),
    ...(responseFormat ? { responseFormat } : {}),
    ...(settings.temperature !== undefined ? { temperature: settings.temperature } : {}),
    ...(settings.topP !== undefined ? { topP: settings.topP } : {}),
    ...(settings.frequencyPenalty !== undefined ? { frequencyPenalty: settings.frequencyPenalty } : {}),
    ...(settings.presencePenalty !== undefined ? { presencePenalty: settings.presencePenalty } : {}),
    ...(settings.maxTokens !== undefined ? { maxOutputTokens: settings.maxTokens } : {}),
    ...(providerOptions ? { providerOptions } : {}),
    ...(request.signal ? { abortSignal: request.signal } : {}),
  };
  return options.callOptions ? options.callOptions(callOptions, request) : callOptions;
}

/** Accumulates one model response (streamed or not) into the Agents SDK's output items. */
class ResponseBuilder {
  id: string | undefined;
  modelId: string | undefined;
  readonly messageId = `msg_${crypto.randomUUID().replaceAll('-', '')}`;
  text = '';
  reasoning = '';
  readonly annotations: Json[] = [];
  readonly calls: Json[] = [];
  usage: unknown;
  finishReason: unknown;

  constructor(readonly model: AiSdkLanguageModel) {}

  add(part: Json): void {
    switch (part.type) {
      case 'response-metadata':
        if (typeof part.id === 'string') this.id ??= part.id;
        if (typeof part.modelId === 'string') this.modelId = part.modelId;
        break;
      case 'text':
        this.text += text(part.text);
        break;
      case 'reasoning':
        this.reasoning += text(part.text);
        break;
      case 'reasoning-delta':
        this.reasoning += text(part.delta);
        break;
      case 'source':
        if (part.sourceType === 'url' && text(part.url) !== '')
          this.annotations.push({
            type: 'url_citation',
            url: text(part.url),
            title: text(part.title) || text(part.url),
          });
        break;
      case 'tool-call':
        if (part.providerExecuted === true) break; // the provider ran it (a hosted tool): nothing for the SDK to run
        this.calls.push({
          type: 'function_call',
          callId: text(part.toolCallId),
          name: text(part.toolName),
          arguments: typeof part.input === 'string' ? part.input || '{}' : JSON.stringify(part.input ?? {}),
          status: 'completed',
        });
        break;
      case 'finish':
        this.usage = part.usage;
        this.finishReason = part.finishReason;
        break;
      default:
        break;
    }
  }

  response(): StreamEventResponseCompleted['response'] {
    const finishReason = unifiedFinishReason(this.finishReason);
    const output: Json[] = [];
    if (this.reasoning !== '')
      output.push({ type: 'reasoning', content: [{ type: 'input_text', text: this.reasoning }] });
    const blocked = finishReason === 'content-filter' && this.text === '' && this.calls.length === 0;
    if (this.text !== '' || blocked) {
      output.push({
        type: 'message',
        id: this.messageId,
        role: 'assistant',
        status: 'completed',
        content: blocked
          ? [{ type: 'refusal', refusal: 'The model provider blocked this answer (content filter).' }]
          : [
              {
                type: 'output_text',
                text: this.text,
                ...(this.annotations.length > 0 ? { providerData: { annotations: this.annotations } } : {}),
              },
            ],
      });
    }
    output.push(...this.calls);
    return {
      id: this.id ?? `aisdk_${crypto.randomUUID().replaceAll('-', '')}`,
      usage: agentsUsage(this.usage),
      output: output as unknown as StreamEventResponseCompleted['response']['output'],
      providerData: {
        model: this.modelId ?? this.model.modelId,
        provider: this.model.provider,
        finishReason,
      },
    };
  }
}

/**
 * An Agents SDK `Model` running an AI SDK language model, so agents (and RelayKit's agents responder) run on any AI
 * SDK provider. Supports text (streamed deltas), function tools and handoffs (JSON schema), reasoning text, URL
 * sources, usage (cached, cache-write and reasoning tokens), finish reasons (a content filter with no output becomes a
 * refusal), the abort signal, and errors (mapped by {@link aiSdkError}). OpenAI hosted tools cannot run here
 * (`configuration` error). The raw AI SDK stream parts are passed on as raw model events.
 *
 * @example
 * import { anthropic } from '@ai-sdk/anthropic';
 * const agent = new Agent({ name: 'helper', instructions: 'Be brief.', model: aiSdkModel(anthropic('claude-sonnet-4-5')) });
 */
export function aiSdkModel(languageModel: AiSdkLanguageModel, options: AiSdkModelOptions = {}): Model {
  const version = languageModel.specificationVersion;
  if (version !== 'v3' && version !== 'v4')
    throw new ConfigurationError(
      `aiSdkModel supports AI SDK language models of specification v3 (ai 6) and v4 (ai 7), not ${String(version)}`,
    );
  return {
    async getResponse(request: ModelRequest): Promise<ModelResponse> {
      const callOptions = toCallOptions(request, version, options);
      let result: AiSdkGenerateResult;
      try {
        result = await languageModel.doGenerate(callOptions);
      } catch (error) {
        throw aiSdkError(error);
      }
      const builder = new ResponseBuilder(languageModel);
      if (typeof result.response?.id === 'string') builder.id = result.response.id;
      if (typeof result.response?.modelId === 'string') builder.modelId = result.response.modelId;
      for (const part of result.content) builder.add(part as Json);
      builder.add({ type: 'finish', usage: result.usage, finishReason: result.finishReason });
      const response = builder.response();
      return {
        usage: new Usage(response.usage),
        output: response.output as unknown as ModelResponse['output'],
        responseId: response.id,
        providerData: response.providerData,
      };
    },

    async *getStreamedResponse(request: ModelRequest): AsyncIterable<StreamEvent> {
      const callOptions = toCallOptions(request, version, options);
      let reader: ReadableStreamDefaultReader<AiSdkStreamPart>;
      try {
        const { stream } = await languageModel.doStream(callOptions);
        reader = stream.getReader();
      } catch (error) {
        throw aiSdkError(error);
      }
      const builder = new ResponseBuilder(languageModel);
      yield { type: 'response_started' };
      try {
        for (;;) {
          let next: ReadableStreamReadResult<AiSdkStreamPart>;
          try {
            next = await reader.read();
          } catch (error) {
            throw aiSdkError(error);
          }
          if (next.done) break;
          const part = next.value as Json;
          yield { type: 'model', event: part };
          if (part.type === 'error') throw aiSdkError(part.error);
          if (part.type === 'text-delta') {
            const delta = text(part.delta) || text(part.textDelta);
            if (delta === '') continue;
            builder.text += delta;
            yield { type: 'output_text_delta', delta, itemId: builder.messageId };
            continue;
          }
          builder.add(part);
        }
      } finally {
        reader.releaseLock();
      }
      if (unifiedFinishReason(builder.finishReason) === 'error')
        throw new ProviderError('provider_error', 'the model provider ended the response with an error', {
          details: { provider: languageModel.provider },
        });
      yield { type: 'response_done', response: builder.response() };
    },
  };
}

/**
 * A `ModelProvider` for `new Runner({ modelProvider })` that resolves agent model names to AI SDK language models:
 * one model for every name, or a function of the name (return `undefined` for names it does not serve; they fail
 * with a `configuration` error, or go to `fallback` when given).
 */
export function aiSdkModelProvider(
  models: AiSdkLanguageModel | ((modelName: string) => AiSdkLanguageModel | undefined),
  options: AiSdkModelOptions & { fallback?: ModelProvider } = {},
): ModelProvider {
  return {
    async getModel(modelName?: string) {
      const name = modelName ?? '';
      const languageModel = typeof models === 'function' ? models(name) : models;
      if (languageModel) return aiSdkModel(languageModel, options);
      if (options.fallback) return options.fallback.getModel(modelName);
      throw new ConfigurationError(`no AI SDK language model is configured for model "${name}"`);
    },
  };
}

/** Options of {@link createAiSdkModelAccess}. */
export interface AiSdkModelAccessOptions<TContext> extends AiSdkModelOptions {
  /** The language model for every agent, or one per agent model name (`undefined`: use `openai`). */
  model: AiSdkLanguageModel | ((modelName: string, context: TContext) => AiSdkLanguageModel | undefined);
  /**
   * OpenAI access for what the AI SDK model does not cover: model names it leaves out, thread titles, transcription
   * and images (`clientFor`). Without it those fail with a `configuration` error (titles are then skipped).
   */
  openai?: ModelAccess<TContext>;
}

/**
 * Model access for the agents responder (`createChatKitServer({ agents: { modelAccess } })`) that runs agents on AI
 * SDK language models, so a ChatKit or simple-stream server answers with Anthropic, Google, a local model, … .
 * `api` is the `openai` access's API, or `chat_completions` without it (so no `previous_response_id` is sent).
 */
export function createAiSdkModelAccess<TContext>(
  options: AiSdkModelAccessOptions<TContext>,
): ModelAccess<TContext> {
  const { model, openai, ...modelOptions } = options;
  return {
    api: openai?.api ?? 'chat_completions',
    async providerFor(context: TContext): Promise<ModelProvider> {
      const fallback = openai ? await openai.providerFor(context) : undefined;
      return aiSdkModelProvider(typeof model === 'function' ? (name) => model(name, context) : model, {
        ...modelOptions,
        ...(fallback ? { fallback } : {}),
      });
    },
    async clientFor(context: TContext): Promise<OpenAI> {
      if (openai) return openai.clientFor(context);
      throw new ConfigurationError(
        'no OpenAI client: createAiSdkModelAccess was given no `openai` model access (titles, transcription and images need one)',
      );
    },
  };
}
