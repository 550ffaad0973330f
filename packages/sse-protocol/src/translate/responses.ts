import type { ThreadStreamEvent } from '../chatkit/events';
import type {
  Annotation,
  AssistantMessageContent,
  Task,
  ThreadItem,
  Workflow,
  WorkflowItem,
} from '../chatkit/model';
import { ProviderError } from '../errors';
import { parseJsonText } from '../sse/json';
import {
  type ChatKitTranslationOptions,
  type CompletedResponse,
  defaultGenerateId,
  type GeneratedImageBytes,
  type GeneratedImageUrl,
} from './options';

/** One event of an OpenAI Responses stream (`response.*`, `error`), as parsed JSON. Unknown types are ignored. */
export interface ResponsesStreamEvent {
  type: string;
  [key: string]: unknown;
}

type Json = Record<string, unknown>;
type Source = AsyncIterable<unknown> | Iterable<unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** Converts one Responses annotation into a ChatKit annotation, or `null` when it cannot be shown (docs/specs/chatkit-protocol.md §8.1). */
export function convertAnnotation(annotation: unknown): Annotation | null {
  if (!isObject(annotation)) return null;
  switch (annotation.type) {
    case 'url_citation': {
      const url = text(annotation.url);
      if (url === '') return null;
      return {
        type: 'annotation',
        source: { type: 'url', url, title: text(annotation.title) || url },
        index: typeof annotation.end_index === 'number' ? annotation.end_index : null,
      };
    }
    case 'file_citation': {
      const filename = text(annotation.filename);
      if (filename === '') return null;
      return {
        type: 'annotation',
        source: { type: 'file', filename, title: filename },
        index: typeof annotation.index === 'number' ? annotation.index : null,
      };
    }
    case 'container_file_citation': {
      const filename = text(annotation.filename);
      if (filename === '') return null;
      return {
        type: 'annotation',
        source: { type: 'file', filename, title: filename },
        index: typeof annotation.end_index === 'number' ? annotation.end_index : null,
      };
    }
    default:
      return null;
  }
}

/** Converts a Responses message content part (`output_text` or `refusal`) into ChatKit content. */
function convertContent(part: unknown): AssistantMessageContent | null {
  if (!isObject(part)) return null;
  if (part.type === 'output_text') {
    const annotations = Array.isArray(part.annotations)
      ? part.annotations.map(convertAnnotation).filter((a): a is Annotation => a !== null)
      : [];
    return { type: 'output_text', text: text(part.text), annotations };
  }
  if (part.type === 'refusal') return { type: 'output_text', text: text(part.refusal), annotations: [] };
  return null;
}

function convertMessageContent(item: Json): AssistantMessageContent[] {
  const content = Array.isArray(item.content) ? item.content : [];
  return content.map(convertContent).filter((part): part is AssistantMessageContent => part !== null);
}

const HOSTED_TOOL_TITLES: Record<string, string> = {
  web_search_call: 'Searching the web',
  file_search_call: 'Searching files',
  code_interpreter_call: 'Running code',
  mcp_call: 'Calling a tool',
  mcp_list_tools: 'Listing tools',
  tool_search_call: 'Searching tools',
  computer_call: 'Using the computer',
  shell_call: 'Running a command',
  local_shell_call: 'Running a command',
};

/** The workflow task of an image generation that joins an open workflow, while it runs or once the image is done. */
function imageTask(done: boolean): Task {
  return done
    ? { type: 'image', title: 'Generated an image', status_indicator: 'complete' }
    : { type: 'image', title: 'Generating an image', status_indicator: 'loading' };
}

