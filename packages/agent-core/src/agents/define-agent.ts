import type { Tool } from '@openai/agents';
import { RelayKitError, RequestError } from '@relaykit/sse-protocol';
import type { z } from 'zod';
import type { AgentPassThroughOptions } from './agent-options';

/** What an agent's instructions, tools and context builder see for one run. */
export interface AgentRunContext<TMetadata = Record<string, unknown>, TData = unknown> {
  /** The agent type that is running. */
  agentType: string;
  /** The request metadata, validated by the agent's schema. */
  metadata: TMetadata;
  /** The output of the agent's context builder (undefined without one). */
  data: TData;
  /** The authenticated user the run is for. */
  userId: string;
}

/**
 * A tool of a definition: any Agents SDK tool, typed for any run context (e.g. `tool<…, RelayKitRunContext>()` whose
 * `execute` reads `RunContext<RelayKitRunContext>`).
 */
// biome-ignore lint/suspicious/noExplicitAny: a definition holds tools typed for any run context
export type AgentTool = Tool<any>;

/**
 * Data loaders an application injects (database queries, API clients). Context builders receive them instead of
 * reaching for a global client, so tests can pass fakes and every request uses the caller's own access.
 */
export type AgentDependencies = Record<string, unknown>;

/**
 * The options of {@link defineAgent}: RelayKit's own (type, metadata, context builder, handoffs by type, ...) plus every
 * other `@openai/agents` `Agent` option, passed through (see `PASSED_THROUGH_AGENT_OPTIONS` and
 * `MANAGED_AGENT_OPTIONS`).
 */
export interface AgentDefinitionOptions<TMetadata, TData> extends AgentPassThroughOptions<TMetadata, TData> {
  /** Stable identifier, e.g. `client`, `venue_event`, `workflow_designer`. Lowercase letters, digits, `_`, `-`. */
  type: string;
  /** One line for humans and for handoff descriptions. */
  description: string;
  /** Schema of the request metadata this agent needs (e.g. `z.object({ eventId: z.string() })`). */
  metadata: z.ZodType<TMetadata>;
  /** The system prompt, or a function that builds it from the run context. */
  instructions: string | ((context: AgentRunContext<TMetadata, TData>) => string | Promise<string>);
  /**
   * Agents SDK tools, or a function choosing them for the run context. With the ChatKit server a tool's
   * `execute(input, runContext)` reads the request through `runContext.context`: type it `RunContext<RelayKitRunContext>`.
   */
  tools?: AgentTool[] | ((context: AgentRunContext<TMetadata, TData>) => AgentTool[]);
  /** Default model for this agent (a model policy may override it). */
  model?: string;
  /** Agent types this agent may hand off to (SDK handoffs). */
  handoffs?: string[];
  /** Loads the data the instructions need, through injected dependencies. Its JSON output is size-bounded. */
  contextBuilder?: (metadata: TMetadata, dependencies: AgentDependencies) => Promise<TData> | TData;
  /** Upper bound of the context builder's output, in bytes of JSON. Default 16 KiB. */
  maxContextBytes?: number;
  /** Suggested first messages for a UI. */
  starterPrompts?: string[];
}

/** A validated, frozen agent definition. */
export interface AgentDefinition<TMetadata = Record<string, unknown>, TData = unknown>
  extends Readonly<AgentDefinitionOptions<TMetadata, TData>> {
  readonly maxContextBytes: number;
  readonly handoffs: string[];
  readonly starterPrompts: string[];
}

/** Any agent definition, whatever its metadata and data types. */
// biome-ignore lint/suspicious/noExplicitAny: a registry holds definitions of many shapes
export type AnyAgentDefinition = AgentDefinition<any, any>;

const AGENT_TYPE = /^[a-z][a-z0-9_-]{0,63}$/;
const DEFAULT_MAX_CONTEXT_BYTES = 16 * 1024;

/** Declares an agent: its type, the metadata it requires, its instructions, tools and model. */
export function defineAgent<TMetadata, TData = undefined>(
  options: AgentDefinitionOptions<TMetadata, TData>,
): AgentDefinition<TMetadata, TData> {
  if (!AGENT_TYPE.test(options.type)) {
    throw new RelayKitError(
      'configuration',
      `agent type "${options.type}" must match ${AGENT_TYPE} (lowercase letters, digits, "_" and "-")`,
    );
  }
  const maxContextBytes = options.maxContextBytes ?? DEFAULT_MAX_CONTEXT_BYTES;
  if (!Number.isInteger(maxContextBytes) || maxContextBytes <= 0) {
    throw new RelayKitError(
      'configuration',
      `agent "${options.type}": maxContextBytes must be a positive integer`,
    );
  }
  return Object.freeze({
    ...options,
    maxContextBytes,
    handoffs: [...(options.handoffs ?? [])],
    starterPrompts: [...(options.starterPrompts ?? [])],
  });
}

/**
 * Validates request metadata against an agent's schema before any model call.
 * A missing or wrong field is a `RequestError('invalid_request')` whose message names every field.
 */
export function parseAgentMetadata<TMetadata>(
  definition: Pick<AgentDefinition<TMetadata, unknown>, 'type' | 'metadata'>,
  raw: unknown,
): TMetadata {
  const result = definition.metadata.safeParse(raw ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map(String),
    code: issue.code,
    message: issue.message,
  }));
  const fields = issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
  throw new RequestError('invalid_request', `agent "${definition.type}" needs valid metadata: ${fields}`, {
    details: issues,
  });
}

/**
 * Builds the run context: validates the metadata, runs the context builder with the injected dependencies and
 * enforces its size bound (`payload_too_large` when the JSON is bigger than `maxContextBytes`).
 */
export async function buildAgentRunContext<TMetadata, TData>(
  definition: AgentDefinition<TMetadata, TData>,
  input: { metadata: unknown; userId: string; dependencies?: AgentDependencies },
): Promise<AgentRunContext<TMetadata, TData>> {
  const metadata = parseAgentMetadata(definition, input.metadata);
  const data = definition.contextBuilder
    ? await definition.contextBuilder(metadata, input.dependencies ?? {})
    : (undefined as TData);
  if (data !== undefined) {
    const bytes = new TextEncoder().encode(JSON.stringify(data)).byteLength;
    if (bytes > definition.maxContextBytes) {
      throw new RelayKitError(
        'payload_too_large',
        `the context built for agent "${definition.type}" is ${bytes} bytes, over its ${definition.maxContextBytes}-byte bound`,
      );
    }
  }
  return { agentType: definition.type, metadata, data, userId: input.userId };
}
