import type { WidgetRoot } from '../chatkit/model';

/** Keys whose value is application data, copied verbatim (nulls included), as the wire serializer does. */
const VERBATIM_KEYS: ReadonlySet<string> = new Set(['payload']);

function compact(value: unknown): unknown {
  if (Array.isArray(value))
    return value.filter((entry) => entry !== null && entry !== undefined).map(compact);
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Date) return value.toISOString();
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (field === null || field === undefined) continue;
    const copied = VERBATIM_KEYS.has(key) ? structuredClone(field) : compact(field);
    // An own `__proto__` key (JSON.parse keeps one) must stay a data property.
    Object.defineProperty(out, key, { value: copied, writable: true, enumerable: true, configurable: true });
  }
  return out;
}

/**
 * A widget tree as the wire carries it (docs/specs/chatkit-protocol.md §1): a deep copy with null and undefined fields
 * (and list entries) dropped recursively, `Date`s as ISO strings, `type` always present, action payloads verbatim.
 */
export function widgetToJSON<T extends { type: string }>(widget: T): T & WidgetRoot {
  const json = compact(widget) as T & WidgetRoot;
  json.type = widget.type;
  return json;
}
