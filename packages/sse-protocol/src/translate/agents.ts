import type { ThreadStreamEvent } from '../chatkit/events';
import type { Annotation, AssistantMessageContent } from '../chatkit/model';
import { type ChatKitTranslationOptions, defaultGenerateId, type GeneratedImageBytes } from './options';
import { convertAnnotation, parseArguments, ResponsesToChatKitTranslator, withImageUrl } from './responses';

/**
 * The slice of an `@openai/agents` run stream event this translator reads (`RunStreamEvent`): run item events
 * (`run_item_stream_event` with `name` and `item`), `agent_updated_stream_event`, and `raw_model_stream_event`s whose
 * `data` is a model protocol event (`response_started`, `output_text_delta`, `response_done`, or `model` wrapping the
 * provider's raw event). Unknown events are ignored.
 */
export interface AgentsRunStreamEvent {
  readonly type: string;
  readonly data?: unknown;
  /** Run item events: `message_output_created`, `tool_called`, `reasoning_item_created`, `handoff_requested`, … */
  readonly name?: string;
  /** Run item events: the `RunItem` (its `rawItem` is the provider-neutral protocol item). */
  readonly item?: unknown;
  /** `agent_updated_stream_event`: the agent now running. */
  readonly agent?: unknown;
}

/** A `StreamedRunResult` or any iterable of its events. */
export type AgentsRunSource =
  | AsyncIterable<AgentsRunStreamEvent>
  | Iterable<AgentsRunStreamEvent>
  | (AsyncIterable<AgentsRunStreamEvent> & { completed?: Promise<unknown> });

/** The Agents SDK's provider-neutral usage of one model response (`response_done.response.usage`). */
export interface AgentsResponseUsage {
  requests?: number;
  inputTokens: number;
  outputTokens: number;
  totalTokens?: number;
  /** e.g. `{ cached_tokens, cache_write_tokens }`. */
  inputTokensDetails?: Record<string, number> | Record<string, number>[];
  /** e.g. `{ reasoning_tokens }`. */
  outputTokensDetails?: Record<string, number> | Record<string, number>[];
  [key: string]: unknown;
}

/**
 * One finished model response of a run, as the Agents SDK reports it for every model (`response_done`): the
 * Responses API, Chat Completions and AI-SDK models alike.
 */
export interface AgentsModelResponse {
  /** The provider's response id (Chat Completions: the `chatcmpl-…` id; some models report none or a placeholder). */
  id: string;
  /** Token usage of this one response. */
  usage?: AgentsResponseUsage;
  /** The protocol output items (messages, function calls, reasoning, hosted tool calls). */
  output?: unknown[];
  /** What the provider sent beside (Responses: `model`, `status`, …). */
  providerData?: Record<string, unknown>;
  requestId?: string;
  [key: string]: unknown;
}

