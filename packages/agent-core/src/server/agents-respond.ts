import type { AgentInputItem } from '@openai/agents';
import {
  type Agent,
  type RunConfig,
  RunContext,
  Runner,
  RunState,
  type RunToolApprovalItem,
  type StreamRunOptions,
} from '@openai/agents';
import type { ChatKitStore } from '@relaykit/chatkit-store';
import type {
  AgentsModelResponse,
  AgentsResponseUsage,
  GeneratedImageBytes,
  ThreadItem,
  ThreadMetadata,
  ThreadStreamEventInput,
  UserMessageItem,
} from '@relaykit/sse-protocol';
import { clientToolNames } from '@relaykit/tool-registry';
import { type UsageRecorder, usageFromAgents } from '@relaykit/usage-tracker';
import type { AgentDependencies } from '../agents/define-agent';
import { instantiateAgent } from '../agents/instantiate';
import type { AgentRegistry, AgentRoute } from '../agents/registry';
import { type HistoryConverterOptions, threadItemsToAgentInput, userMessageText } from '../history/convert';
import type { ModelAccess } from '../models/model-access';
import { type ModelStreamTimeouts, withModelStreamTimeouts } from '../models/stream-timeouts';
import { type Interruption, type PausedRun, pauseRunEvents, type ResumeProgress } from './approvals';
import { createRelayKitRunContext, createRunEventChannel, type RelayKitRunContext } from './run-context';
import { agentsRunEvents } from './run-events';
import { agentsUserId, recordFailedRun } from './run-failures';
import { createToolProgress, type ToolProgressOption } from './tool-progress';
import { hasTraceProcessors } from './tracing';
import { type ChatKitRespond, type ChatKitRunInfo, trustResponderEvents } from './types';

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
   * the answer; an image the model generates while it is open joins it as an `image` task (as chatkit-python's agents
   * bridge), and a pending client tool call or hidden context does not end it. `{ title(toolName) }` sets the running
   * title. Default off (no events for server tools).
   */
  toolProgress?: ToolProgressOption;
  /**
   * Generated images (the hosted image generation tool): `imageUrl` turns each partial and final image into the URL
   * the thread stores and the client shows (e.g. upload to Supabase Storage with `@relaykit/image-gen`), instead of
   * a `data:` URL; `partialImages` is the tool's `partial_images` for progress when the API does not echo it.
   */
  images?: {
    imageUrl?: (image: GeneratedImageBytes, context: TContext) => string | Promise<string>;
    partialImages?: number;
  };
  /** Called when recording usage fails (the answer has already streamed, so the run is not failed). */
  onUsageError?: (error: unknown, context: TContext) => void;
  /**
   * The Agents SDK `Runner` configuration of every run (`new Runner(config)`), over RelayKit's defaults: the model
   * provider of `modelAccess`, `groupId` = the thread id, and tracing **on when the application registered trace
   * processors** (the SDK's `addTraceProcessor` or `setTraceProcessors`, after `@relaykit/agent-core` loaded), else
   * off, so nothing leaves the process by default. `tracingDisabled` set here wins either way (`false` also traces to
   * the SDK's default OpenAI exporter, or processors registered before RelayKit loaded), and
   * `workflowName`, `traceMetadata`, `traceIncludeSensitiveData`, `modelSettings`, guardrails, `callModelInputFilter`,
   * … as the SDK documents them. A function gets the request context.
   */
  runConfig?: Partial<RunConfig> | ((context: TContext) => Partial<RunConfig>);
  /**
   * Extra options of each `runner.run(agent, input, options)` call, passed through (`errorHandlers`, `toolExecution`,
   * `toolErrorFormatter`, `session`, `conversationId`, …). RelayKit sets `stream`, `signal`, `context` (a
   * {@link RelayKitRunContext}), `maxTurns` and `previousResponseId`; options given here win over all but `stream`.
   */
  runOptions?:
    | Partial<AgentsRunOptions<TContext>>
    | ((context: TContext) => Partial<AgentsRunOptions<TContext>>);
  /**
   * Timeouts of every streamed model call: no first event within `firstByteMs`, or no event for `idleMs`, ends the
   * run with a retryable `timeout` error (partial text is kept, as on any failure). Default
   * `DEFAULT_MODEL_STREAM_TIMEOUTS` (90 s, 120 s); `false` turns both off.
   */
  streamTimeouts?: ModelStreamTimeouts | false;
}

