import { Runner } from '@openai/agents';
import type { ChatKitStore } from '@relaykit/chatkit-store';
import {
  type AgentsModelResponse,
  type AgentsResponseUsage,
  agentsRunToChatKit,
  type ThreadItem,
  type ThreadMetadata,
  type ThreadStreamEventInput,
  type UserMessageItem,
} from '@relaykit/sse-protocol';
import { clientToolNames } from '@relaykit/tool-registry';
import { type UsageRecorder, usageFromAgents } from '@relaykit/usage-tracker';
import type { AgentDependencies } from '../agents/define-agent';
import { instantiateAgent } from '../agents/instantiate';
import type { AgentRegistry, AgentRoute } from '../agents/registry';
import { type HistoryConverterOptions, threadItemsToAgentInput, userMessageText } from '../history/convert';
import type { ModelAccess } from '../models/model-access';
import { withAgentAnnotation } from './agent-annotation';
import { createToolProgress, type ToolProgressOption } from './tool-progress';
import type { ChatKitRespond } from './types';

/** The `agents` option of `createChatKitServer`: the default responder runs registry agents on the Agents SDK. */
export interface ChatKitAgentsOptions<TContext> {
  /** Agents and routing (metadata, slash commands, model policy). */
  registry: AgentRegistry;
  /** Per-request model access (explicit provider, API key per server or user). */
  modelAccess: ModelAccess<TContext>;
  /** Injected loaders for context builders. */
  dependencies?: AgentDependencies;
  /** The user a run is for. Default: the context's `userId`. */
  userId?: (context: TContext) => string;
  /**
   * Tools the ChatKit client runs (`onClientTool`) are declared with `defineClientTool` of `@relaykit/tool-registry`
   * and given to the agent with `toAgentsTool`: the responder finds them among the tools of the agent and its handoff
   * targets, the run stops at such a call (`stopAtToolNames`), the call becomes a pending `client_tool_call` item, and
   * `threads.add_client_tool_output` continues with the client's result. This option is the escape hatch for plain
   * Agents SDK tools: their names are treated as client tools too (their `execute` is a placeholder).
   */
  clientToolNames?: readonly string[];
  /** How many recent items are converted to model input. Default 40. */
  historyLimit?: number;
  /** Maximum agent turns per run. Default 10. */
  maxTurns?: number;
  /** History conversion hooks (attachments, tags). */
  history?: HistoryConverterOptions;
  /**
   * Records the usage and cost of every model response of a run (`kind: 'chat'`), from the Agents SDK's
   * provider-neutral usage, so Responses, Chat Completions and AI-SDK models are all counted (cached and reasoning
   * tokens apart). `requestId` is the Responses API's response id (a retry never double counts), else a fresh id;
   * `metadata.response_id` keeps the provider's id. `createUsageRecorder()` of `@relaykit/usage-tracker` fits.
   */
  usage?: Pick<UsageRecorder, 'recordUsage'>;
  /**
   * Title new threads after their first answer with one small model call (`thread.updated` carries it). `true` uses
   * `gpt-4.1-nano`; `{ model }` picks another. Default off. A failed title call leaves the thread untitled.
   */
  titles?: boolean | { model?: string; instructions?: string };
  /**
   * Responses API only: when the thread's last completed run left a response id, send only the items added since that
   * run with `previous_response_id` instead of the whole history (falls back to the full history after a retry, a
   * client tool output, or when the marker item is gone). Default off. Costs one extra store read per turn.
   */
  reusePreviousResponse?: boolean;
  /** Tool-call telemetry: called when a tool starts and ends (no arguments or results, so nothing sensitive leaks). */
  onToolCall?: (event: ToolCallTelemetry, context: TContext) => void;
  /**
   * Show the run's server (function) tool calls as a ChatKit `workflow` item: one custom task per call, "Calling X"
   * (loading) then "Called X" (complete), ended with `thread.item.done` (so the store keeps it with the thread) before
   * the answer. `{ title(toolName) }` sets the running title. Default off (no events for server tools).
   */
  toolProgress?: ToolProgressOption;
  /** Called when recording usage fails (the answer has already streamed, so the run is not failed). */
  onUsageError?: (error: unknown, context: TContext) => void;
}

