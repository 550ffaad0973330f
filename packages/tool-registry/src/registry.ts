import { ConfigurationError, RequestError } from '@relaykit/sse-protocol';
import type { AnyToolDefinition, ToolContext, ToolExecutionContext, ToolRisk } from './define-tool';
import { type ToolErrorBody, toToolErrorBody } from './errors';
import { Semaphore } from './internal/semaphore';

/**
 * A rule that switches tools on or off. A tool is available when it is on by default (risk `read` or `write`) or
 * an `allow` rule names it, and no `deny` rule matches it: deny always wins. `destructive` tools are only switched
 * on by an `allow` rule that names the tool in `tools` or lists `destructive` in `risks`.
 */
export interface ToolPolicy {
  effect: 'allow' | 'deny';
  /** Tool names the rule applies to (all tools when omitted). */
  tools?: readonly string[];
  /** Risks the rule applies to (all risks when omitted). */
  risks?: readonly ToolRisk[];
  /** Agent types the rule applies to (all agents when omitted). */
  agentTypes?: readonly string[];
  /** The rule applies only when the caller has at least one of these roles. */
  roles?: readonly string[];
  /** The rule applies only when this feature flag is on for the caller (see `isEnabled`). */
  flag?: string;
  /** Any other condition on the caller. */
  when?: (context: ToolContext) => boolean;
}

/** Why a call is not allowed, or `null`. */
export type ToolDenial = { reason: 'unknown_tool' | 'disabled' | 'client_tool'; message: string };

/** The outcome a hook sees. */
export type ToolCallOutcome =
  | 'success'
  | 'invalid_input'
  | 'denied'
  | 'approval_required'
  | 'error'
  | 'timeout'
  | 'cancelled'
  | 'client_tool_call';

/** The identifiers of a call's context that hooks may record. Roles, attributes and inputs never appear here. */
export interface ToolCallIds {
  agentType?: string;
  userId?: string;
  threadId?: string;
  runId?: string;
}

/** What `onToolStart` receives. It never contains the input itself, only its size. */
export interface ToolCallStart {
  tool: string;
  /** `undefined` for an unknown tool. */
  risk: ToolRisk | undefined;
  callId: string;
  /** Size of the raw arguments in UTF-8 bytes. */
  inputBytes: number;
  context: ToolCallIds;
  startedAt: number;
}

/** What `onToolEnd` receives. It never contains the input or output, only sizes, timing and the outcome. */
export interface ToolCallEnd extends ToolCallStart {
  outcome: ToolCallOutcome;
  durationMs: number;
  /** The error code when the outcome is not `success`. */
  errorCode?: ToolErrorBody['code'];
  /** Size of the JSON output in bytes, on success. */
  outputBytes?: number;
}

/** Telemetry hooks. A hook that throws is ignored: it never changes a call's result. */
export interface ToolHooks {
  onToolStart?(event: ToolCallStart): void | Promise<void>;
  onToolEnd?(event: ToolCallEnd): void | Promise<void>;
}

/** A feature-flag provider, injected so the registry never reads the environment. */
export type FeatureFlagCheck = (flag: string, context: ToolContext) => boolean | Promise<boolean>;

/** The options of {@link createToolRegistry}. */
export interface ToolRegistryOptions {
  /** Rules evaluated on every call; see {@link ToolPolicy}. */
  policies?: readonly ToolPolicy[];
  /** Answers feature flags used by policies. Without it every flag is off. */
  isEnabled?: FeatureFlagCheck;
  /** Calls running at once across the registry (default 16); further calls wait. */
  concurrency?: number;
  /** Deadline of a call whose tool sets none (default 30 000 ms). */
  defaultTimeoutMs?: number;
  /** Largest accepted raw argument size in UTF-8 bytes (default 65 536). */
  maxInputBytes?: number;
  hooks?: ToolHooks;
}

/** Options of one call. */
export interface ToolCallOptions {
  /** The model's call id; a random id otherwise. */
  callId?: string;
  /** Cancels the call. */
  signal?: AbortSignal;
  /** Set when a human approved this call (the Agents SDK conversion sets it after its approval flow). */
  approved?: boolean;
}

/** The structured result of a call: never thrown, always readable by the model. */
export type ToolResult<Output = unknown> =
  | {
      ok: true;
      output: Output;
      /** Set when the tool runs on the client: `output` is this pending call, which the browser completes. */
      clientToolCall?: ClientToolCall;
    }
  | { ok: false; error: ToolErrorBody };