/** The workflow task shown for a hosted tool call item, while it runs (`done` false) or once it finished. */
function hostedToolTask(item: Json, done: boolean): Task {
  const status_indicator = done ? 'complete' : 'loading';
  switch (item.type) {
    case 'web_search_call': {
      const action = isObject(item.action) ? item.action : {};
      const query = text(action.query);
      const sources = Array.isArray(action.sources)
        ? action.sources.filter(isObject).flatMap((source) => {
            const url = text(source.url);
            return url === '' ? [] : [{ type: 'url' as const, url, title: text(source.title) || url }];
          })
        : [];
      return {
        type: 'web_search',
        status_indicator,
        title: done ? 'Searched the web' : 'Searching the web',
        ...(query !== '' ? { title_query: query } : {}),
        queries: query !== '' ? [query] : [],
        sources,
      };
    }
    case 'file_search_call': {
      const results = Array.isArray(item.results) ? item.results.filter(isObject) : [];
      const sources = results.flatMap((result) => {
        const filename = text(result.filename);
        return filename === '' ? [] : [{ type: 'file' as const, filename, title: filename }];
      });
      return { type: 'file', status_indicator, title: done ? 'Searched files' : 'Searching files', sources };
    }
    case 'code_interpreter_call':
      return {
        type: 'custom',
        status_indicator,
        title: done ? 'Ran code' : 'Running code',
        icon: 'square-code',
        ...(done && text(item.code) !== '' ? { content: `\`\`\`python\n${text(item.code)}\n\`\`\`` } : {}),
      };
    case 'mcp_call': {
      const name = [text(item.server_label), text(item.name)].filter((part) => part !== '').join('.');
      return {
        type: 'custom',
        status_indicator,
        title: done ? `Called ${name || 'a tool'}` : `Calling ${name || 'a tool'}`,
        icon: 'mcp',
      };
    }
    default:
      return {
        type: 'custom',
        status_indicator,
        title: HOSTED_TOOL_TITLES[String(item.type)] ?? String(item.type),
      };
  }
}

/** A function call's JSON arguments as an object (`{ value }` for a non-object, `{ input }` for text that is not JSON). */
export function parseArguments(raw: unknown): Record<string, unknown> {
  if (isObject(raw)) return raw;
  if (typeof raw !== 'string' || raw.trim() === '') return {};
  try {
    const parsed: unknown = parseJsonText(raw);
    return isObject(parsed) ? parsed : { value: parsed };
  } catch {
    return { input: raw };
  }
}

function isProviderRetryable(code: string): boolean {
  return /rate_limit|server_error|overloaded|timeout|unavailable/i.test(code);
}

/**
 * The translator's state machine, shared by {@link responsesToChatKit} and `agentsRunToChatKit`: feed it one
 * Responses event at a time and it returns the ChatKit events to emit (docs/specs/chatkit-protocol.md §8.1).
 */
export class ResponsesToChatKitTranslator {
  readonly #threadId: string;
  readonly #generateId: NonNullable<ChatKitTranslationOptions['generateId']>;
  readonly #now: () => Date;
  readonly #clientTools: ReadonlySet<string>;
  readonly #onCompleted: ChatKitTranslationOptions['onResponseCompleted'];
  #workflow: WorkflowItem | null = null;
  #workflowStartedAt = 0;
  /** Task index in the current workflow for a hosted tool item id. */
  #toolTasks = new Map<string, number>();
  /** Per (item, content_index) count of annotations emitted, so dropped annotations leave no gaps. */
  #annotationCounts = new Map<string, number>();
  #pendingAnnotations = new Map<string, Annotation[]>();
  #images = new Map<string, string>();
  /** `partial_images` of the image generation tool: the option, else the `tools` of `response.created`. */
  #partialImages: number | undefined;
  readonly #partialImagesOption: number | undefined;
  /** The generated image behind each emitted image event, for {@link imageUrlEvents}. */
  readonly #imageEvents = new WeakMap<ThreadStreamEvent, GeneratedImageBytes>();
  /** The reasoning summary part that streams as deltas (the reference streams only a workflow's first thought). */
  #streamingThought: { key: string; index: number; content: string } | null = null;
  /** Ids of every item this translator emitted (`added` or `done`), in order. */
  #emitted = new Set<string>();
  #failed = false;

  constructor(options: ChatKitTranslationOptions) {
    if (typeof options?.threadId !== 'string' || options.threadId === '') {
      throw new TypeError('responsesToChatKit: options.threadId is required');
    }
    this.#threadId = options.threadId;
    this.#generateId = options.generateId ?? defaultGenerateId;
    this.#now = options.now ?? (() => new Date());
    this.#clientTools = new Set(options.clientToolNames ?? []);
    this.#onCompleted = options.onResponseCompleted;
    this.#partialImagesOption = positiveInteger(options.partialImages);
    this.#partialImages = this.#partialImagesOption;
  }

  /** The generated image an emitted event shows (a partial or final image as a `data:` URL), if any. */
  imageOf(event: ThreadStreamEvent): GeneratedImageBytes | undefined {
    return this.#imageEvents.get(event);
  }