/** One tool-call telemetry event of the agents responder. */
export interface ToolCallTelemetry {
  phase: 'start' | 'end';
  /** The tool's name. */
  tool: string;
  /** The agent that called it. */
  agent: string;
  /** The model's call id, when known. */
  callId?: string;
  threadId: string;
  /** Milliseconds from start to end (on `end`). */
  durationMs?: number;
}

/** Thread-metadata key holding the routing metadata the thread was created with. */
export const THREAD_AGENT_METADATA_KEY = 'agent_metadata';
/** Thread-metadata key where the last run's agent, model, reason and response id are recorded. */
export const THREAD_LAST_RUN_KEY = 'last_run';

function routeInput(
  thread: ThreadMetadata,
  input: UserMessageItem | null,
  requestMetadata: Record<string, unknown>,
) {
  const saved = (thread.metadata?.[THREAD_AGENT_METADATA_KEY] ?? {}) as Record<string, unknown>;
  const metadata = { ...saved, ...requestMetadata };
  const requestedModel = input?.inference_options?.model ?? undefined;
  return {
    text: input ? userMessageText(input) : '',
    metadata,
    ...(requestedModel ? { requestedModel } : {}),
  };
}

/** An agent, or the agent of an SDK `handoff()`: what the responder walks to find client tools. */
interface AgentNode {
  tools?: readonly unknown[];
  handoffs?: readonly unknown[];
  agent?: AgentNode;
}

/** The client tools (`isClientTool` of `@relaykit/tool-registry`) of an agent and of every agent it hands off to. */
function clientToolNamesOf(node: AgentNode, seen = new Set<AgentNode>()): string[] {
  const agent = node.agent ?? node;
  if (seen.has(agent)) return [];
  seen.add(agent);
  const names = clientToolNames(agent.tools ?? []);
  for (const handoff of agent.handoffs ?? []) names.push(...clientToolNamesOf(handoff as AgentNode, seen));
  return names;
}

/** Validates routing for a request before the stream starts (metadata schema, agent type): throws `invalid_request`. */
export function validateAgentRoute<TContext>(
  options: ChatKitAgentsOptions<TContext>,
  thread: ThreadMetadata,
  input: UserMessageItem | null,
  requestMetadata: Record<string, unknown>,
): AgentRoute {
  return options.registry.route(routeInput(thread, input, requestMetadata));
}

/**
 * The default `respond` when `agents` is given: route (thread + request metadata), build the SDK agent, convert the
 * thread's recent history (hidden context and client tool results included) to model input, run it streamed with
 * `new Runner({ modelProvider })` for this request, and translate the run into ChatKit events. The chosen agent,
 * model and reason, and the last response id, are recorded in `thread.metadata.last_run`.
 */