/** Options of {@link agentsRunToChatKit}. */
export interface AgentsRunTranslationOptions extends ChatKitTranslationOptions {
  /**
   * Called once per model response of the run with the SDK's provider-neutral response (`response_done`): its id,
   * usage, output and provider data. Use it for usage accounting on any model. (`onResponseCompleted` is called
   * only for Responses API runs, from the raw `response.completed` event.)
   */
  onResponseDone?: (response: AgentsModelResponse) => void;
  /** Called with the name of the agent that starts running (the first agent, then after every handoff). */
  onAgentUpdated?: (agentName: string) => void;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** Raw Responses events read as enrichment: what the provider-neutral events do not carry. */
const ENRICHMENT_EVENTS = new Set([
  'response.created',
  'response.reasoning_summary_text.delta',
  'response.reasoning_summary_text.done',
  'response.image_generation_call.partial_image',
  'response.completed',
]);
/** Raw output items whose life the neutral events already tell (messages, function calls). */
const NEUTRAL_ITEMS = new Set(['message', 'function_call', 'custom_tool_call']);

/** A Responses (`url_citation` flat) or Chat Completions (`{ type, url_citation: {…} }`) annotation. */
function convertAnyAnnotation(annotation: unknown): Annotation | null {
  if (isObject(annotation) && annotation.type === 'url_citation' && isObject(annotation.url_citation))
    return convertAnnotation({ type: 'url_citation', ...annotation.url_citation });
  return convertAnnotation(annotation);
}

function convertAnnotations(value: unknown): Annotation[] {
  if (!Array.isArray(value)) return [];
  return value
    .map(convertAnyAnnotation)
    .filter((annotation): annotation is Annotation => annotation !== null);
}

/** The ChatKit content of a protocol assistant message (`output_text`, `refusal`, an audio transcript). */
function finalContent(message: Json): AssistantMessageContent[] {
  const content = Array.isArray(message.content) ? message.content : [];
  return content.flatMap((part): AssistantMessageContent[] => {
    if (!isObject(part)) return [];
    if (part.type === 'output_text') {
      const providerData = isObject(part.providerData) ? part.providerData : {};
      const annotations = convertAnnotations(providerData.annotations ?? part.annotations);
      return [{ type: 'output_text', text: text(part.text), annotations }];
    }
    if (part.type === 'refusal') return [{ type: 'output_text', text: text(part.refusal), annotations: [] }];
    if (part.type === 'audio' && text(part.transcript) !== '')
      return [{ type: 'output_text', text: text(part.transcript), annotations: [] }];
    return [];
  });
}

/** An assistant message shown (`thread.item.added`) and not yet done. */
interface OpenMessage {
  chatKitId: string;
  /** The response it belongs to (several responses may reuse item ids such as `txt-0`). */
  response: number;
  /** Streamed text and annotations per content index. */
  parts: Map<number, { text: string; annotations: Annotation[] }>;
}

/** What a message streamed, as ChatKit content (for a final item that carries none). */
function streamedContent(message: OpenMessage): AssistantMessageContent[] {
  return [...message.parts.entries()]
    .sort(([left], [right]) => left - right)
    .map(([, part]) => ({ type: 'output_text', text: part.text, annotations: part.annotations }));
}

/**
 * The translator's state machine: feed it every event of an Agents SDK run and it returns the ChatKit events to emit.
 * Messages, text deltas, client tool calls, handoffs and usage come from the provider-neutral events, so every model
 * the SDK runs translates the same way; raw Responses events only add what only they carry (hosted tool progress,
 * reasoning summaries, annotations, image generation, streamed refusals), through the Responses translator.
 */
class AgentsRunStateMachine implements AgentsRunTranslator {
  readonly #threadId: string;
  readonly #generateId: NonNullable<ChatKitTranslationOptions['generateId']>;
  readonly #now: () => Date;
  readonly #clientTools: ReadonlySet<string>;
  readonly #onResponseDone: AgentsRunTranslationOptions['onResponseDone'];
  readonly #onAgentUpdated: AgentsRunTranslationOptions['onAgentUpdated'];
  /** The Responses translator, fed only the raw events that enrich (workflows, images, annotations). */
  readonly #responses: ResponsesToChatKitTranslator;
  /** Counts model responses (`response_started`), to scope provider item ids. */
  #response = 0;
  /** Whether the current model response streams raw Responses events. */
  #rawResponses = false;
  /** Provider item ids the raw Responses stream named (`output_item.added`): unique, so ChatKit keeps them. */
  readonly #namedIds = new Set<string>();
  readonly #open = new Map<string, OpenMessage>();
  /** The message the last delta went to (most deltas follow one of the same message): no key built for those. */
  #recent: { providerId: string | undefined; message: OpenMessage } | undefined;

  constructor(options: AgentsRunTranslationOptions) {
    if (typeof options?.threadId !== 'string' || options.threadId === '') {
      throw new TypeError('agentsRunToChatKit: options.threadId is required');
    }
    this.#threadId = options.threadId;
    this.#generateId = options.generateId ?? defaultGenerateId;
    this.#now = options.now ?? (() => new Date());
    this.#clientTools = new Set(options.clientToolNames ?? []);
    this.#onResponseDone = options.onResponseDone;
    this.#onAgentUpdated = options.onAgentUpdated;
    this.#responses = new ResponsesToChatKitTranslator(options);
  }

  #base(id: string) {
    return { id, thread_id: this.#threadId, created_at: this.#now().toISOString() };
  }

  /** The ChatKit id of a provider item: kept when the Responses stream named it, generated otherwise. */
  #chatKitId(providerId: string | undefined, kind: 'message' | 'tool_call'): string {
    return providerId !== undefined && this.#namedIds.has(providerId) ? providerId : this.#generateId(kind);
  }