  /** True once an `error` or `response.failed` event was translated into a ChatKit `error` event. */
  get failed(): boolean {
    return this.#failed;
  }

  #base(id: string) {
    return { id, thread_id: this.#threadId, created_at: this.#now().toISOString() };
  }

  #ensureWorkflow(type: Workflow['type'], out: ThreadStreamEvent[]): WorkflowItem {
    if (this.#workflow !== null) return this.#workflow;
    this.#workflow = {
      ...this.#base(this.#generateId('workflow')),
      type: 'workflow',
      workflow: { type, tasks: [], expanded: false },
    };
    this.#workflowStartedAt = this.#now().getTime();
    out.push({ type: 'thread.item.added', item: structuredClone(this.#workflow) as ThreadItem });
    return this.#workflow;
  }

  #addTask(task: Task, out: ThreadStreamEvent[]): number {
    const workflow = this.#ensureWorkflow('custom', out);
    workflow.workflow.tasks.push(task);
    const index = workflow.workflow.tasks.length - 1;
    out.push({
      type: 'thread.item.updated',
      item_id: workflow.id,
      update: { type: 'workflow.task.added', task_index: index, task: structuredClone(task) },
    });
    return index;
  }

  #updateTask(index: number, task: Task, out: ThreadStreamEvent[]): void {
    const workflow = this.#workflow;
    if (workflow === null) return;
    workflow.workflow.tasks[index] = task;
    out.push({
      type: 'thread.item.updated',
      item_id: workflow.id,
      update: { type: 'workflow.task.updated', task_index: index, task: structuredClone(task) },
    });
  }