/** The options of one streamed agents run (the SDK's `StreamRunOptions` with a {@link RelayKitRunContext}). */
export type AgentsRunOptions<TContext> = Omit<StreamRunOptions<RelayKitRunContext<TContext>>, 'stream'>;

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

/** What a run records in `thread.metadata.last_run` besides what the run itself reports. */
interface RunPlan {
  agentType: string;
  model: string;
  modelReason?: string;
  routeReason?: string;
  command?: string;
  /** The routing metadata to keep with the thread (absent on a resumed run). */
  routedMetadata?: Record<string, unknown>;
  /** The validated metadata the agent was built with (kept with a paused run). */
  agentMetadata: unknown;
}

/** The agents responder: `respond` for new turns and `resume` for runs paused on tool approvals. */
export interface AgentsResponder<TContext> {
  respond: ChatKitRespond<TContext>;
  /** The user a run is for (the `userId` option, else the context's `userId`). */
  userIdOf(context: TContext): string;
  /**
   * Resumes a paused run with its decisions applied, streaming the rest of the turn. `progress.started()` is called
   * when a tool of the run starts (what cannot be undone).
   */
  resume(
    thread: ThreadMetadata,
    paused: PausedRun,
    context: TContext,
    info: ChatKitRunInfo,
    progress?: ResumeProgress,
  ): AsyncGenerator<ThreadStreamEventInput>;
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
  return createAgentsResponder(store, options).respond;
}

/**
 * The agents responder (see {@link createAgentsRespond}). Every run gets a {@link RelayKitRunContext} as its SDK
 * context. A run that stops at tools needing approval (`needsApproval`) is paused: its `RunState` is saved in a hidden
 * item and an approval widget is streamed per call; `resume` continues it once the calls are decided.
 */
