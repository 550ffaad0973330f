import type { ItemUpdate, OutputText, StreamEvent, ThreadItem, WorkflowTask } from './chatkit-types';

/** What the message log shows: the thread's items in ascending order, plus the run's transient status. */
export interface ThreadView {
  items: ThreadItem[];
  /** The latest `progress_update` text of the running stream. */
  progress: string | null;
  /** The last `error` event's message. */
  error: string | null;
}

export const EMPTY_VIEW: ThreadView = { items: [], progress: null, error: null };

function applyUpdate(item: ThreadItem, update: ItemUpdate): ThreadItem {
  if (item.type === 'assistant_message' && 'content_index' in update) {
    const content = [...((item as { content: OutputText[] }).content ?? [])];
    const index = update.content_index as number;
    while (content.length <= index) content.push({ type: 'output_text', text: '' });
    if (update.type === 'assistant_message.content_part.text_delta')
      content[index] = { ...content[index]!, text: content[index]!.text + String(update.delta) };
    else if ('content' in update && update.content) content[index] = update.content as OutputText;
    return { ...item, content } as ThreadItem;
  }
  if (
    item.type === 'workflow' &&
    (update.type === 'workflow.task.added' || update.type === 'workflow.task.updated')
  ) {
    const workflow = (item as { workflow: { tasks: WorkflowTask[] } }).workflow;
    const tasks = [...workflow.tasks];
    const index = update.task_index as number;
    if (update.type === 'workflow.task.added') tasks.push(update.task as WorkflowTask);
    else tasks[index] = update.task as WorkflowTask;
    return { ...item, workflow: { ...workflow, tasks } } as ThreadItem;
  }
  return item;
}

function upsert(items: ThreadItem[], item: ThreadItem): ThreadItem[] {
  const index = items.findIndex((existing) => existing.id === item.id);
  if (index < 0) return [...items, item];
  const next = [...items];
  next[index] = item;
  return next;
}

/** Applies one ChatKit stream event to the view (pure; unknown events leave it unchanged). */
export function applyStreamEvent(view: ThreadView, event: StreamEvent): ThreadView {
  switch (event.type) {
    case 'thread.item.added':
    case 'thread.item.done':
    case 'thread.item.replaced': {
      const item = (event as { item: ThreadItem }).item;
      if (item.type === 'hidden_context_item' || item.type === 'sdk_hidden_context') return view;
      return {
        ...view,
        items: upsert(view.items, item),
        ...(item.type === 'assistant_message' ? { progress: null } : {}),
      };
    }
    case 'thread.item.updated': {
      const { item_id, update } = event as { item_id: string; update: ItemUpdate };
      return {
        ...view,
        items: view.items.map((item) => (item.id === item_id ? applyUpdate(item, update) : item)),
      };
    }
    case 'thread.item.removed': {
      const { item_id } = event as { item_id: string };
      return { ...view, items: view.items.filter((item) => item.id !== item_id) };
    }
    case 'progress_update':
      return { ...view, progress: String((event as { text: string }).text) };
    case 'error':
      return {
        ...view,
        progress: null,
        error: (event as { message?: string }).message ?? 'The reply failed. Try again.',
      };
    default:
      return view;
  }
}

/** The text of a message item. */
export function itemText(item: ThreadItem): string {
  const content = (item as { content?: { text?: string }[] }).content;
  return Array.isArray(content) ? content.map((part) => part.text ?? '').join('') : '';
}

/** A short title from a first message: its first words, at most 48 characters. */
export function titleFromMessage(text: string): string {
  const words = text.replace(/\s+/g, ' ').trim();
  if (words.length <= 48) return words || 'New thread';
  const cut = words.slice(0, 48);
  const space = cut.lastIndexOf(' ');
  return `${space > 20 ? cut.slice(0, space) : cut}…`;
}
