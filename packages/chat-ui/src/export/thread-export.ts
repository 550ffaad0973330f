import type {
  AnyThreadItem,
  AssistantMessageItem,
  ClientToolCallItem,
  GeneratedImageItem,
  StructuredInputItem,
  Task,
  ThreadSummary,
  UserMessageItem,
  WidgetNode,
  WorkflowItem,
} from '../client/types';
import { AGENT_ANNOTATION_ID, agentOfItem, itemText, visibleItems } from '../state/thread-state';
import { widgetText } from '../state/widgets';

/** What an export is made of: the thread and its items, oldest first. */
export interface ThreadExportInput {
  thread: ThreadSummary;
  items: readonly AnyThreadItem[];
}

/** Version of the JSON export's shape. */
export const THREAD_EXPORT_VERSION = 1;

/** The JSON export: the thread and its visible items as the protocol sends them. */
export interface ThreadExportJSON {
  format: 'relaykit.chatkit-thread';
  version: typeof THREAD_EXPORT_VERSION;
  exported_at: string;
  thread: ThreadSummary;
  items: AnyThreadItem[];
}

/** The thread as a JSON document (pretty-printed); hidden items are never included. */
export function threadToJSON(input: ThreadExportInput, now: Date = new Date()): string {
  const document: ThreadExportJSON = {
    format: 'relaykit.chatkit-thread',
    version: THREAD_EXPORT_VERSION,
    exported_at: now.toISOString(),
    thread: {
      id: input.thread.id,
      title: input.thread.title ?? null,
      created_at: input.thread.created_at,
    },
    items: visibleItems(input.items),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

const quote = (text: string) =>
  text
    .split('\n')
    .map((line) => (line === '' ? '>' : `> ${line}`))
    .join('\n');

function taskLine(task: Task): string {
  const title = task.title ?? task.title_query ?? task.type;
  const body = task.content ? `: ${task.content}` : '';
  const sources = (task.sources ?? [])
    .map((source) => (source.url ? `[${source.title ?? source.url}](${source.url})` : (source.title ?? '')))
    .filter(Boolean);
  return `- ${title}${body}${sources.length > 0 ? ` (${sources.join(', ')})` : ''}`;
}

function itemMarkdown(item: AnyThreadItem): string | null {
  switch (item.type) {
    case 'user_message': {
      const user = item as UserMessageItem;
      const parts = [`### User\n\n${itemText(user)}`];
      if (user.quoted_text) parts.push(quote(user.quoted_text));
      for (const attachment of user.attachments ?? [])
        parts.push(`- Attachment: ${attachment.name} (${attachment.mime_type})`);
      return parts.join('\n\n');
    }
    case 'assistant_message': {
      const agent = agentOfItem(item);
      const heading = agent ? `### Assistant (${agent})` : '### Assistant';
      const sources = (item as AssistantMessageItem).content
        .flatMap((part) => part.annotations ?? [])
        .filter((annotation) => annotation.source?.id !== AGENT_ANNOTATION_ID && annotation.source?.url)
        .map(
          (annotation) => `- [${annotation.source.title ?? annotation.source.url}](${annotation.source.url})`,
        );
      return [
        heading,
        itemText(item),
        ...(sources.length > 0 ? [`Sources:\n${sources.join('\n')}`] : []),
      ].join('\n\n');
    }
    case 'workflow': {
      const tasks = (item as WorkflowItem).workflow.tasks ?? [];
      return tasks.length > 0 ? `*Workflow*\n\n${tasks.map(taskLine).join('\n')}` : null;
    }
    case 'task':
      return `*Task*\n\n${taskLine((item as { task: Task }).task)}`;
    case 'widget': {
      const widget = item as { widget: WidgetNode; copy_text?: string | null };
      const text = widget.copy_text ?? widgetText(widget.widget);
      return text ? `*Widget*\n\n${quote(text)}` : null;
    }
    case 'generated_image': {
      const image = (item as GeneratedImageItem).image;
      return image ? `![Generated image](${image.url})` : null;
    }
    case 'client_tool_call': {
      const call = item as ClientToolCallItem;
      return `*Client tool call* \`${call.name}\` (${call.status})`;
    }
    case 'structured_input': {
      const form = item as StructuredInputItem;
      const lines = form.inputs.map((input) => {
        const answer = input.answer?.skipped
          ? 'skipped'
          : (input.answer?.values ?? []).join(', ') || 'unanswered';
        return `- ${input.question}: ${answer}`;
      });
      return `*Questions* (${form.status})\n\n${lines.join('\n')}`;
    }
    default:
      return null;
  }
}

/**
 * The thread as Markdown: a title, the date, then each visible item in order (user and assistant messages with the
 * answering agent, workflow tasks, widgets as quoted text, images as links). One implementation for the UI's
 * download button and any server-side export.
 */
export function threadToMarkdown(input: ThreadExportInput): string {
  const title = input.thread.title?.trim() || 'Untitled thread';
  const header = `# ${title}\n\n*Thread ${input.thread.id}, started ${input.thread.created_at}*`;
  const body = visibleItems(input.items)
    .map(itemMarkdown)
    .filter((part): part is string => part !== null && part.trim() !== '');
  return `${[header, ...body].join('\n\n')}\n`;
}

/** A file name for an export: the title in lowercase words, or the thread id. */
export function exportFileName(thread: ThreadSummary, extension: 'md' | 'json'): string {
  const slug = (thread.title ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${slug || thread.id}.${extension}`;
}