export function createAgentsResponder<TContext>(
  store: ChatKitStore<TContext>,
  options: ChatKitAgentsOptions<TContext>,
): AgentsResponder<TContext> {
  const userIdOf = (context: TContext) => agentsUserId(options, context);
  const historyLimit = options.historyLimit ?? 40;

  async function buildAgent(definitionType: string, metadata: unknown, model: string, context: TContext) {
    const built = await instantiateAgent(options.registry.get(definitionType), {
      registry: options.registry,
      metadata,
      userId: userIdOf(context),
      model,
      ...(options.dependencies ? { dependencies: options.dependencies } : {}),
    });
    // Client tools marked by tool-registry already stop their agent's run (instantiateAgent); names given by
    // `clientToolNames` (plain SDK tools) make the entry agent stop at them too.
    const clientTools = [...new Set([...(options.clientToolNames ?? []), ...clientToolNamesOf(built)])];
    const agent = options.clientToolNames?.length
      ? built.clone({ toolUseBehavior: { stopAtToolNames: clientTools } })
      : built;
    return { agent, clientTools };
  }

  /** The arguments of one run (see `execute`). */
  interface RunInput {
    thread: ThreadMetadata;
    context: TContext;
    info: ChatKitRunInfo;
    plan: RunPlan;
    agent: Agent;
    clientTools: string[];
    runInput: AgentInputItem[] | RunState<RelayKitRunContext<TContext>, Agent>;
    runContext: RelayKitRunContext<TContext>;
    channel: ReturnType<typeof createRunEventChannel>;
    extra: { previousResponseId?: string; titleText?: string; progress?: ResumeProgress | undefined };
  }

  /**
   * Runs and streams one turn. `prepare` (routing, history, a paused run's state) runs at the first pull, inside this
   * one generator: `respond` and `resume` hand it over rather than delegating through generators of their own.
   */
  async function* execute(prepare: () => Promise<RunInput>): AsyncGenerator<ThreadStreamEventInput> {
    const { thread, context, info, plan, agent, clientTools, runInput, runContext, channel, extra } =
      await prepare();
    const runConfig =
      typeof options.runConfig === 'function' ? options.runConfig(context) : options.runConfig;
    const runner = new Runner({
      modelProvider: withModelStreamTimeouts(
        await options.modelAccess.providerFor(context),
        options.streamTimeouts === false ? { firstByteMs: false, idleMs: false } : options.streamTimeouts,
      ),
      groupId: thread.id,
      ...runConfig,
      // Tracing is on when the application registered trace processors, else off (nothing leaves the process);
      // an explicit `tracingDisabled` wins.
      tracingDisabled: runConfig?.tracingDisabled ?? !hasTraceProcessors(),
    });
    const progress = options.toolProgress
      ? createToolProgress(
          thread.id,
          () => store.generateItemId('workflow', thread, context),
          options.toolProgress,
        )
      : undefined;
    if (extra.progress) {
      const started = extra.progress;
      runner.on('agent_tool_start', () => started.started());
    }
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
    const runOptions =
      typeof options.runOptions === 'function' ? options.runOptions(context) : options.runOptions;
    const result = await runner.run(agent, runInput as AgentInputItem[], {
      signal: info.signal,
      // A resumed run keeps the context its RunState carries (rebuilt for this request).
      ...(Array.isArray(runInput) ? { context: runContext } : {}),
      maxTurns: options.maxTurns ?? 10,
      ...(extra.previousResponseId ? { previousResponseId: extra.previousResponseId } : {}),
      // A refusal is the model's answer: its message is already shown (as text), so the run ends normally.
      errorHandlers: {
        modelRefusal: ({ error }) => ({
          finalOutput: (error as { refusal?: string }).refusal ?? '',
          includeInHistory: false,
        }),
      },
      ...(runOptions as Partial<StreamRunOptions<unknown>>),
      stream: true,
    });
    const agentName = () => result.lastAgent?.name ?? plan.agentType;
    // One entry per model response of the run, from the SDK's provider-neutral `response_done` (any model).
    const responses: AgentsModelResponse[] = [];
    const imageUrl = options.images?.imageUrl;
    const events = agentsRunEvents(result, {
      translation: {
        threadId: thread.id,
        generateId: (kind) => store.generateItemId(kind, thread, context),
        ...(clientTools.length > 0 ? { clientToolNames: clientTools } : {}),
        ...(options.images?.partialImages !== undefined
          ? { partialImages: options.images.partialImages }
          : {}),
        ...(imageUrl !== undefined
          ? { imageUrl: (image: GeneratedImageBytes) => imageUrl(image, context) }
          : {}),
        onResponseDone: (response) => {
          responses.push(response);
        },
      },
      channel,
      progress,
      // Each finished assistant message names the agent that wrote it.
      agent: () => result.lastAgent?.name,
    });
    const recordResponses = async () => {
      if (!options.usage) return;
      for (const response of responses) {
        if (!response.usage) continue;
        try {
          await options.usage.recordUsage({
            userId: userIdOf(context),
            kind: 'chat',
            model: responseModel(response) ?? plan.model,
            usage: usageFromAgents(response.usage),
            requestId: usageRequestId(response),
            metadata: { thread_id: thread.id, agent: agentName(), response_id: response.id },
          });
        } catch (error) {
          options.onUsageError?.(error, context);
        }
      }
    };
    try {
      // A guardrail tripwire retracts everything the turn showed, tool-streamed items included.
      yield* events;
    } catch (error) {
      // A failed run leaves a trace in the usage errors (what `/api/usage` shows), its finished responses counted
      // too; a cancelled run does not.
      if (!info.signal.aborted) {
        await recordResponses();
        await recordFailedRun(options, context, userIdOf(context), error, {
          model: plan.model,
          metadata: { thread_id: thread.id, agent: agentName() },
        });
      }
      throw error;
    }
    const interruptions = result.interruptions ?? [];
    if (interruptions.length > 0) {
      yield* pauseRunEvents({
        thread,
        userId: userIdOf(context),
        agent: { type: plan.agentType, metadata: plan.agentMetadata, model: plan.model },
        state: result.state.toString(),
        interruptions: interruptions.map(interruptionOf),
        generateId: (kind) => store.generateItemId(kind, thread, context),
        now: () => new Date(),
      });
    }
    const lastResponse = responses.at(-1);
    await recordResponses();
    if (options.titles && extra.titleText !== undefined && !thread.title) {
      const title = await generateTitle(options, context, extra.titleText, info.signal);
      if (title) thread.title = title;
    }
    let lastItemId: string | undefined;
    if (options.reusePreviousResponse) {
      const newest = await store.loadThreadItems(thread.id, null, 1, 'desc', context);
      lastItemId = newest.data[0]?.id;
    }
    thread.metadata = {
      ...thread.metadata,
      ...(plan.routedMetadata ? { [THREAD_AGENT_METADATA_KEY]: plan.routedMetadata } : {}),
      [THREAD_LAST_RUN_KEY]: {
        agent: agentName(),
        model: plan.model,
        ...(plan.modelReason ? { model_reason: plan.modelReason } : {}),
        ...(plan.routeReason ? { route_reason: plan.routeReason } : {}),
        ...(plan.command ? { command: plan.command } : {}),
        ...(lastResponse ? { response_id: lastResponse.id } : {}),
        ...(lastResponse?.usage ? { usage: responsesShapedUsage(lastResponse.usage) } : {}),
        ...(lastItemId ? { last_item_id: lastItemId } : {}),
        ...(extra.previousResponseId ? { previous_response_id: extra.previousResponseId } : {}),
        ...(interruptions.length > 0 ? { pending_approvals: interruptions.length } : {}),
        ...(Array.isArray(runInput) ? {} : { resumed: true }),
      },
    };
  }

  function runContextFor(thread: ThreadMetadata, context: TContext, info: ChatKitRunInfo, agentType: string) {
    const channel = createRunEventChannel();
    const runContext = createRelayKitRunContext({
      userId: userIdOf(context),
      thread,
      agentType,
      signal: info.signal,
      request: context,
      channel,
      generateItemId: (kind) => store.generateItemId(kind, thread, context),
    });
    return { channel, runContext };
  }

  return {
    userIdOf,
    // The translator's events are typed and valid: the server does not re-validate each one.
    respond: trustResponderEvents(function respond(
      thread: ThreadMetadata,
      input: UserMessageItem | null,
      context: TContext,
      info: ChatKitRunInfo,
    ): AsyncGenerator<ThreadStreamEventInput> {
      return execute(async () => {
        const routed = routeInput(thread, input, info.requestMetadata);
        // The server routed already (before the first byte) when it could: one route per request.
        const route = info.route ?? options.registry.route(routed);
        const { agent, clientTools } = await buildAgent(
          route.agent.type,
          route.metadata,
          route.model.model,
          context,
        );
        const page = await store.loadThreadItems(thread.id, null, historyLimit, 'desc', context);
        const items: ThreadItem[] = [...page.data].reverse();
        if (input && route.text !== userMessageText(input)) {
          const index = items.findIndex((item) => item.id === input.id);
          if (index >= 0)
            items[index] = {
              ...input,
              content: [{ type: 'input_text', text: route.text }],
            } as UserMessageItem;
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
        const { channel, runContext } = runContextFor(thread, context, info, route.agent.type);
        return {
          thread,
          context,
          info,
          plan: {
            agentType: route.agent.type,
            model: route.model.model,
            modelReason: route.model.reason,
            routeReason: route.reason,
            ...(route.command ? { command: route.command.command.name } : {}),
            routedMetadata: routed.metadata,
            agentMetadata: route.metadata,
          },
          agent,
          clientTools,
          runInput: modelInput,
          runContext,
          channel,
          extra: {
            ...(previousResponseId ? { previousResponseId } : {}),
            ...(input ? { titleText: userMessageText(input) } : {}),
          },
        };
      });
    }),

    resume(thread, paused, context, info, progress): AsyncGenerator<ThreadStreamEventInput> {
      return execute(async () => {
        const { agent, clientTools } = await buildAgent(
          paused.agent.type,
          paused.agent.metadata,
          paused.agent.model,
          context,
        );
        const { channel, runContext } = runContextFor(thread, context, info, paused.agent.type);
        // The stored state carries no secrets of the context (see RelayKitRunContext): this request's context replaces
        // it, and the approvals the state recorded are kept.
        const state = await RunState.fromStringWithContext<RelayKitRunContext<TContext>, Agent>(
          agent,
          paused.state,
          new RunContext(runContext),
          { contextStrategy: 'merge' },
        );
        const pending = state.getInterruptions();
        for (const approval of paused.approvals) {
          const item = pending.find((candidate) => callIdOf(candidate) === approval.callId);
          if (!item) continue;
          if (approval.decision === 'approve') state.approve(item);
          else state.reject(item);
        }
        return {
          thread,
          context,
          info,
          plan: {
            agentType: paused.agent.type,
            model: paused.agent.model,
            agentMetadata: paused.agent.metadata,
          },
          agent,
          clientTools,
          runInput: state,
          runContext,
          channel,
          extra: { progress },
        };
      });
    },
  };
}

function callIdOf(item: RunToolApprovalItem): string | undefined {
  const raw = item.rawItem as { callId?: unknown; id?: unknown };
  if (typeof raw.callId === 'string') return raw.callId;
  return typeof raw.id === 'string' ? raw.id : undefined;
}

function interruptionOf(item: RunToolApprovalItem): Interruption {
  return {
    callId: callIdOf(item) ?? '',
    tool: item.name ?? 'tool',
    arguments: item.arguments,
    agent: item.agent.name,
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
export function usageRequestId(response: Pick<AgentsModelResponse, 'id'>): string {
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
