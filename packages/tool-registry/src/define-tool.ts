import { ConfigurationError } from '@relaykit/sse-protocol';
import type { z } from 'zod';

/** How much harm a tool can do: `read` changes nothing, `write` changes data, `destructive` can lose data. */
export type ToolRisk = 'read' | 'write' | 'destructive';

/** The risks in increasing order of harm. */
export const TOOL_RISKS: readonly ToolRisk[] = ['read', 'write', 'destructive'];

/**
 * Who is calling a tool. Every field is optional; policies, hooks and tools read what they need.
 * Only the identifiers (`agentType`, `userId`, `threadId`, `runId`) ever reach hook payloads; `roles`, `claims` and
 * `attributes` stay inside the process.
 *
 * With `toAgentsTools`, this is the run's `context` (`run(agent, input, { context })`, the SDK's
 * `RunContext<{ userId, claims, ... }>`): a context object with these fields needs no mapping.
 */
export interface ToolContext {
  /** The kind of agent calling the tool (for example `event-planner`). */
  agentType?: string;
  /** The end user on whose behalf the agent acts. */
  userId?: string;
  /**
   * The caller's verified JWT claims (for example `AuthenticatedUser.claims` of `@relaykit/agent-core`). The Postgres
   * tools of `@relaykit/tool-registry/postgres` run as the caller with them (`request.jwt.claims`), so RLS applies.
   */
  claims?: Readonly<Record<string, unknown>>;
  /** The user's roles (for example `admin`), read by policies. */
  roles?: readonly string[];
  /** The ChatKit thread, if any. */
  threadId?: string;
  /** The agent run, if any. */
  runId?: string;
  /** Anything else a policy, flag provider or tool needs (never copied into hook payloads). */
  attributes?: Readonly<Record<string, unknown>>;
}

/** What `execute` receives besides its validated input. */
export interface ToolExecutionContext extends ToolContext {
  /** The name of the tool being executed. */
  toolName: string;
  /** The id of this call (the model's `call_id` when there is one). */
  callId: string;
  /** Aborted when the call times out or the caller cancels it; pass it on to I/O. */
  signal: AbortSignal;
}

/** Whether a call needs a human's approval before it runs. */
export type ToolApprovalOption<Input> =
  | boolean
  | ((input: Input, context: ToolContext) => boolean | Promise<boolean>);

/** The options of {@link defineTool}. */
export interface ToolOptions<InputSchema extends z.ZodType, OutputSchema extends z.ZodType | undefined> {
  /** The name the model sees: 1 to 64 letters, digits, `_` or `-`. */
  name: string;
  /** What the tool does and when to use it, for the model. */
  description: string;
  /** The arguments, as a zod object schema; validated before `execute`. */
  input: InputSchema;
  /** The result, validated after `execute` when given. */
  output?: OutputSchema;
  /** How much harm the tool can do. `destructive` tools are disabled unless a policy enables them, and always need approval. */
  risk: ToolRisk;
  /** Whether a call needs approval (defaults to `true` for destructive tools, `false` otherwise). */
  needsApproval?: ToolApprovalOption<z.output<InputSchema>>;
  /** Per-call deadline in milliseconds; defaults to the registry's `defaultTimeoutMs`. */
  timeoutMs?: number;
  /** Runs the tool. Throw a `RelayKitError` to give the model a specific `code` and message. */
  execute(
    input: z.output<InputSchema>,
    context: ToolExecutionContext,
  ): Promise<ToolOutputOf<OutputSchema>> | ToolOutputOf<OutputSchema>;
}

/** The output type of a tool: the output schema's input type when one is given, otherwise anything JSON-serialisable. */
export type ToolOutputOf<OutputSchema extends z.ZodType | undefined> = OutputSchema extends z.ZodType
  ? z.input<OutputSchema>
  : unknown;

/** A tool made by {@link defineTool} or {@link defineClientTool}. */
export interface ToolDefinition<
  InputSchema extends z.ZodType = z.ZodType,
  OutputSchema extends z.ZodType | undefined = z.ZodType | undefined,
