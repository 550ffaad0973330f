import { z } from 'zod';
import type { AnyToolDefinition } from './define-tool';

/** A JSON schema object (draft 2020-12 subset OpenAI accepts). */
export type JsonSchema = { [key: string]: unknown };

/** A tool's parameters as JSON schema, and whether OpenAI's strict mode can enforce them. */
export interface ToolParametersSchema {
  /** The parameters: an object schema whose objects all forbid additional properties. */
  schema: JsonSchema & { type: 'object'; properties: Record<string, JsonSchema>; required: string[] };
  /**
   * `true` when every property of every object is required (OpenAI strict mode needs that). A schema with optional
   * fields is sent non-strict; make them `.nullable()` instead of `.optional()` to keep strict mode.
   */
  strict: boolean;
}

function tighten(node: unknown, state: { strict: boolean }): void {
  if (Array.isArray(node)) {
    for (const child of node) tighten(child, state);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const record = node as JsonSchema;
  if (record.type === 'object' || (record.properties && typeof record.properties === 'object')) {
    const properties = (record.properties ?? {}) as Record<string, unknown>;
    const required = Array.isArray(record.required) ? (record.required as string[]) : [];
    if (Object.keys(properties).some((key) => !required.includes(key))) state.strict = false;
    if (record.additionalProperties === undefined) record.additionalProperties = false;
    else if (record.additionalProperties !== false) state.strict = false;
    record.required = required;
    record.properties = properties;
  }
  for (const value of Object.values(record)) tighten(value, state);
}

/** Converts a tool's zod input schema to the JSON schema sent to the model. */
export function toolParametersSchema(tool: AnyToolDefinition): ToolParametersSchema {
  // A plain-data copy: zod attaches a non-enumerable Standard Schema marker (`~standard`) to the result, which makes
  // the Agents SDK treat the JSON schema as a Standard Schema and refuse it in non-strict mode.
  const schema = JSON.parse(
    JSON.stringify(z.toJSONSchema(tool.input, { io: 'input', unrepresentable: 'any' })),
  ) as JsonSchema;
  delete schema.$schema;
  const state = { strict: true };
  tighten(schema, state);
  return { schema: schema as ToolParametersSchema['schema'], strict: state.strict };
}
