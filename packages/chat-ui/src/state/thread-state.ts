import {
  type Annotation,
  type AnyThreadItem,
  type AssistantMessageItem,
  type ChatKitEvent,
  type ItemUpdate,
  isHiddenItem,
  type OutputText,
  type Task,
  type WidgetNode,
} from '../client/types';
import { mapWidgetComponent } from './widgets';

const emptyText = (): OutputText => ({ type: 'output_text', text: '', annotations: [] });

function updateAssistant(item: AssistantMessageItem, update: ItemUpdate): AssistantMessageItem {
  if (!('content_index' in update)) return item;
  const content = [...(item.content ?? [])];
  const index = update.content_index;
  while (content.length <= index) content.push(emptyText());
  const part = content[index]!;
  switch (update.type) {
    case 'assistant_message.content_part.text_delta':
      content[index] = { ...part, text: part.text + update.delta };
      break;
    case 'assistant_message.content_part.annotation_added': {
      const annotations: Annotation[] = [...(part.annotations ?? [])];
      if (update.annotation_index >= annotations.length) annotations.push(update.annotation);
      else annotations.splice(update.annotation_index, 0, update.annotation);
      content[index] = { ...part, annotations };
      break;
    }
    case 'assistant_message.content_part.added':
    case 'assistant_message.content_part.done':
      content[index] = { annotations: [], ...update.content };
      break;
    default:
      return item;
  }
  return { ...item, content };
}

/**
 * Applies one `thread.item.updated` update to an item (docs/specs/chatkit-protocol.md §3.1): text deltas and
 * annotations of assistant messages, workflow tasks, widget root/component/streaming-text updates and generated
 * image progress. Pure; an update that does not fit the item leaves it unchanged.
 */
export function applyItemUpdate(item: AnyThreadItem, update: ItemUpdate): AnyThreadItem {
  switch (item.type) {
    case 'assistant_message':
      return updateAssistant(item as AssistantMessageItem, update);
    case 'workflow': {
      if (update.type !== 'workflow.task.added' && update.type !== 'workflow.task.updated') return item;
      const workflow = (item as { workflow: { tasks?: Task[] } }).workflow;
      const tasks = [...(workflow.tasks ?? [])];
      if (update.type === 'workflow.task.added') tasks.push(update.task);
      else tasks[update.task_index] = update.task;
      return { ...item, workflow: { ...workflow, tasks } } as AnyThreadItem;
    }
    case 'widget': {
      const widget = (item as { widget: WidgetNode }).widget;
      if (update.type === 'widget.root.updated') return { ...item, widget: update.widget } as AnyThreadItem;
      if (update.type === 'widget.component.updated')
        return {
          ...item,
          widget: mapWidgetComponent(widget, update.component_id, () => update.component),
        } as AnyThreadItem;
      if (update.type === 'widget.streaming_text.value_delta')
        return {
          ...item,
          widget: mapWidgetComponent(widget, update.component_id, (component) => ({
            ...component,
            value: `${typeof component.value === 'string' ? component.value : ''}${update.delta}`,
            streaming: !update.done,
          })),
        } as AnyThreadItem;
      return item;
    }
    case 'generated_image':
      if (update.type !== 'generated_image.updated') return item;
      return {
        ...item,
        image: update.image,
        ...(typeof update.progress === 'number' ? { progress: update.progress } : {}),
      } as AnyThreadItem;
    default:
      return item;
  }
}

function upsert(items: AnyThreadItem[], item: AnyThreadItem): AnyThreadItem[] {
  const index = items.findIndex((existing) => existing.id === item.id);
  if (index < 0) return [...items, item];
  const next = [...items];
  next[index] = item;
  return next;
}

/**
 * Applies an item event of a run to the thread's items (ascending): `thread.item.added/done/replaced` insert or
 * replace by id, `updated` patches, `removed` deletes. Hidden items (`hidden_context_item`, `sdk_hidden_context`)
 * are never shown. Other events leave the items unchanged (the same array).
 */
export function applyItemEvent(items: AnyThreadItem[], event: ChatKitEvent): AnyThreadItem[] {
  switch (event.type) {
    case 'thread.item.added':
    case 'thread.item.done':
    case 'thread.item.replaced':
      return isHiddenItem(event.item) ? items : upsert(items, event.item);
    case 'thread.item.updated': {
      const index = items.findIndex((item) => item.id === event.item_id);
      if (index < 0) return items;
      const updated = applyItemUpdate(items[index]!, event.update);
      if (updated === items[index]) return items;
      const next = [...items];
      next[index] = updated;
      return next;
    }
    case 'thread.item.removed':
      return items.some((item) => item.id === event.item_id)
        ? items.filter((item) => item.id !== event.item_id)
        : items;
    default:
      return items;
  }
}

/** Items of a page, hidden ones removed (the server removes them too; a custom server may not). */
export function visibleItems(items: readonly AnyThreadItem[]): AnyThreadItem[] {
  return items.filter((item) => !isHiddenItem(item));
}

/** The text of a message item (text parts joined; tags as `@tag`). */
export function itemText(item: AnyThreadItem): string {
  const content = (item as { content?: unknown }).content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: { type?: string; text?: string }) =>
      part.type === 'input_tag' ? `@${part.text ?? ''}` : (part.text ?? ''),
    )
    .join('');
}

/**
 * The agent that wrote an assistant message, when the server says so. RelayKit's agents responder adds an entity
 * annotation `{ source: { type: 'entity', id: 'relaykit:agent', title: <agent> } }` to each assistant message
 * (a field the protocol allows; other clients show it as a source).
 */
export function agentOfItem(item: AnyThreadItem): string | undefined {
  if (item.type !== 'assistant_message') return undefined;
  for (const part of (item as AssistantMessageItem).content ?? [])
    for (const annotation of part.annotations ?? [])
      if (annotation.source?.type === 'entity' && annotation.source.id === AGENT_ANNOTATION_ID)
        return annotation.source.title ?? undefined;
  return undefined;
}

/** The entity id of RelayKit's "which agent answered" annotation. */
export const AGENT_ANNOTATION_ID = 'relaykit:agent';

/** A short title from a first message: its first words, at most 48 characters. */
export function titleFromMessage(text: string): string {
  const words = text.replace(/\s+/g, ' ').trim();
  if (words.length <= 48) return words || 'New thread';
  const cut = words.slice(0, 48);
  const space = cut.lastIndexOf(' ');
  return `${space > 20 ? cut.slice(0, space) : cut}…`;
}