> {
  readonly name: string;
  readonly description: string;
  readonly input: InputSchema;
  readonly output: OutputSchema | undefined;
  readonly risk: ToolRisk;
  readonly needsApproval: ToolApprovalOption<z.output<InputSchema>>;
  readonly timeoutMs: number | undefined;
  /** `client` tools run in the browser: the server emits a ChatKit `client_tool_call` instead of executing them. */
  readonly runsOn: 'server' | 'client';
  readonly execute: ToolOptions<InputSchema, OutputSchema>['execute'];
}

/** Any tool, whatever its schemas. */
// biome-ignore lint/suspicious/noExplicitAny: a registry holds tools of every input and output type
export type AnyToolDefinition = ToolDefinition<any, any>;

const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;

function checkCommonOptions(options: {
  name: unknown;
  description: unknown;
  input: unknown;
  risk?: unknown;
  timeoutMs?: unknown;
}): void {
  if (typeof options.name !== 'string' || !TOOL_NAME.test(options.name)) {
    throw new ConfigurationError(
      `Tool name ${JSON.stringify(options.name)} is invalid: use 1 to 64 letters, digits, "_" or "-".`,
    );
  }
  if (typeof options.description !== 'string' || options.description.trim() === '') {
    throw new ConfigurationError(`Tool "${options.name}" needs a description.`);
  }
  const input = options.input as { safeParse?: unknown; def?: { type?: string } } | undefined;
  if (typeof input?.safeParse !== 'function' || input.def?.type !== 'object') {
    throw new ConfigurationError(`Tool "${options.name}" needs a zod object schema as input.`);
  }
  if (options.risk !== undefined && !TOOL_RISKS.includes(options.risk as ToolRisk)) {
    throw new ConfigurationError(
      `Tool "${options.name}" has an unknown risk ${JSON.stringify(options.risk)}.`,
    );
  }
  if (
    options.timeoutMs !== undefined &&
    (typeof options.timeoutMs !== 'number' || !(options.timeoutMs > 0) || !Number.isFinite(options.timeoutMs))
  ) {
    throw new ConfigurationError(`Tool "${options.name}" has an invalid timeoutMs.`);
  }
}

/**
 * Defines a server-side tool. The input is validated before `execute` and the output after it; failures become
 * structured results (`{ error: { code, message } }`) when the tool runs through a registry.
 *
 * @throws ConfigurationError when the name, description, schema, risk or timeout is invalid.
 */
export function defineTool<
  InputSchema extends z.ZodType,
  OutputSchema extends z.ZodType | undefined = undefined,
>(options: ToolOptions<InputSchema, OutputSchema>): ToolDefinition<InputSchema, OutputSchema> {
  checkCommonOptions(options);
  if (typeof options.execute !== 'function') {
    throw new ConfigurationError(`Tool "${options.name}" needs an execute function.`);
  }
  return Object.freeze({
    name: options.name,
    description: options.description,
    input: options.input,
    output: options.output,
    risk: options.risk,
    needsApproval: options.needsApproval ?? options.risk === 'destructive',
    timeoutMs: options.timeoutMs,
    runsOn: 'server' as const,
    execute: options.execute,
  });
}

/** The options of {@link defineClientTool}. */
export interface ClientToolOptions<InputSchema extends z.ZodType> {
  name: string;
  description: string;
  input: InputSchema;
  /** Defaults to `read`. */
  risk?: ToolRisk;
  needsApproval?: ToolApprovalOption<z.output<InputSchema>>;
}

/**
 * Defines a tool that runs in the browser (a ChatKit client tool). Running it through a registry validates the
 * arguments and returns a pending `client_tool_call` item; the client answers with `threads.add_client_tool_output`.
 */
export function defineClientTool<InputSchema extends z.ZodType>(
  options: ClientToolOptions<InputSchema>,
): ToolDefinition<InputSchema, undefined> {
  checkCommonOptions(options);
  const risk = options.risk ?? 'read';
  return Object.freeze({
    name: options.name,
    description: options.description,
    input: options.input,
    output: undefined,
    risk,
    needsApproval: options.needsApproval ?? risk === 'destructive',
    timeoutMs: undefined,
    runsOn: 'client' as const,
    execute: () => {
      throw new ConfigurationError(
        `Tool "${options.name}" runs on the client and cannot be executed on the server.`,
      );
    },
  });
}
