import type { ThreadItem, ThreadItemUpdate } from '@relaykit/sse-protocol';

type Mutable = Record<string, unknown>;

/**
 * Applies a `thread.item.updated` update to the server's pending copy of an item (docs/specs/chatkit-protocol.md §3.1), in place.
 * Only assistant-message content updates and workflow task updates change the copy; others are ignored.
 */
export function applyItemUpdate(item: ThreadItem, update: ThreadItemUpdate): void {
  const target = item as unknown as Mutable;
  if (item.type === 'assistant_message' && update.type.startsWith('assistant_message.')) {
    const content = (target.content ?? []) as Mutable[];
    target.content = content;
    const u = update as unknown as Mutable;
    const index = u.content_index as number;
    while (content.length <= index) content.push({ type: 'output_text', text: '', annotations: [] });
    switch (update.type) {
      case 'assistant_message.content_part.added':
      case 'assistant_message.content_part.done':
        content[index] = structuredClone(u.content) as Mutable;
        return;
      case 'assistant_message.content_part.text_delta': {
        const part = content[index] as Mutable;
        part.text = `${(part.text as string | undefined) ?? ''}${u.delta as string}`;
        return;
      }
      case 'assistant_message.content_part.annotation_added': {
        const part = content[index] as Mutable;
        const annotations = ((part.annotations as unknown[] | undefined) ?? []) as unknown[];
        part.annotations = annotations;
        const at = u.annotation_index as number;
        const annotation = structuredClone(u.annotation);
        if (at < annotations.length) annotations.splice(at, 0, annotation);
        else annotations.push(annotation);
        return;
      }
      default:
        return;
    }
  }
  if (item.type === 'workflow') {
    const workflow = target.workflow as Mutable;
    const tasks = (workflow.tasks ?? []) as unknown[];
    workflow.tasks = tasks;
    const u = update as unknown as Mutable;
    if (update.type === 'workflow.task.added') tasks.push(structuredClone(u.task));
    else if (update.type === 'workflow.task.updated') tasks[u.task_index as number] = structuredClone(u.task);
  }
}
