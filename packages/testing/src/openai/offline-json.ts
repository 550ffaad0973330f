/**
 * Offline answers for structured-output requests: when a request asks for JSON matching a schema
 * (`text.format: {type: "json_schema"}` in Responses, `response_format: {type: "json_schema"}` in Chat Completions)
 * and no script rule answers it, the offline reply is the smallest deterministic instance of that schema, with
 * every free string set to the offline label, so code that parses the output keeps working without a key.
 */

const LABEL = '[offline demo model]';

type Schema = Record<string, unknown>;

/** The JSON schema a request asks the output to follow, if any. */
export function requestedJsonSchema(body: Record<string, unknown>): Schema | undefined {
  const text = body.text as { format?: { type?: string; schema?: unknown } } | undefined;
  if (text?.format?.type === 'json_schema' && isSchema(text.format.schema)) return text.format.schema;
  const format = body.response_format as { type?: string; json_schema?: { schema?: unknown } } | undefined;
  if (format?.type === 'json_schema' && isSchema(format.json_schema?.schema))
    return format.json_schema.schema;
  return undefined;
}

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The smallest deterministic value valid against `schema` (local `$ref`s, `anyOf`/`oneOf`, enums, bounds). */
export function offlineJsonInstance(schema: Schema, root: Schema = schema, depth = 0): unknown {
  if (depth > 32) return null;
  if (typeof schema.$ref === 'string' && schema.$ref.startsWith('#/')) {
    let target: unknown = root;
    for (const key of schema.$ref.slice(2).split('/')) target = (target as Schema | undefined)?.[key];
    return isSchema(target) ? offlineJsonInstance(target, root, depth + 1) : null;
  }
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options) && isSchema(options[0]))
      return offlineJsonInstance(options[0], root, depth + 1);
  }
  const type = Array.isArray(schema.type) ? schema.type.find((entry) => entry !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const properties = isSchema(schema.properties) ? schema.properties : {};
      const result: Record<string, unknown> = {};
      for (const [name, property] of Object.entries(properties))
        if (isSchema(property)) result[name] = offlineJsonInstance(property, root, depth + 1);
      return result;
    }
    case 'array': {
      const count = typeof schema.minItems === 'number' ? schema.minItems : 0;
      return isSchema(schema.items)
        ? Array.from({ length: count }, () => offlineJsonInstance(schema.items as Schema, root, depth + 1))
        : [];
    }
    case 'string': {
      const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
      const max = typeof schema.maxLength === 'number' ? schema.maxLength : Number.POSITIVE_INFINITY;
      return LABEL.padEnd(min, '.').slice(0, max);
    }
    case 'integer':
    case 'number': {
      // 0 when the bounds allow it, otherwise the nearest integer inside them.
      const low =
        typeof schema.exclusiveMinimum === 'number'
          ? Math.floor(schema.exclusiveMinimum) + 1
          : typeof schema.minimum === 'number'
            ? Math.ceil(schema.minimum)
            : Number.NEGATIVE_INFINITY;
      const high =
        typeof schema.exclusiveMaximum === 'number'
          ? Math.ceil(schema.exclusiveMaximum) - 1
          : typeof schema.maximum === 'number'
            ? Math.floor(schema.maximum)
            : Number.POSITIVE_INFINITY;
      return Math.min(Math.max(0, low), high);
    }
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return LABEL;
  }
}
