import type { AnyToolDefinition } from './define-tool';
import type { JsonSchema } from './json-schema';
import { toolParametersSchema } from './json-schema';

/** A function tool for the OpenAI Responses API (`tools` of `POST /v1/responses`). */
export interface ResponsesFunctionTool {
  type: 'function';
  name: string;
  description: string;
  parameters: JsonSchema;
  strict: boolean;
}

/** A function tool for the OpenAI Chat Completions API (`tools` of `POST /v1/chat/completions`). */
export interface ChatCompletionsFunctionTool {
  type: 'function';
  function: { name: string; description: string; parameters: JsonSchema; strict: boolean };
}

/** Converts a tool to Responses API function-tool JSON. */
export function toResponsesTool(tool: AnyToolDefinition): ResponsesFunctionTool {
  const { schema, strict } = toolParametersSchema(tool);
  return { type: 'function', name: tool.name, description: tool.description, parameters: schema, strict };
}

/** Converts a tool to Chat Completions function-tool JSON. */
export function toChatCompletionsTool(tool: AnyToolDefinition): ChatCompletionsFunctionTool {
  const { schema, strict } = toolParametersSchema(tool);
  return {
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: schema, strict },
  };
}