  /** Ends the open workflow (if any): `thread.item.done` with a duration summary unless one is set. */
  endWorkflow(out: ThreadStreamEvent[] = []): ThreadStreamEvent[] {
    const workflow = this.#workflow;
    if (workflow === null) return out;
    if (workflow.workflow.summary == null) {
      const seconds = Math.max(0, Math.floor((this.#now().getTime() - this.#workflowStartedAt) / 1000));
      workflow.workflow.summary = { duration: seconds };
    }
    workflow.workflow.expanded = false;
    out.push({ type: 'thread.item.done', item: structuredClone(workflow) as ThreadItem });
    this.#emitted.add(workflow.id);
    this.#workflow = null;
    this.#toolTasks.clear();
    this.#streamingThought = null;
    return out;
  }

  /** Translates one Responses stream event. */
  push(event: unknown): ThreadStreamEvent[] {
    if (!isObject(event) || typeof event.type !== 'string') {
      throw new ProviderError(
        'provider_error',
        'malformed Responses stream event: expected an object with a string `type`',
        {
          details: { event: typeof event === 'object' ? event : String(event) },
        },
      );
    }
    const out: ThreadStreamEvent[] = [];
    switch (event.type) {
      case 'response.output_item.added':
        this.#itemAdded(isObject(event.item) ? event.item : {}, out);
        break;
      case 'response.output_item.done':
        this.#itemDone(isObject(event.item) ? event.item : {}, out);
        break;
      case 'response.content_part.added': {
        const content = convertContent(event.part);
        if (content !== null) {
          out.push({
            type: 'thread.item.updated',
            item_id: text(event.item_id),
            update: {
              type: 'assistant_message.content_part.added',
              content_index: Number(event.content_index ?? 0),
              content,
            },
          });
        }
        break;
      }
      case 'response.output_text.delta':
      case 'response.refusal.delta':
        out.push({
          type: 'thread.item.updated',
          item_id: text(event.item_id),
          update: {
            type: 'assistant_message.content_part.text_delta',
            content_index: Number(event.content_index ?? 0),
            delta: text(event.delta),
          },
        });
        break;
      case 'response.output_text.done':
      case 'response.refusal.done': {
        const key = `${text(event.item_id)}:${Number(event.content_index ?? 0)}`;
        out.push({
          type: 'thread.item.updated',
          item_id: text(event.item_id),
          update: {
            type: 'assistant_message.content_part.done',
            content_index: Number(event.content_index ?? 0),
            // The reference sends `annotations: []` here; we send the ones already streamed so a client that
            // replaces the part on `done` keeps them.
            content: {
              type: 'output_text',
              text: text(event.type === 'response.refusal.done' ? event.refusal : event.text),
              annotations: this.#pendingAnnotations.get(key) ?? [],
            },
          },
        });
        break;
      }
      case 'response.output_text.annotation.added': {
        const annotation = convertAnnotation(event.annotation);
        if (annotation === null) break;
        const contentIndex = Number(event.content_index ?? 0);
        const key = `${text(event.item_id)}:${contentIndex}`;
        const index = this.#annotationCounts.get(key) ?? 0;
        this.#annotationCounts.set(key, index + 1);
        this.#pendingAnnotations.set(key, [...(this.#pendingAnnotations.get(key) ?? []), annotation]);
        out.push({
          type: 'thread.item.updated',
          item_id: text(event.item_id),
          update: {
            type: 'assistant_message.content_part.annotation_added',
            content_index: contentIndex,
            annotation_index: index,
            annotation,
          },
        });
        break;
      }
      case 'response.reasoning_summary_text.delta': {
        // As chatkit-python's agents bridge: only the first thought of a reasoning workflow streams as it is
        // written (so it shows early); later summary parts are added whole at their `done`. Thoughts carry no status.
        const key = `${text(event.item_id)}:${Number(event.summary_index ?? 0)}`;
        const delta = text(event.delta);
        const workflow = this.#ensureWorkflow('reasoning', out);
        const streaming = this.#streamingThought;
        if (
          streaming === null &&
          workflow.workflow.type === 'reasoning' &&
          workflow.workflow.tasks.length === 0
        ) {
          const index = this.#addTask({ type: 'thought', status_indicator: 'none', content: delta }, out);
          this.#streamingThought = { key, index, content: delta };
        } else if (streaming !== null && streaming.key === key) {
          streaming.content += delta;
          this.#updateTask(
            streaming.index,
            { type: 'thought', status_indicator: 'none', content: streaming.content },
            out,
          );
        }
        break;
      }
      case 'response.reasoning_summary_text.done': {
        const key = `${text(event.item_id)}:${Number(event.summary_index ?? 0)}`;
        const final = text(event.text);
        const streaming = this.#streamingThought;
        if (streaming !== null && streaming.key === key && this.#workflow !== null) {
          this.#streamingThought = null;
          this.#updateTask(
            streaming.index,
            { type: 'thought', status_indicator: 'none', content: final },
            out,
          );
        } else if (final !== '') {
          this.#ensureWorkflow('reasoning', out);
          this.#addTask({ type: 'thought', status_indicator: 'none', content: final }, out);
        }
        break;
      }
      case 'response.image_generation_call.partial_image': {
        const itemId = text(event.item_id);
        const chatKitId = this.#images.get(itemId);
        if (chatKitId === undefined) break;
        // Partial image i of the n requested is step i + 1 of n + 1 (the final image is the last). A stream whose
        // request did not say n (the API echoes no `partial_images`) counts at least the partials seen so far.
        const index = Math.max(0, Math.floor(Number(event.partial_image_index ?? 0)) || 0);
        const requested = Math.max(this.#partialImages ?? 0, index + 1);
        const format = text(event.output_format) || 'png';
        const base64 = text(event.partial_image_b64);
        const updated: ThreadStreamEvent = {
          type: 'thread.item.updated',
          item_id: chatKitId,
          update: {
            type: 'generated_image.updated',
            image: { id: itemId, url: `data:image/${format};base64,${base64}` },
            progress: (index + 1) / (requested + 1),
          },
        };
        this.#imageEvents.set(updated, { id: itemId, base64, format, partialImageIndex: index });
        out.push(updated);
        break;
      }
      case 'response.created': {
        if (this.#partialImagesOption !== undefined) break;
        const response = isObject(event.response) ? event.response : {};
        const tools = Array.isArray(response.tools) ? response.tools : [];
        const tool = tools.find((entry) => isObject(entry) && entry.type === 'image_generation');
        this.#partialImages = isObject(tool) ? positiveInteger(tool.partial_images) : undefined;
        break;
      }
      case 'response.completed': {
        const response = isObject(event.response) ? event.response : null;
        if (response !== null && this.#onCompleted !== undefined)
          this.#onCompleted(response as CompletedResponse);
        break;
      }
      case 'error':
      case 'response.failed': {
        const error =
          event.type === 'error'
            ? isObject(event.error)
              ? event.error
              : event
            : isObject(event.response) && isObject(event.response.error)
              ? event.response.error
              : {};
        const code = text(error.code) || text(error.type) || 'provider_error';
        const message = text(error.message) || 'The model provider failed to complete the response.';
        if (this.#failed) break; // an `error` event is usually followed by `response.failed`: report once
        this.#failed = true;
        this.endWorkflow(out);
        out.push({ type: 'error', code: 'custom', message, allow_retry: isProviderRetryable(code) });
        break;
      }
      default:
        break;
    }
    return this.#track(out);
  }

  #track(out: ThreadStreamEvent[]): ThreadStreamEvent[] {
    for (const event of out) {
      if (event.type === 'thread.item.added' || event.type === 'thread.item.done')
        this.#emitted.add(event.item.id);
    }
    return out;
  }

  /**
   * `thread.item.removed` for every item emitted so far (docs/specs/chatkit-protocol.md §8.1: a guardrail tripwire retracts everything the run
   * produced). The open workflow, if any, is dropped.
   */
  removeEmittedItems(): ThreadStreamEvent[] {
    const out: ThreadStreamEvent[] = [...this.#emitted].map((id) => ({
      type: 'thread.item.removed',
      item_id: id,
    }));
    this.#emitted.clear();
    this.#workflow = null;
    this.#toolTasks.clear();
    this.#streamingThought = null;
    return out;
  }

  #itemAdded(item: Json, out: ThreadStreamEvent[]): void {
    const id = text(item.id);
    switch (item.type) {
      case 'reasoning':
        this.#ensureWorkflow('reasoning', out);
        return;
      case 'message':
        this.endWorkflow(out);
        out.push({
          type: 'thread.item.added',
          item: { ...this.#base(id), type: 'assistant_message', content: convertMessageContent(item) },
        });
        return;
      case 'image_generation_call': {
        // As chatkit-python's agents bridge: an image generation does not end the workflow in progress, it joins it
        // as an `image` task (so later reasoning and tool tasks of the turn stay in the same workflow), and none is
        // started for it when no workflow is open. The image itself is its own `generated_image` item.
        if (this.#workflow !== null) this.#toolTasks.set(id, this.#addTask(imageTask(false), out));
        const chatKitId = this.#generateId('message');
        this.#images.set(id, chatKitId);
        out.push({
          type: 'thread.item.added',
          item: { ...this.#base(chatKitId), type: 'generated_image', image: null },
        });
        return;
      }
      case 'function_call':
      case 'custom_tool_call':
      case 'tool_search_output':
      case 'mcp_approval_request':
        return;
      default:
        if (
          (typeof item.type === 'string' && item.type.endsWith('_call')) ||
          item.type === 'mcp_list_tools'
        ) {
          this.#toolTasks.set(id, this.#addTask(hostedToolTask(item, false), out));
        }
    }
  }

  #itemDone(item: Json, out: ThreadStreamEvent[]): void {
    const id = text(item.id);
    switch (item.type) {
      case 'reasoning':
        return;
      case 'message':
        out.push({
          type: 'thread.item.done',
          item: { ...this.#base(id), type: 'assistant_message', content: convertMessageContent(item) },
        });
        return;
      case 'image_generation_call': {
        const chatKitId = this.#images.get(id) ?? this.#generateId('message');
        const result = text(item.result);
        const format = text(item.output_format) || 'png';
        const done: ThreadStreamEvent = {
          type: 'thread.item.done',
          item: {
            ...this.#base(chatKitId),
            type: 'generated_image',
            image: result === '' ? null : { id, url: `data:image/${format};base64,${result}` },
          },
        };
        if (result !== '') this.#imageEvents.set(done, { id, base64: result, format });
        const index = this.#toolTasks.get(id);
        if (index !== undefined) this.#updateTask(index, imageTask(true), out);
        out.push(done);
        return;
      }
      case 'function_call':
      case 'custom_tool_call': {
        const name = text(item.name);
        if (!this.#clientTools.has(name)) return;
        this.endWorkflow(out);
        out.push({
          type: 'thread.item.done',
          item: {
            ...this.#base(id || this.#generateId('tool_call')),
            type: 'client_tool_call',
            status: 'pending',
            call_id: text(item.call_id) || this.#generateId('tool_call'),
            name,
            arguments:
              item.type === 'custom_tool_call' ? { input: text(item.input) } : parseArguments(item.arguments),
          },
        });
        return;
      }
      default: {
        const index = this.#toolTasks.get(id);
        if (index !== undefined) this.#updateTask(index, hostedToolTask(item, true), out);
      }
    }
  }
}

/**
 * Translates an OpenAI Responses stream (the parsed `data:` of each SSE event) into ChatKit stream events:
 * assistant messages (`thread.item.added` / `updated` text deltas and annotations / `done`), reasoning summaries and
 * hosted tool calls as workflow tasks, generated images, and client tool calls. Streams event by event; nothing is
 * buffered beyond the open workflow. A provider `error`/`response.failed` becomes a ChatKit `error` event.
 *
 * @throws ProviderError `provider_error` for an event that is not an object with a string `type`.
 */
export async function* responsesToChatKit(
  events: Source,
  options: ChatKitTranslationOptions,
): AsyncGenerator<ThreadStreamEvent, void, undefined> {
  const translator = createResponsesTranslator(options);
  for await (const event of events) {
    const translated = translator.push(event);
    // No nested generator per event without an image hook: most events are one text delta or nothing.
    if (options.imageUrl === undefined) for (const out of translated) yield out;
    else yield* imageUrlEvents(translated, translator, options.imageUrl);
    if (translator.failed) return;
  }
  for (const event of translator.finish()) yield event;
}

/**
 * The synchronous translator behind {@link responsesToChatKit}, for a caller that runs its own loop over the stream
 * (one async layer less per event): `push(event)` answers the ChatKit events of one Responses stream event (most
 * often none or one text delta); once `failed` is true (a provider `error`/`response.failed` became the ChatKit
 * `error` event) the caller stops; else `finish()` answers the events of the stream's end (the open workflow's
 * `done`). `imageOf(event)` is the generated image an emitted event shows (for `imageUrl`, which this translator
 * does not call). `responsesToChatKit` is this loop.
 */
export interface ResponsesTranslator {
  /** @throws ProviderError `provider_error` for an event that is not an object with a string `type`. */
  push(event: unknown): ThreadStreamEvent[];
  /** True once a provider error was translated into a ChatKit `error` event: push nothing more. */
  readonly failed: boolean;
  finish(): ThreadStreamEvent[];
  imageOf(event: ThreadStreamEvent): GeneratedImageBytes | undefined;
}

/** Creates a {@link ResponsesTranslator} (the options of {@link responsesToChatKit}; `imageUrl` is not called). */
export function createResponsesTranslator(options: ChatKitTranslationOptions): ResponsesTranslator {
  const translator = new ResponsesToChatKitTranslator(options);
  return {
    push: (event) => translator.push(event),
    get failed() {
      return translator.failed;
    },
    finish: () => translator.endWorkflow(),
    imageOf: (event) => translator.imageOf(event),
  };
}

/**
 * The events with every generated image's `data:` URL replaced by `imageUrl(image)`. Without a hook the events are
 * handed back as they are (no generator per translated event on the text-delta path).
 */
export function imageUrlEvents(
  events: Iterable<ThreadStreamEvent>,
  translator: Pick<ResponsesToChatKitTranslator, 'imageOf'>,
  imageUrl: GeneratedImageUrl | undefined,
): Iterable<ThreadStreamEvent> | AsyncIterable<ThreadStreamEvent> {
  return imageUrl === undefined ? events : withImageUrls(events, translator, imageUrl);
}

async function* withImageUrls(
  events: Iterable<ThreadStreamEvent>,
  translator: Pick<ResponsesToChatKitTranslator, 'imageOf'>,
  imageUrl: GeneratedImageUrl,
): AsyncGenerator<ThreadStreamEvent, void, undefined> {
  for (const event of events) {
    const image = translator.imageOf(event);
    yield image === undefined ? event : await withImageUrl(event, image, imageUrl);
  }
}

/** One event showing a generated `image` with its `data:` URL replaced by `imageUrl(image)`. */
export async function withImageUrl(
  event: ThreadStreamEvent,
  image: GeneratedImageBytes,
  imageUrl: GeneratedImageUrl,
): Promise<ThreadStreamEvent> {
  const url = await imageUrl(image);
  if (event.type === 'thread.item.updated' && event.update.type === 'generated_image.updated')
    return { ...event, update: { ...event.update, image: { id: image.id, url } } };
  if (event.type === 'thread.item.done' && event.item.type === 'generated_image')
    return { ...event, item: { ...event.item, image: { id: image.id, url } } };
  return event;
}

function positiveInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}