/** A ChatKit client tool call produced when a client-side tool is called. */
export interface ClientToolCall {
  type: 'client_tool_call';
  status: 'pending';
  call_id: string;
  name: string;
  arguments: Record<string, unknown>;
}

/** A set of tools with policies, limits and hooks. */
export interface ToolRegistry {
  /** Adds tools. @throws ConfigurationError when a name is already registered. */
  register(...tools: AnyToolDefinition[]): ToolRegistry;
  /** The tool with this name, whether enabled or not. */
  get(name: string): AnyToolDefinition | undefined;
  /** Every registered tool, in registration order. */
  list(): AnyToolDefinition[];
  /** The tools this caller may use (policies and flags applied). */
  available(context?: ToolContext): Promise<AnyToolDefinition[]>;
  /** `null` when the caller may call the tool, otherwise why not. */
  check(name: string, context?: ToolContext): Promise<ToolDenial | null>;
  /** Whether this call needs a human's approval before it runs (destructive tools always do). */
  requiresApproval(name: string, input: unknown, context?: ToolContext): Promise<boolean>;
  /**
   * Validates and runs a call. `rawInput` is the model's JSON string or an already parsed object.
   * Never throws: every failure is a structured result.
   */
  execute(
    name: string,
    rawInput: unknown,
    context?: ToolContext,
    options?: ToolCallOptions,
  ): Promise<ToolResult>;
}

const TOOL_IDS = ['agentType', 'userId', 'threadId', 'runId'] as const;
const encoder = new TextEncoder();

function idsOf(context: ToolContext): ToolCallIds {
  const ids: ToolCallIds = {};
  for (const key of TOOL_IDS) {
    const value = context[key];
    if (typeof value === 'string') ids[key] = value;
  }
  return ids;
}

function positiveOption(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(value > 0) || !Number.isFinite(value))
    throw new ConfigurationError(`${name} must be a positive number.`);
  return value;
}

class Registry implements ToolRegistry {
  readonly #tools = new Map<string, AnyToolDefinition>();
  readonly #policies: readonly ToolPolicy[];
  readonly #isEnabled: FeatureFlagCheck | undefined;
  readonly #semaphore: Semaphore;
  readonly #defaultTimeoutMs: number;
  readonly #maxInputBytes: number;
  readonly #hooks: ToolHooks;

  constructor(options: ToolRegistryOptions) {
    this.#policies = [...(options.policies ?? [])];
    this.#isEnabled = options.isEnabled;
    this.#semaphore = new Semaphore(Math.floor(positiveOption('concurrency', options.concurrency, 16)));
    this.#defaultTimeoutMs = positiveOption('defaultTimeoutMs', options.defaultTimeoutMs, 30_000);
    this.#maxInputBytes = positiveOption('maxInputBytes', options.maxInputBytes, 65_536);
    this.#hooks = options.hooks ?? {};
  }