export function createAgentsRespond<TContext>(
  store: ChatKitStore<TContext>,
  options: ChatKitAgentsOptions<TContext>,
): ChatKitRespond<TContext> {
  const userIdOf =
    options.userId ?? ((context: TContext) => String((context as { userId?: unknown }).userId ?? ''));
  const historyLimit = options.historyLimit ?? 40;
  return async function* respond(thread, input, context, info): AsyncGenerator<ThreadStreamEventInput> {
    const routed = routeInput(thread, input, info.requestMetadata);
    const route = options.registry.route(routed);
    const built = await instantiateAgent(route.agent, {
      registry: options.registry,
      metadata: route.metadata,
      userId: userIdOf(context),
      model: route.model.model,
      ...(options.dependencies ? { dependencies: options.dependencies } : {}),
    });
    // Client tools marked by tool-registry already stop their agent's run (instantiateAgent); names given by
    // `clientToolNames` (plain SDK tools) make the entry agent stop at them too.
    const clientTools = [...new Set([...(options.clientToolNames ?? []), ...clientToolNamesOf(built)])];
    const agent = options.clientToolNames?.length
      ? built.clone({ toolUseBehavior: { stopAtToolNames: clientTools } })
      : built;
    const page = await store.loadThreadItems(thread.id, null, historyLimit, 'desc', context);
    const items: ThreadItem[] = [...page.data].reverse();
    if (input && route.text !== userMessageText(input)) {
      const index = items.findIndex((item) => item.id === input.id);
      if (index >= 0)
        items[index] = { ...input, content: [{ type: 'input_text', text: route.text }] } as UserMessageItem;
    }
    const previous = thread.metadata?.[THREAD_LAST_RUN_KEY] as
      | { response_id?: string; last_item_id?: string }
      | undefined;
    let previousResponseId: string | undefined;
    let newItems = items;
    if (
      options.reusePreviousResponse &&
      options.modelAccess.api === 'responses' &&
      input &&
      previous?.response_id &&
      previous.last_item_id
    ) {
      const marker = items.findIndex((item) => item.id === previous.last_item_id);
      const current = items.findIndex((item) => item.id === input.id);
      if (marker >= 0 && current > marker) {
        newItems = items.slice(marker + 1);
        previousResponseId = previous.response_id;
      }
    }
    const modelInput = threadItemsToAgentInput(newItems, options.history);
    const runner = new Runner({
      modelProvider: await options.modelAccess.providerFor(context),
      tracingDisabled: true,
    });
    const progress = options.toolProgress
      ? createToolProgress(
          thread.id,
          () => store.generateItemId('workflow', thread, context),
          options.toolProgress,
        )
      : undefined;
    if (options.onToolCall || progress) {
      const emit = (event: ToolCallTelemetry) => {
        progress?.onTool(event);
        options.onToolCall?.(event, context);
      };
      const started = new Map<string, number>();
      const callIdOf = (details: { toolCall?: unknown } | undefined) =>
        (details?.toolCall as { callId?: string } | undefined)?.callId;
      runner.on('agent_tool_start', (_ctx, runAgent, tool, details) => {
        const callId = callIdOf(details);
        if (callId) started.set(callId, performance.now());
        emit({
          phase: 'start',
          tool: tool.name,
          agent: runAgent.name,
          threadId: thread.id,
          ...(callId ? { callId } : {}),
        });
      });
      runner.on('agent_tool_end', (_ctx, runAgent, tool, _result, details) => {
        const callId = callIdOf(details);
        const begin = callId ? started.get(callId) : undefined;
        emit({
          phase: 'end',
          tool: tool.name,
          agent: runAgent.name,
          threadId: thread.id,
          ...(callId ? { callId } : {}),
          ...(begin !== undefined ? { durationMs: performance.now() - begin } : {}),
        });
      });
    }
    const result = await runner.run(agent, modelInput, {
      stream: true,
      signal: info.signal,
      // The run context tools see (tool-registry's `context.userId` scopes their data to the caller).
      context: { userId: userIdOf(context), agentType: route.agent.type },
      maxTurns: options.maxTurns ?? 10,
      ...(previousResponseId ? { previousResponseId } : {}),
      // A refusal is the model's answer: its message is already shown (as text), so the run ends normally.
      errorHandlers: {
        modelRefusal: ({ error }) => ({
          finalOutput: (error as { refusal?: string }).refusal ?? '',
          includeInHistory: false,
        }),
      },
    });
    const agentName = () => result.lastAgent?.name ?? route.agent.type;
    // One entry per model response of the run, from the SDK's provider-neutral `response_done` (any model).
    const responses: AgentsModelResponse[] = [];
    const events = agentsRunToChatKit(result, {
      threadId: thread.id,
      generateId: (kind) => store.generateItemId(kind, thread, context),
      ...(clientTools.length > 0 ? { clientToolNames: clientTools } : {}),
      onResponseDone: (response) => {
        responses.push(response);
      },
    });
    yield* withAgentAnnotation(progress ? progress.merge(events) : events, () => result.lastAgent?.name);
    const lastResponse = responses.at(-1);
    if (options.usage) {
      for (const response of responses) {
        if (!response.usage) continue;
        try {
          await options.usage.recordUsage({
            userId: userIdOf(context),
            kind: 'chat',
            model: responseModel(response) ?? route.model.model,
            usage: usageFromAgents(response.usage),
            requestId: usageRequestId(response),
            metadata: { thread_id: thread.id, agent: agentName(), response_id: response.id },
          });
        } catch (error) {
          options.onUsageError?.(error, context);
        }
      }
    }
    if (options.titles && input && !thread.title) {
      const title = await generateTitle(options, context, userMessageText(input), info.signal);
      if (title) thread.title = title;
    }
    let lastItemId: string | undefined;
    if (options.reusePreviousResponse) {
      const newest = await store.loadThreadItems(thread.id, null, 1, 'desc', context);
      lastItemId = newest.data[0]?.id;
    }
    thread.metadata = {
      ...thread.metadata,
      [THREAD_AGENT_METADATA_KEY]: routed.metadata,
      [THREAD_LAST_RUN_KEY]: {
        agent: agentName(),
        model: route.model.model,
        model_reason: route.model.reason,
        route_reason: route.reason,
        ...(route.command ? { command: route.command.command.name } : {}),
        ...(lastResponse ? { response_id: lastResponse.id } : {}),
        ...(lastResponse?.usage ? { usage: responsesShapedUsage(lastResponse.usage) } : {}),
        ...(lastItemId ? { last_item_id: lastItemId } : {}),
        ...(previousResponseId ? { previous_response_id: previousResponseId } : {}),
      },
    };
  };
}