  #key(providerId: string | undefined): string {
    return `${this.#response}:${providerId ?? ''}`;
  }

  /** The open message for a provider item id, shown now (`thread.item.added`) when it is new. */
  #message(providerId: string | undefined, out: ThreadStreamEvent[]): OpenMessage {
    const recent = this.#recent;
    if (
      recent !== undefined &&
      recent.providerId === providerId &&
      recent.message.response === this.#response
    )
      return recent.message;
    const message = this.#openMessage(providerId, out);
    this.#recent = { providerId, message };
    return message;
  }

  #openMessage(providerId: string | undefined, out: ThreadStreamEvent[]): OpenMessage {
    const key = this.#key(providerId);
    const open = this.#open.get(key);
    if (open !== undefined) return open;
    this.#responses.endWorkflow(out);
    const message: OpenMessage = {
      chatKitId: this.#chatKitId(providerId, 'message'),
      response: this.#response,
      parts: new Map(),
    };
    this.#open.set(key, message);
    out.push({
      type: 'thread.item.added',
      item: { ...this.#base(message.chatKitId), type: 'assistant_message', content: [] },
    });
    return message;
  }

  #delta(message: OpenMessage, contentIndex: number, delta: string, out: ThreadStreamEvent[]): void {
    let part = message.parts.get(contentIndex);
    if (part === undefined) {
      part = { text: '', annotations: [] };
      message.parts.set(contentIndex, part);
      out.push({
        type: 'thread.item.updated',
        item_id: message.chatKitId,
        update: {
          type: 'assistant_message.content_part.added',
          content_index: contentIndex,
          content: { type: 'output_text', text: '', annotations: [] },
        },
      });
    }
    part.text += delta;
    out.push({
      type: 'thread.item.updated',
      item_id: message.chatKitId,
      update: { type: 'assistant_message.content_part.text_delta', content_index: contentIndex, delta },
    });
  }

  /**
   * The open message a finished protocol message belongs to: by id in the current response, else the oldest open
   * message of that response (Chat Completions streams deltas without an id, or with one the final item does not keep).
   */
  #finishing(providerId: string | undefined): [string, OpenMessage] | undefined {
    const byId = this.#open.get(this.#key(providerId));
    if (byId !== undefined) return [this.#key(providerId), byId];
    return [...this.#open.entries()].find(([, message]) => message.response === this.#response);
  }

  /** `content_part.done` for each part (when streamed) and `thread.item.done` with the final content. */
  #done(
    message: OpenMessage | undefined,
    chatKitId: string,
    content: AssistantMessageContent[],
  ): ThreadStreamEvent[] {
    const out: ThreadStreamEvent[] = [];
    if (message !== undefined) {
      content.forEach((part, index) => {
        const streamed = message.parts.get(index);
        const annotations = part.annotations.length > 0 ? part.annotations : (streamed?.annotations ?? []);
        content[index] = { ...part, annotations };
        out.push({
          type: 'thread.item.updated',
          item_id: chatKitId,
          update: {
            type: 'assistant_message.content_part.done',
            content_index: index,
            content: { type: 'output_text', text: part.text, annotations },
          },
        });
      });
    }
    out.push({
      type: 'thread.item.done',
      item: { ...this.#base(chatKitId), type: 'assistant_message', content },
    });
    return out;
  }

  #messageDone(raw: Json): ThreadStreamEvent[] {
    const providerId = text(raw.id) || undefined;
    const found = this.#finishing(providerId);
    if (found !== undefined) {
      this.#open.delete(found[0]);
      this.#recent = undefined;
    }
    const chatKitId = found?.[1].chatKitId ?? this.#chatKitId(providerId, 'message');
    const content = finalContent(raw);
    return this.#done(
      found?.[1],
      chatKitId,
      content.length > 0 || !found ? content : streamedContent(found[1]),
    );
  }

  #toolCalled(raw: Json): ThreadStreamEvent[] {
    const name = text(raw.name);
    if (!this.#clientTools.has(name)) return [];
    const out = this.#responses.endWorkflow();
    const providerId = text(raw.id) || undefined;
    out.push({
      type: 'thread.item.done',
      item: {
        ...this.#base(this.#chatKitId(providerId, 'tool_call')),
        type: 'client_tool_call',
        status: 'pending',
        call_id: text(raw.callId) || text(raw.call_id) || this.#generateId('tool_call'),
        name,
        arguments:
          raw.type === 'custom_tool_call' ? { input: text(raw.input) } : parseArguments(raw.arguments),
      },
    });
    return out;
  }

  /** A reasoning summary from the neutral item, when the raw Responses stream did not show it already. */
  #reasoning(raw: Json): ThreadStreamEvent[] {
    if (this.#rawResponses) return [];
    const summary = (Array.isArray(raw.content) ? raw.content : [])
      .map((part) => (isObject(part) ? text(part.text) : ''))
      .filter((part) => part !== '')
      .join('\n\n');
    if (summary === '') return [];
    // The item is complete (no deltas to wait for): the workflow is shown and ended at once, so it is stored
    // before the answer that the model wrote after it.
    const out = this.#responses.push({
      type: 'response.reasoning_summary_text.done',
      item_id: text(raw.id) || `reasoning_${this.#response}`,
      summary_index: 0,
      text: summary,
    });
    return this.#responses.endWorkflow(out);
  }

  #runItem(name: string, item: unknown): ThreadStreamEvent[] {
    const raw = isObject(item) && isObject(item.rawItem) ? item.rawItem : isObject(item) ? item : {};
    switch (name) {
      case 'message_output_created':
        return this.#messageDone(raw);
      case 'tool_called':
        return this.#toolCalled(raw);
      case 'reasoning_item_created':
        return this.#reasoning(raw);
      default:
        // handoff_requested / handoff_occurred / tool_output / tool_approval_requested: nothing to show; the
        // next agent's answer streams as usual.
        return [];
    }
  }

  /** A raw provider event: only Responses events, and only what the neutral events do not carry. */
  #raw(event: unknown): ThreadStreamEvent[] {
    if (!isObject(event) || typeof event.type !== 'string' || !event.type.startsWith('response.')) return [];
    this.#rawResponses = true;
    const out: ThreadStreamEvent[] = [];
    switch (event.type) {
      case 'response.refusal.delta': {
        const message = this.#message(text(event.item_id) || undefined, out);
        this.#delta(message, Number(event.content_index ?? 0), text(event.delta), out);
        return out;
      }
      case 'response.output_text.annotation.added': {
        const message = this.#message(text(event.item_id) || undefined, out);
        for (const translated of this.#responses.push({ ...event, item_id: message.chatKitId })) {
          out.push(translated);
          if (
            translated.type === 'thread.item.updated' &&
            translated.update.type === 'assistant_message.content_part.annotation_added'
          ) {
            const index = translated.update.content_index;
            const part = message.parts.get(index) ?? { text: '', annotations: [] };
            part.annotations.push(translated.update.annotation);
            message.parts.set(index, part);
          }
        }
        return out;
      }
      case 'response.output_item.added':
      case 'response.output_item.done': {
        const item = isObject(event.item) ? event.item : {};
        if (NEUTRAL_ITEMS.has(String(item.type))) {
          if (text(item.id) !== '') this.#namedIds.add(text(item.id));
          return out;
        }
        return this.#responses.push(event);
      }
      default:
        return ENRICHMENT_EVENTS.has(event.type) ? this.#responses.push(event) : out;
    }
  }

  /** Translates one run stream event. */
  push(event: AgentsRunStreamEvent): ThreadStreamEvent[] {
    if (!isObject(event)) return [];
    switch (event.type) {
      case 'raw_model_stream_event': {
        const data = isObject(event.data) ? event.data : {};
        switch (data.type) {
          case 'response_started':
            this.#response += 1;
            this.#rawResponses = false;
            return [];
          case 'output_text_delta': {
            const out: ThreadStreamEvent[] = [];
            const providerData = isObject(data.providerData) ? data.providerData : {};
            const contentIndex =
              Number.isInteger(providerData.content_index) && Number(providerData.content_index) >= 0
                ? Number(providerData.content_index)
                : 0;
            const message = this.#message(text(data.itemId) || undefined, out);
            this.#delta(message, contentIndex, text(data.delta), out);
            return out;
          }
          case 'response_done':
            if (isObject(data.response)) this.#onResponseDone?.(data.response as AgentsModelResponse);
            return [];
          case 'model':
            return this.#raw(data.event);
          default:
            return [];
        }
      }
      case 'run_item_stream_event':
        return this.#runItem(text(event.name), event.item);
      case 'agent_updated_stream_event': {
        const name = isObject(event.agent) ? text(event.agent.name) : '';
        if (name !== '') this.#onAgentUpdated?.(name);
        return [];
      }
      default:
        return [];
    }
  }

  /** The generated image an emitted event shows, if any (see `imageUrl`). */
  imageOf(event: ThreadStreamEvent) {
    return this.#responses.imageOf(event);
  }

  /** At the end of the run: messages still open are finished with their streamed text; the workflow ends. */
  finish(): ThreadStreamEvent[] {
    const out: ThreadStreamEvent[] = [];
    for (const message of this.#open.values())
      out.push(...this.#done(message, message.chatKitId, streamedContent(message)));
    this.#open.clear();
    this.#recent = undefined;
    return this.#responses.endWorkflow(out);
  }
}

/**
 * Translates an `@openai/agents` streamed run (`run(agent, input, { stream: true })`) into ChatKit stream events
 * (docs/specs/chatkit-protocol.md §8.1), for every model the SDK runs: the Responses API, Chat Completions and AI-SDK
 * models.
 *
 * Assistant messages come from the SDK's provider-neutral events: `thread.item.added` at the first
 * `output_text_delta`, a text delta per delta (each exactly once), and `thread.item.done` with the final content
 * (annotations and refusals included) at `message_output_created`. A message the model did not stream is one
 * `thread.item.done`. A `tool_called` item naming a client tool (`clientToolNames`) becomes a pending
 * `client_tool_call`; server tool calls and handoffs show nothing. `response_done` reports each model response
 * (`onResponseDone`: id, usage, output). Raw Responses events (`data.type === 'model'`) only enrich: hosted tool
 * progress and reasoning summaries as a workflow, annotations as they stream, generated images, streamed refusals.
 * Item ids: the Responses item id when the raw Responses stream names the item (as chatkit-python does), else
 * `generateId(kind)`: Chat Completions and other providers give no id that is unique in a thread.
 *
 * After the events end, a rejected `result.completed` (the run failed) is rethrown. When the failure is a guardrail
 * tripwire, a `thread.item.removed` for every item the run produced is emitted first (docs/specs/chatkit-protocol.md §8.1).
 */
export async function* agentsRunToChatKit(
  run: AgentsRunSource,
  options: AgentsRunTranslationOptions,
): AsyncGenerator<ThreadStreamEvent, void, undefined> {
  const translator = createAgentsRunTranslator(options);
  /** Ids of every item emitted (`added` or `done`), in order, for a guardrail's retraction. */
  const emitted = new Set<string>();
  const { imageUrl } = options;
  /** The events to send for `events`: tracked, and with image URLs when there is a hook. */
  async function* send(events: ThreadStreamEvent[]): AsyncGenerator<ThreadStreamEvent, void, undefined> {
    for (const event of events) {
      if (event.type === 'thread.item.added' || event.type === 'thread.item.done') emitted.add(event.item.id);
      const image = imageUrl === undefined ? undefined : translator.imageOf(event);
      yield image === undefined || imageUrl === undefined
        ? event
        : await withImageUrl(event, image, imageUrl);
    }
  }
  try {
    for await (const event of run) {
      const events = translator.push(event);
      // Most run events translate to nothing or to one event: no nested generator for those.
      if (events.length === 0) continue;
      if (events.length === 1 && imageUrl === undefined) {
        const only = events[0] as ThreadStreamEvent;
        if (only.type === 'thread.item.added' || only.type === 'thread.item.done') emitted.add(only.item.id);
        yield only;
        continue;
      }
      yield* send(events);
    }
    const completed = (run as { completed?: Promise<unknown> }).completed;
    if (completed !== undefined) await completed;
    yield* send(translator.finish());
  } catch (error) {
    // A guardrail tripwire retracts everything the run showed (docs/specs/chatkit-protocol.md §8.1), then the error goes to the caller.
    if (isGuardrailTripwire(error)) {
      const removed = [...emitted];
      emitted.clear();
      for (const id of removed) yield { type: 'thread.item.removed', item_id: id };
    }
    throw error;
  }
}

/**
 * The synchronous translator behind {@link agentsRunToChatKit}, for a caller that runs its own loop over the run's
 * events: `push(event)` answers the ChatKit events of one run stream event (most often none or one text delta),
 * `finish()` those of the end of the run (call it once `completed` resolved), and `imageOf(event)` the generated
 * image an emitted event shows (for `imageUrl`, which this translator does not call). Guardrail retraction is the
 * caller's: `agentsRunToChatKit` shows how.
 */
export interface AgentsRunTranslator {
  push(event: AgentsRunStreamEvent): ThreadStreamEvent[];
  finish(): ThreadStreamEvent[];
  imageOf(event: ThreadStreamEvent): GeneratedImageBytes | undefined;
}

/** Creates an {@link AgentsRunTranslator} (the options of {@link agentsRunToChatKit}; `imageUrl` is not called). */
export function createAgentsRunTranslator(options: AgentsRunTranslationOptions): AgentsRunTranslator {
  return new AgentsRunStateMachine(options);
}

/** True for the Agents SDK's `InputGuardrailTripwireTriggered` / `OutputGuardrailTripwireTriggered`. */
export function isGuardrailTripwire(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'InputGuardrailTripwireTriggered' || name === 'OutputGuardrailTripwireTriggered';
}