  register(...tools: AnyToolDefinition[]): ToolRegistry {
    for (const tool of tools) {
      if (this.#tools.has(tool.name))
        throw new ConfigurationError(`Tool "${tool.name}" is already registered.`);
    }
    for (const tool of tools) this.#tools.set(tool.name, tool);
    return this;
  }

  get(name: string): AnyToolDefinition | undefined {
    return this.#tools.get(name);
  }

  list(): AnyToolDefinition[] {
    return [...this.#tools.values()];
  }

  async available(context: ToolContext = {}): Promise<AnyToolDefinition[]> {
    const result: AnyToolDefinition[] = [];
    for (const tool of this.#tools.values()) if (await this.#allowed(tool, context)) result.push(tool);
    return result;
  }

  async check(name: string, context: ToolContext = {}): Promise<ToolDenial | null> {
    const tool = this.#tools.get(name);
    if (!tool) return { reason: 'unknown_tool', message: `There is no tool named ${JSON.stringify(name)}.` };
    if (!(await this.#allowed(tool, context))) {
      return { reason: 'disabled', message: `Tool "${name}" is not enabled for this caller.` };
    }
    return null;
  }

  async requiresApproval(name: string, input: unknown, context: ToolContext = {}): Promise<boolean> {
    const tool = this.#tools.get(name);
    if (!tool) return false;
    if (tool.risk === 'destructive') return true;
    if (typeof tool.needsApproval === 'function') {
      // Approval rules see validated input only; invalid input never runs, so it needs no approval.
      const parsed = tool.input.safeParse(input);
      return parsed.success ? Boolean(await tool.needsApproval(parsed.data, context)) : false;
    }
    return tool.needsApproval;
  }

  async #matches(rule: ToolPolicy, tool: AnyToolDefinition, context: ToolContext): Promise<boolean> {
    if (rule.tools && !rule.tools.includes(tool.name)) return false;
    if (rule.risks && !rule.risks.includes(tool.risk)) return false;
    if (
      rule.agentTypes &&
      (context.agentType === undefined || !rule.agentTypes.includes(context.agentType))
    ) {
      return false;
    }
    if (rule.roles && !(context.roles ?? []).some((role) => rule.roles?.includes(role))) return false;
    if (rule.when && !rule.when(context)) return false;
    if (rule.flag !== undefined) {
      if (!this.#isEnabled) return false;
      if (!(await this.#isEnabled(rule.flag, context))) return false;
    }
    return true;
  }

  async #allowed(tool: AnyToolDefinition, context: ToolContext): Promise<boolean> {
    let allowed = tool.risk !== 'destructive';
    for (const rule of this.#policies) {
      if (!(await this.#matches(rule, tool, context))) continue;
      if (rule.effect === 'deny') return false;
      if (
        tool.risk !== 'destructive' ||
        rule.tools?.includes(tool.name) ||
        rule.risks?.includes('destructive')
      ) {
        allowed = true;
      }
    }
    return allowed;
  }

  async #emit<K extends keyof ToolHooks>(
    hook: K,
    event: Parameters<NonNullable<ToolHooks[K]>>[0],
  ): Promise<void> {
    const handler = this.#hooks[hook] as ((event: unknown) => void | Promise<void>) | undefined;
    if (!handler) return;
    try {
      await handler(event);
    } catch {
      // Telemetry must never change a tool call's result.
    }
  }

  async execute(
    name: string,
    rawInput: unknown,
    context: ToolContext = {},
    options: ToolCallOptions = {},
  ): Promise<ToolResult> {
    const tool = this.#tools.get(name);
    const callId = options.callId ?? crypto.randomUUID();
    const rawText = typeof rawInput === 'string' ? rawInput : safeStringify(rawInput);
    const start: ToolCallStart = {
      tool: name,
      risk: tool?.risk,
      callId,
      inputBytes: rawText === undefined ? 0 : encoder.encode(rawText).byteLength,
      context: idsOf(context),
      startedAt: Date.now(),
    };
    const startTime = performance.now();
    await this.#emit('onToolStart', start);
    const finish = async (outcome: ToolCallOutcome, result: ToolResult): Promise<ToolResult> => {
      const end: ToolCallEnd = { ...start, outcome, durationMs: performance.now() - startTime };
      if (!result.ok) end.errorCode = result.error.code;
      else {
        end.outputBytes = jsonBytes(result.output);
      }
      await this.#emit('onToolEnd', end);
      return result;
    };
    const fail = (outcome: ToolCallOutcome, error: ToolErrorBody) => finish(outcome, { ok: false, error });

    if (!tool) {
      return fail('denied', {
        code: 'not_found',
        message: `There is no tool named ${JSON.stringify(name)}.`,
      });
    }
    if (!(await this.#allowed(tool, context))) {
      return fail('denied', { code: 'forbidden', message: `Tool "${name}" is not enabled for this caller.` });
    }
    if (rawText === undefined) {
      return fail('invalid_input', {
        code: 'invalid_request',
        message: 'Tool arguments must be a JSON object.',
      });
    }
    if (start.inputBytes > this.#maxInputBytes) {
      return fail('invalid_input', {
        code: 'payload_too_large',
        message: `Tool arguments are ${start.inputBytes} bytes; the limit is ${this.#maxInputBytes}.`,
      });
    }
    let parsedJson: unknown = rawInput;
    if (typeof rawInput === 'string') {
      try {
        parsedJson = rawInput.trim() === '' ? {} : JSON.parse(rawInput);
      } catch {
        return fail('invalid_input', {
          code: 'invalid_request',
          message: 'Tool arguments are not valid JSON.',
        });
      }
    }
    const parsed = tool.input.safeParse(parsedJson);
    if (!parsed.success) {
      return fail('invalid_input', {
        code: 'invalid_request',
        message: `Invalid arguments for tool "${name}".`,
        details: {
          issues: parsed.error.issues.map((issue: { path: PropertyKey[]; message: string }) => ({
            path: issue.path.map(String),
            message: issue.message,
          })),
        },
      });
    }
    let needsApproval: boolean;
    try {
      needsApproval = await this.requiresApproval(name, parsed.data, context);
    } catch (error) {
      return fail('error', toToolErrorBody(error, name));
    }
    if (needsApproval && options.approved !== true) {
      return fail('approval_required', {
        code: 'forbidden',
        message: `Tool "${name}" needs a human's approval before it runs.`,
      });
    }
    if (tool.runsOn === 'client') {
      const clientToolCall: ClientToolCall = {
        type: 'client_tool_call',
        status: 'pending',
        call_id: callId,
        name,
        arguments: parsed.data as Record<string, unknown>,
      };
      return finish('client_tool_call', { ok: true, output: clientToolCall, clientToolCall });
    }
    return this.#run(tool, parsed.data, context, callId, options.signal, finish);
  }

  async #run(
    tool: AnyToolDefinition,
    input: unknown,
    context: ToolContext,
    callId: string,
    callerSignal: AbortSignal | undefined,
    finish: (outcome: ToolCallOutcome, result: ToolResult) => Promise<ToolResult>,
  ): Promise<ToolResult> {
    const name = tool.name;
    let release: (() => void) | undefined;
    try {
      release = await this.#semaphore.acquire(callerSignal);
    } catch {
      return finish('cancelled', {
        ok: false,
        error: { code: 'cancelled', message: `Tool "${name}" was cancelled.` },
      });
    }
    const timeoutMs = tool.timeoutMs ?? this.#defaultTimeoutMs;
    const controller = new AbortController();
    let settle: ((outcome: 'timeout' | 'cancelled') => void) | undefined;
    const stopped = new Promise<'timeout' | 'cancelled'>((resolve) => {
      settle = resolve;
    });
    const onCallerAbort = () => {
      controller.abort(callerSignal?.reason);
      settle?.('cancelled');
    };
    const timer = setTimeout(() => {
      controller.abort(new RequestError('cancelled', `Tool "${name}" timed out after ${timeoutMs} ms.`));
      settle?.('timeout');
    }, timeoutMs);
    if (callerSignal?.aborted) onCallerAbort();
    else callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
    const executionContext: ToolExecutionContext = {
      ...context,
      toolName: name,
      callId,
      signal: controller.signal,
    };
    try {
      const running = Promise.resolve()
        .then(() => tool.execute(input, executionContext))
        .then(
          (output) => ({ kind: 'done' as const, output }),
          (error: unknown) => ({ kind: 'threw' as const, error }),
        );
      const first = await Promise.race([running, stopped]);
      if (first === 'timeout') {
        return finish('timeout', {
          ok: false,
          error: { code: 'timeout', message: `Tool "${name}" did not finish within ${timeoutMs} ms.` },
        });
      }
      if (first === 'cancelled') {
        return finish('cancelled', {
          ok: false,
          error: { code: 'cancelled', message: `Tool "${name}" was cancelled.` },
        });
      }
      if (first.kind === 'threw')
        return finish('error', { ok: false, error: toToolErrorBody(first.error, name) });
      if (tool.output) {
        const checked = tool.output.safeParse(first.output);
        if (!checked.success) {
          return finish('error', {
            ok: false,
            error: {
              code: 'internal',
              message: `Tool "${name}" returned a result that does not match its output schema.`,
            },
          });
        }
        return finish('success', { ok: true, output: checked.data });
      }
      return finish('success', { ok: true, output: first.output });
    } finally {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
      release();
    }
  }
}

function safeStringify(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

function jsonBytes(value: unknown): number {
  try {
    const json = JSON.stringify(value);
    return json === undefined ? 0 : encoder.encode(json).byteLength;
  } catch {
    return 0;
  }
}

/** Creates an empty tool registry. @throws ConfigurationError on an invalid option. */
export function createToolRegistry(options: ToolRegistryOptions = {}): ToolRegistry {
  return new Registry(options);
}