/** The model that answered, when the provider said (Responses: `providerData.model`). */
function responseModel(response: AgentsModelResponse): string | undefined {
  const model = response.providerData?.model;
  return typeof model === 'string' && model !== '' ? model : undefined;
}

/**
 * The usage row's idempotency key: the Responses API's response id (unique), else a fresh id. Chat Completions
 * servers and other providers may repeat ids (placeholders, short random ids), which would drop real usage as
 * duplicates; their response id is kept in the row's metadata.
 */
function usageRequestId(response: AgentsModelResponse): string {
  return /^resp_[A-Za-z0-9]{16,}$/.test(response.id) ? response.id : `run_${crypto.randomUUID()}`;
}

function detail(value: AgentsResponseUsage['inputTokensDetails']): Record<string, number> {
  const entries = Array.isArray(value) ? value : value ? [value] : [];
  const sum: Record<string, number> = {};
  for (const entry of entries)
    for (const [key, count] of Object.entries(entry))
      if (typeof count === 'number') sum[key] = (sum[key] ?? 0) + count;
  return sum;
}

/**
 * The last response's usage as `thread.metadata.last_run.usage` keeps it, in the Responses API's shape
 * (`input_tokens`, `output_tokens`, `input_tokens_details.cached_tokens`, `output_tokens_details.reasoning_tokens`,
 * `total_tokens`) whatever the model, so readers of the stored metadata (the simple stream's `response_done`) need
 * one shape.
 */
function responsesShapedUsage(usage: AgentsResponseUsage): Record<string, unknown> {
  const input = usage.inputTokens ?? 0;
  const output = usage.outputTokens ?? 0;
  return {
    input_tokens: input,
    input_tokens_details: detail(usage.inputTokensDetails),
    output_tokens: output,
    output_tokens_details: detail(usage.outputTokensDetails),
    total_tokens: usage.totalTokens ?? input + output,
  };
}

/** Default instructions of the title call. */
export const DEFAULT_TITLE_INSTRUCTIONS =
  'Write a short title (at most 6 words, no quotes, no trailing punctuation) for a conversation that starts with the user message below. Answer with the title only.';

async function generateTitle<TContext>(
  options: ChatKitAgentsOptions<TContext>,
  context: TContext,
  text: string,
  signal: AbortSignal,
): Promise<string | null> {
  const config = typeof options.titles === 'object' ? options.titles : {};
  const model = config.model ?? 'gpt-4.1-nano';
  const instructions = config.instructions ?? DEFAULT_TITLE_INSTRUCTIONS;
  try {
    const client = await options.modelAccess.clientFor(context);
    let raw: string;
    if (options.modelAccess.api === 'chat_completions') {
      const completion = await client.chat.completions.create(
        {
          model,
          messages: [
            { role: 'system', content: instructions },
            { role: 'user', content: text.slice(0, 2000) },
          ],
        },
        { signal },
      );
      raw = completion.choices[0]?.message?.content ?? '';
    } else {
      const response = await client.responses.create(
        { model, instructions, input: text.slice(0, 2000) },
        { signal },
      );
      raw = response.output_text ?? '';
    }
    const title = raw
      .replace(/\s+/g, ' ')
      .trim()
      .replace(/^["'“]+|["'”.]+$/g, '')
      .slice(0, 100);
    return title === '' ? null : title;
  } catch {
    return null;
  }
}
