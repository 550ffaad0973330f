/**
 * `@relaykit/tool-registry/testing`: test doubles for code that runs tools (agents, usage tracking, telemetry).
 */
import { z } from 'zod';
import { type AnyToolDefinition, defineTool, type ToolExecutionContext, type ToolRisk } from '../define-tool';
import type { ToolCallEnd, ToolCallStart, ToolHooks } from '../registry';

/** Hooks that record every call, for assertions on telemetry. */
export interface ToolCallRecorder {
  /** Pass these to `createToolRegistry({ hooks })`. */
  hooks: Required<ToolHooks>;
  readonly starts: ToolCallStart[];
  readonly ends: ToolCallEnd[];
  /** Forgets what was recorded. */
  clear(): void;
}

/** Creates hooks that record every `onToolStart` / `onToolEnd` payload in order. */
export function createToolCallRecorder(): ToolCallRecorder {
  const starts: ToolCallStart[] = [];
  const ends: ToolCallEnd[] = [];
  return {
    hooks: {
      onToolStart: (event) => {
        starts.push(event);
      },
      onToolEnd: (event) => {
        ends.push(event);
      },
    },
    starts,
    ends,
    clear: () => {
      starts.length = 0;
      ends.length = 0;
    },
  };
}

/** Thrown by a scripted tool called more times than it has scripted results. */
export class UnexpectedToolCallError extends Error {
  constructor(
    readonly toolName: string,
    readonly callIndex: number,
  ) {
    super(
      `Tool "${toolName}" was called ${callIndex + 1} times but only ${callIndex} results were scripted.`,
    );
    this.name = 'UnexpectedToolCallError';
  }
}

/** One recorded call of a scripted tool. */
export interface ScriptedToolCall {
  input: unknown;
  context: ToolExecutionContext;
}

/** Options of {@link createScriptedTool}. */
export interface ScriptedToolOptions {
  name: string;
  description?: string;
  risk?: ToolRisk;
  /** Defaults to an object accepting any keys. */
  input?: z.ZodObject;
  /** One entry per call, in order: a value to return, an `Error` to throw, or a function of the input. */
  results: Array<unknown | Error | ((input: unknown, context: ToolExecutionContext) => unknown)>;
}

/** A tool that returns scripted results and records its calls. */
export interface ScriptedTool {
  tool: AnyToolDefinition;
  readonly calls: ScriptedToolCall[];
  /** Throws when scripted results were left unused. */
  assertComplete(): void;
}

/**
 * Creates a tool whose results are scripted in advance. Each call records its validated input and context;
 * a call beyond the script throws {@link UnexpectedToolCallError} (which the registry reports as `internal`).
 */
export function createScriptedTool(options: ScriptedToolOptions): ScriptedTool {
  const calls: ScriptedToolCall[] = [];
  const tool = defineTool({
    name: options.name,
    description: options.description ?? `Scripted test tool ${options.name}.`,
    risk: options.risk ?? 'read',
    input: options.input ?? z.looseObject({}),
    execute: async (input, context) => {
      const index = calls.length;
      calls.push({ input, context });
      if (index >= options.results.length) throw new UnexpectedToolCallError(options.name, index);
      const result = options.results[index];
      if (result instanceof Error) throw result;
      return typeof result === 'function' ? await result(input, context) : result;
    },
  });
  return {
    tool,
    calls,
    assertComplete: () => {
      if (calls.length < options.results.length) {
        throw new Error(
          `Tool "${options.name}" used ${calls.length} of ${options.results.length} scripted results.`,
        );
      }
    },
  };
}
