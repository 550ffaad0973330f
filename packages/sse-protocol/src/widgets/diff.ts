/**
 * The widget diff of chatkit-python's `stream_widget` (docs/specs/chatkit-protocol.md §6): how the server tells the
 * client that a streamed widget changed from one state to the next.
 */
import type { WidgetRootUpdated, WidgetStreamingTextValueDelta } from '../chatkit/events';
import type { WidgetRoot } from '../chatkit/model';

/** One update of a streamed widget: text appended to a component, or the whole tree replaced. */
export type WidgetUpdate = WidgetStreamingTextValueDelta | WidgetRootUpdated;

type Node = Record<string, unknown>;

const isNode = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const absent = (value: unknown) => value === null || value === undefined;

/** A `Text` or `Markdown` with an `id` and a string `value`: the only components whose value streams as deltas. */
function isStreamingText(node: Node): node is Node & { id: string; value: string } {
  return (
    (node.type === 'Text' || node.type === 'Markdown') &&
    typeof node.id === 'string' &&
    typeof node.value === 'string'
  );
}

/** JSON equality where a null or missing field is the same as no field (the wire drops both). */
function sameJson(before: unknown, after: unknown): boolean {
  if (absent(before) || absent(after)) return absent(before) && absent(after);
  if (Array.isArray(before) || Array.isArray(after)) {
    if (!Array.isArray(before) || !Array.isArray(after) || before.length !== after.length) return false;
    return before.every((entry, index) => sameJson(entry, after[index]));
  }
  if (isNode(before) && isNode(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const key of keys) if (!sameJson(before[key], after[key])) return false;
    return true;
  }
  return Object.is(before, after);
}

/** Whether the children of two components differ in more than streaming text appends. */
function childrenChanged(before: unknown, after: unknown): boolean {
  if (absent(before) || absent(after)) return !(absent(before) && absent(after));
  if (Array.isArray(before) && Array.isArray(after)) {
    if (before.length !== after.length) return true;
    return before.some((child, index) => childChanged(child, after[index]));
  }
  return childChanged(before, after);
}

function childChanged(before: unknown, after: unknown): boolean {
  return isNode(before) && isNode(after) ? needsRootUpdate(before, after) : !sameJson(before, after);
}

/**
 * Whether going from `before` to `after` needs the whole tree sent again: any change of type, id, key, props or
 * structure, anywhere. The one exemption is a streaming text component whose `value` only grew by a suffix.
 */
function needsRootUpdate(before: Node, after: Node): boolean {
  for (const key of ['type', 'id', 'key']) if (!sameJson(before[key], after[key])) return true;
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of keys) {
    if (key === 'children') {
      if (childrenChanged(before.children, after.children)) return true;
      continue;
    }
    const appended =
      key === 'value' &&
      isStreamingText(before) &&
      isStreamingText(after) &&
      after.value.startsWith(before.value);
    if (!appended && !sameJson(before[key], after[key])) return true;
  }
  return false;
}

/** The streaming text components of a tree by id, in tree order; `null` when two share an id. */
function streamingTexts(root: Node): Map<string, Node & { id: string; value: string }> | null {
  const found = new Map<string, Node & { id: string; value: string }>();
  let duplicate = false;
  const visit = (node: unknown) => {
    if (!isNode(node)) return;
    if (isStreamingText(node)) {
      if (found.has(node.id)) duplicate = true;
      found.set(node.id, node);
    }
    const children = node.children;
    if (Array.isArray(children)) for (const child of children) visit(child);
    else visit(children);
  };
  visit(root);
  return duplicate ? null : found;
}

/**
 * The updates that take a client from widget state `before` to `after` (chatkit-python's `diff_widget`):
 * - when the only changes are `value`s of `Text`/`Markdown` components with an `id` that grew by a suffix, one
 *   `widget.streaming_text.value_delta { component_id, delta, done }` per changed component, in tree order
 *   (`done` is true unless the new state says `streaming: true`);
 * - any other change (a prop, a child added, removed or reordered, a `type`, `id` or `key`, a value that did not grow
 *   by a suffix, a growing text without an `id` or with an `id` used twice, `streaming` itself) gives one
 *   `widget.root.updated` with the new tree (the reference drops a growing text without an `id` until the final
 *   `thread.item.done`; RelayKit sends the tree so the client is never behind);
 * - no change gives no update.
 * Null and missing fields are equal (the wire drops nulls).
 */
export function diffWidget(before: WidgetRoot, after: WidgetRoot): WidgetUpdate[] {
  const rootUpdate: WidgetUpdate[] = [{ type: 'widget.root.updated', widget: after }];
  if (needsRootUpdate(before, after)) return rootUpdate;
  const previous = streamingTexts(before);
  const next = streamingTexts(after);
  // Two streaming texts with one id cannot be addressed by a delta: send the tree when anything changed.
  if (previous === null || next === null) return sameJson(before, after) ? [] : rootUpdate;
  const updates: WidgetUpdate[] = [];
  for (const [id, node] of next) {
    const old = previous.get(id)?.value ?? '';
    if (node.value === old) continue;
    updates.push({
      type: 'widget.streaming_text.value_delta',
      component_id: id,
      delta: node.value.slice(old.length),
      done: node.streaming !== true,
    });
  }
  return updates;
}
