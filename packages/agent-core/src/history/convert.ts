import type { AgentInputItem } from '@openai/agents';
import { RequestError, type ThreadItem, type UserMessageItem } from '@relaykit/sse-protocol';
import { pausedRunOf } from '../server/approvals';

/** Options of {@link threadItemsToAgentInput}. */
export interface HistoryConverterOptions {
  /**
   * Model content for an attachment of a user message. Default: attachments are refused with `invalid_request`
   * (as the reference converter does), since the bytes live in the application's storage.
   */
  attachmentToContent?: (attachment: UserMessageItem['attachments'][number]) => AgentInputItem[] | unknown[];
  /** Model content for an `@`-mention tag. Default: a line `- <text>: <JSON data>`. */
  tagToText?: (tag: { id: string; text: string; data: Record<string, unknown> }) => string;
}

const TAGS_PREAMBLE =
  "# User-provided context for @-mentions\n- When referencing resolved entities, use their canonical names **without** '@'.\n- The '@' form appears only in user text and should not be echoed.";

function user(text: string): AgentInputItem {
  return { role: 'user', content: [{ type: 'input_text', text }] } as AgentInputItem;
}

function hiddenContext(content: unknown): AgentInputItem {
  if (typeof content !== 'string')
    throw new RequestError(
      'invalid_request',
      'A hidden context item with non-string content cannot be converted.',
    );
  return user(
    `Hidden context for the agent (not shown to the user):\n<HiddenContext>\n${content}\n</HiddenContext>`,
  );
}

function taskText(task: { type: string; title?: string | null; content?: string | null }): string | null {
  if (task.type !== 'custom') return null;
  const title = task.title ?? '';
  const content = task.content ?? '';
  if (!title && !content) return null;
  const body = title && content ? `${title}: ${content}` : title || content;
  return `A message was displayed to the user that the following task was performed:\n<Task>\n${body}\n</Task>`;
}

function dropNullsDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNullsDeep);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) if (entry != null) out[key] = dropNullsDeep(entry);
    return out;
  }
  return value;
}

/** The text of a user message: text parts concatenated, tags written as `@` + tag text. */
export function userMessageText(item: Pick<UserMessageItem, 'content'>): string {
  return item.content.map((part) => (part.type === 'input_text' ? part.text : `@${part.text}`)).join('');
}

/**
 * Thread items (oldest first) → Agents SDK / Responses input items, as the reference `simple_to_agent_input`
 * does (docs/specs/chatkit-protocol.md §8.2): hidden context and client tool results are included; annotations, pending tool calls and
 * `end_of_turn` are not.
 */
export function threadItemsToAgentInput(
  items: readonly ThreadItem[],
  options: HistoryConverterOptions = {},
): AgentInputItem[] {
  const out: AgentInputItem[] = [];
  items.forEach((item, index) => {
    switch (item.type) {
      case 'user_message': {
        const content: unknown[] = [{ type: 'input_text', text: userMessageText(item) }];
        for (const attachment of item.attachments ?? []) {
          if (!options.attachmentToContent)
            throw new RequestError(
              'invalid_request',
              'This server cannot pass attachments to the model (no attachmentToContent converter).',
              { details: { attachment_id: attachment.id } },
            );
          content.push(...options.attachmentToContent(attachment));
        }
        out.push({ role: 'user', content } as AgentInputItem);
        if (item.quoted_text && index === items.length - 1)
          out.push(user(`The user is referring to this in particular: \n${item.quoted_text}`));
        const tags = new Map<string, { id: string; text: string; data: Record<string, unknown> }>();
        for (const part of item.content)
          if (part.type === 'input_tag' && !tags.has(part.text)) tags.set(part.text, part);
        if (tags.size > 0) {
          const tagToText =
            options.tagToText ?? ((tag) => `- ${tag.text}: ${JSON.stringify(tag.data ?? {})}`);
          out.push(user([TAGS_PREAMBLE, ...[...tags.values()].map(tagToText)].join('\n')));
        }
        break;
      }
      case 'assistant_message':
        out.push({
          role: 'assistant',
          status: 'completed',
          content: item.content.map((part) => ({ type: 'output_text', text: part.text })),
        } as AgentInputItem);
        break;
      case 'client_tool_call':
        if (item.status === 'pending') break;
        out.push({
          type: 'function_call',
          callId: item.call_id,
          name: item.name,
          arguments: JSON.stringify(item.arguments),
          status: 'completed',
        } as AgentInputItem);
        out.push({
          type: 'function_call_result',
          callId: item.call_id,
          name: item.name,
          status: 'completed',
          output: JSON.stringify(item.output ?? null),
        } as AgentInputItem);
        break;
      case 'widget':
        out.push(
          user(
            `The following graphical UI widget (id: ${item.id}) was displayed to the user:${JSON.stringify(dropNullsDeep(item.widget))}`,
          ),
        );
        break;
      case 'workflow':
        for (const task of item.workflow.tasks) {
          const text = taskText(task as never);
          if (text) out.push(user(text));
        }
        break;
      case 'task': {
        const text = taskText(item.task as never);
        if (text) out.push(user(text));
        break;
      }
      case 'structured_input': {
        const lines = item.inputs.map((input) => {
          const answer = input.answer;
          const value = !answer ? 'unanswered' : answer.skipped ? 'skipped' : answer.values.join(', ');
          return `- ${input.question}: ${value}`;
        });
        out.push(
          user(
            `A structured input request was displayed to the user with the following status: ${item.status}\n<StructuredInput>\n${lines.join('\n')}\n</StructuredInput>`,
          ),
        );
        break;
      }
      case 'hidden_context_item':
      case 'sdk_hidden_context':
        // A paused run's state (tool approvals) is the server's, not context for the model.
        if (pausedRunOf(item)) break;
        out.push(hiddenContext(item.content));
        break;
      case 'generated_image':
        if (item.image)
          out.push({
            role: 'user',
            content: [
              { type: 'input_text', text: 'The following image was generated by the agent.' },
              { type: 'input_image', image: item.image.url, detail: 'auto' },
            ],
          } as AgentInputItem);
        break;
      default:
        break;
    }
  });
  return out;
}
