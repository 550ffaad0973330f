import { type FormEvent, type ReactNode, useState } from 'react';
import type {
  AnyThreadItem,
  AssistantMessageItem,
  Attachment,
  ClientToolCallItem,
  GeneratedImageItem,
  StructuredInputItem,
  Task,
  UserMessageItem,
  WidgetItem,
  WorkflowItem,
} from '../client/types';
import { AGENT_ANNOTATION_ID, agentOfItem, itemText } from '../state/thread-state';
import { widgetText } from '../state/widgets';
import { CopyButton } from './copy-button';
import { Icon } from './icons';
import { Markdown } from './markdown';
import { Widget, type WidgetActionConfig } from './widgets';

/** What item views may do, and which actions the host enabled. */
export interface ItemActions {
  streaming: boolean;
  /** The id of the last assistant message (Retry is offered there). */
  lastAssistantId: string | undefined;
  feedback: Record<string, 'positive' | 'negative'>;
  features: { copy: boolean; feedback: boolean; retry: boolean; edit: boolean };
  agentLabel: (agent: string) => string;
  onRetry(): void;
  onEdit(itemId: string, text: string): void;
  onFeedback(itemId: string, kind: 'positive' | 'negative'): void;
  onAction(action: WidgetActionConfig, itemId: string): Promise<void>;
  onStructuredInput(
    itemId: string,
    input: {
      status?: 'answered' | 'skipped';
      answers?: Record<string, { values?: string[]; skipped?: boolean }>;
    },
  ): void;
}

/** A small labelled icon button (the label is its accessible name and tooltip). */
function IconButton(props: {
  label: string;
  icon: string;
  onClick(): void;
  pressed?: boolean;
  disabled?: boolean;
}) {
  return (
    <button
      type="button"
      className="rk-icon-button"
      aria-label={props.label}
      title={props.label}
      aria-pressed={props.pressed}
      disabled={props.disabled}
      onClick={props.onClick}
    >
      <Icon name={props.icon} />
    </button>
  );
}

function AttachmentView({ attachment }: { attachment: Attachment }) {
  if (attachment.type === 'image' && attachment.preview_url)
    return (
      <a
        className="rk-attachment rk-attachment-image"
        href={attachment.preview_url}
        target="_blank"
        rel="noopener noreferrer"
      >
        <img src={attachment.preview_url} alt={attachment.name} loading="lazy" />
      </a>
    );
  return (
    <span className="rk-attachment rk-attachment-file">
      <Icon name="file" />
      <span>{attachment.name}</span>
    </span>
  );
}

function UserMessage({ item, actions }: { item: UserMessageItem; actions: ItemActions }) {
  const [editing, setEditing] = useState(false);
  const text = itemText(item);
  const [draft, setDraft] = useState(text);
  const pending = item.id.startsWith('pending:');
  const superseded = (item as { superseded?: boolean }).superseded === true;
  const save = (event: FormEvent) => {
    event.preventDefault();
    setEditing(false);
    if (draft.trim() !== '' && draft.trim() !== text.trim()) actions.onEdit(item.id, draft);
  };
  return (
    <article
      className={`rk-message rk-user${pending ? ' rk-pending' : ''}${superseded ? ' rk-superseded' : ''}`}
      aria-label="User message"
    >
      {item.quoted_text ? <blockquote className="rk-quote">{item.quoted_text}</blockquote> : null}
      {editing ? (
        <form className="rk-edit" onSubmit={save}>
          <label className="rk-visually-hidden" htmlFor={`rk-edit-${item.id}`}>
            Edit message
          </label>
          <textarea
            id={`rk-edit-${item.id}`}
            value={draft}
            rows={Math.min(8, Math.max(2, draft.split('\n').length))}
            onChange={(event) => setDraft(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Escape') setEditing(false);
              if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) save(event);
            }}
            // biome-ignore lint/a11y/noAutofocus: the field appears because the user asked to edit
            autoFocus
          />
          <div className="rk-edit-actions">
            <button type="button" className="rk-button rk-button-ghost" onClick={() => setEditing(false)}>
              Cancel
            </button>
            <button type="submit" className="rk-button">
              Save and resend
            </button>
          </div>
        </form>
      ) : (
        <p className="rk-user-text">{text}</p>
      )}
      {(item.attachments ?? []).length > 0 ? (
        <div className="rk-attachments">
          {(item.attachments ?? []).map((attachment) => (
            <AttachmentView key={attachment.id} attachment={attachment} />
          ))}
        </div>
      ) : null}
      {!editing && !pending ? (
        <div className="rk-message-actions">
          {actions.features.copy ? <CopyButton text={() => text} label="Copy message" /> : null}
          {actions.features.edit && !superseded ? (
            <IconButton
              label="Edit message"
              icon="edit"
              disabled={actions.streaming}
              onClick={() => {
                setDraft(text);
                setEditing(true);
              }}
            />
          ) : null}
        </div>
      ) : null}
    </article>
  );
}

function AssistantMessage({ item, actions }: { item: AssistantMessageItem; actions: ItemActions }) {
  const text = itemText(item);
  const agent = agentOfItem(item);
  const isLast = item.id === actions.lastAssistantId;
  const streaming = actions.streaming && isLast;
  const sources = (item.content ?? [])
    .flatMap((part) => part.annotations ?? [])
    .filter(
      (annotation) =>
        annotation.source?.id !== AGENT_ANNOTATION_ID &&
        (annotation.source?.url || annotation.source?.filename),
    );
  const given = actions.feedback[item.id];
  return (
    <article
      className="rk-message rk-assistant"
      aria-label="Assistant message"
      aria-busy={streaming || undefined}
    >
      <Markdown text={text} />
      {sources.length > 0 ? (
        <ul className="rk-sources" aria-label="Sources">
          {sources.map((annotation, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: annotations are addressed by position
            <li key={index}>
              {annotation.source.url ? (
                <a href={annotation.source.url} target="_blank" rel="noopener noreferrer nofollow">
                  {annotation.source.title || annotation.source.url}
                </a>
              ) : (
                <span>{annotation.source.title || annotation.source.filename}</span>
              )}
            </li>
          ))}
        </ul>
      ) : null}
      {!streaming ? (
        <footer className="rk-message-footer">
          {agent ? <span className="rk-agent">{actions.agentLabel(agent)}</span> : null}
          <span className="rk-message-actions">
            {actions.features.copy ? <CopyButton text={() => text} label="Copy response" /> : null}
            {actions.features.feedback ? (
              <>
                <IconButton
                  label="Good response"
                  icon="thumbs-up"
                  pressed={given === 'positive'}
                  onClick={() => actions.onFeedback(item.id, 'positive')}
                />
                <IconButton
                  label="Bad response"
                  icon="thumbs-down"
                  pressed={given === 'negative'}
                  onClick={() => actions.onFeedback(item.id, 'negative')}
                />
              </>
            ) : null}
            {actions.features.retry && isLast ? (
              <IconButton label="Retry" icon="retry" disabled={actions.streaming} onClick={actions.onRetry} />
            ) : null}
          </span>
        </footer>
      ) : null}
    </article>
  );
}

function TaskView({ task }: { task: Task }) {
  const loading = task.status_indicator === 'loading';
  const title =
    task.title ?? task.title_query ?? (task.type === 'thought' ? 'Thought' : task.type.replace('_', ' '));
  let body: ReactNode = null;
  if (task.type === 'thought' && task.content) body = <Markdown text={task.content} />;
  else if (task.type === 'web_search')
    body = (
      <>
        {(task.queries ?? []).length > 0 ? (
          <p className="rk-muted">Searched: {(task.queries ?? []).join(', ')}</p>
        ) : null}
        {(task.sources ?? []).length > 0 ? (
          <ul className="rk-sources">
            {(task.sources ?? []).map((source, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: sources are addressed by position
              <li key={index}>
                {source.url ? (
                  <a href={source.url} target="_blank" rel="noopener noreferrer nofollow">
                    {source.title || source.url}
                  </a>
                ) : (
                  source.title
                )}
              </li>
            ))}
          </ul>
        ) : null}
      </>
    );
  else if (task.type === 'file')
    body = (
      <ul className="rk-sources">
        {(task.sources ?? []).map((source, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: sources are addressed by position
          <li key={index}>{source.title || source.filename}</li>
        ))}
      </ul>
    );
  else if (task.content) body = <p>{task.content}</p>;
  const icon =
    task.type === 'web_search'
      ? 'globe'
      : task.type === 'file'
        ? 'file'
        : task.type === 'image'
          ? 'image'
          : task.type === 'thought'
            ? 'sparkle'
            : 'chevron';
  return (
    <li className={`rk-task${loading ? ' rk-loading' : ''}`} data-task-type={task.type}>
      <span className="rk-task-title">
        {loading ? (
          <span className="rk-spinner" aria-hidden="true" />
        ) : (
          <Icon name={task.status_indicator === 'complete' ? 'check' : icon} />
        )}
        <span>{title}</span>
        {loading ? <span className="rk-visually-hidden"> (running)</span> : null}
      </span>
      {body ? <div className="rk-task-body">{body}</div> : null}
    </li>
  );
}

function WorkflowView({ item }: { item: WorkflowItem }) {
  const workflow = item.workflow;
  const tasks = workflow.tasks ?? [];
  const running = tasks.some((task) => task.status_indicator === 'loading');
  const summary = workflow.summary;
  const label =
    summary && 'title' in summary
      ? summary.title
      : summary && 'duration' in summary
        ? `${workflow.type === 'reasoning' ? 'Thought' : 'Worked'} for ${summary.duration} s`
        : running
          ? 'Working'
          : workflow.type === 'reasoning'
            ? 'Reasoning'
            : 'Workflow';
  return (
    <div role="status" className={`rk-workflow${running ? ' rk-loading' : ''}`}>
      <details open={workflow.expanded === true || running}>
        <summary>
          {running ? (
            <span className="rk-spinner" aria-hidden="true" />
          ) : (
            <Icon name="chevron" className="rk-chevron" />
          )}
          <span>{label}</span>
          <span className="rk-visually-hidden">: workflow</span>
        </summary>
        <ul className="rk-tasks">
          {tasks.map((task, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: tasks are addressed by index in the protocol
            <TaskView key={index} task={task} />
          ))}
        </ul>
      </details>
    </div>
  );
}

function GeneratedImageView({ item }: { item: GeneratedImageItem }) {
  const progress = typeof item.progress === 'number' ? item.progress : undefined;
  const done = item.image && (progress === undefined || progress >= 1);
  return (
    <figure className="rk-generated-image">
      {item.image ? (
        <img src={item.image.url} alt="Made by the assistant" loading="lazy" />
      ) : (
        <div className="rk-image-placeholder" aria-hidden="true" />
      )}
      {!done ? (
        <div
          role="progressbar"
          aria-label="Image generation"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round((progress ?? 0) * 100)}
          className="rk-bar"
        >
          <div className="rk-bar-fill" style={{ width: `${Math.round((progress ?? 0) * 100)}%` }} />
        </div>
      ) : null}
      <figcaption className="rk-visually-hidden">
        {done ? 'Generated image' : 'Generating an image'}
      </figcaption>
    </figure>
  );
}

function ClientToolView({ item }: { item: ClientToolCallItem }) {
  return (
    <div role="status" className="rk-tool">
      {item.status === 'pending' ? <span className="rk-spinner" aria-hidden="true" /> : <Icon name="check" />}
      <span>
        {item.status === 'pending' ? 'Running' : 'Ran'} <code>{item.name}</code> in this page
      </span>
    </div>
  );
}

function StructuredInputView({ item, actions }: { item: StructuredInputItem; actions: ItemActions }) {
  const [values, setValues] = useState<Record<string, string[]>>({});
  const pending = item.status === 'pending';
  const set = (id: string, next: string[]) => setValues((current) => ({ ...current, [id]: next }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const answers: Record<string, { values: string[] }> = {};
    for (const input of item.inputs) answers[input.id] = { values: (values[input.id] ?? []).filter(Boolean) };
    actions.onStructuredInput(item.id, { status: 'answered', answers });
  };
  return (
    <form className="rk-structured" aria-label="Questions" onSubmit={submit}>
      {item.inputs.map((input) => {
        const answer = input.answer;
        if (!pending)
          return (
            <p key={input.id}>
              <strong>{input.question}</strong>{' '}
              {answer?.skipped ? <em>skipped</em> : (answer?.values ?? []).join(', ') || <em>unanswered</em>}
            </p>
          );
        if (input.type === 'multiple_choice')
          return (
            <fieldset key={input.id}>
              <legend>{input.question}</legend>
              {(input.options ?? []).map((option) => (
                <label key={option.value} className="rk-choice">
                  <input
                    type={input.multiple ? 'checkbox' : 'radio'}
                    name={`${item.id}-${input.id}`}
                    value={option.value}
                    onChange={(event) => {
                      const current = values[input.id] ?? [];
                      if (!input.multiple) set(input.id, [option.value]);
                      else
                        set(
                          input.id,
                          event.target.checked
                            ? [...current, option.value]
                            : current.filter((v) => v !== option.value),
                        );
                    }}
                  />
                  {option.value}
                </label>
              ))}
            </fieldset>
          );
        return (
          <label key={input.id} className="rk-freeform">
            <span>{input.question}</span>
            {input.description ? <span className="rk-muted">{input.description}</span> : null}
            <textarea rows={2} onChange={(event) => set(input.id, [event.target.value])} />
          </label>
        );
      })}
      {pending ? (
        <div className="rk-edit-actions">
          <button
            type="button"
            className="rk-button rk-button-ghost"
            disabled={actions.streaming}
            onClick={() => actions.onStructuredInput(item.id, { status: 'skipped' })}
          >
            Skip
          </button>
          <button type="submit" className="rk-button" disabled={actions.streaming}>
            Submit answers
          </button>
        </div>
      ) : null}
    </form>
  );
}

/** One thread item, by type; unknown and marker items render nothing. */
export function ThreadItemView({ item, actions }: { item: AnyThreadItem; actions: ItemActions }): ReactNode {
  switch (item.type) {
    case 'user_message':
      return <UserMessage item={item as UserMessageItem} actions={actions} />;
    case 'assistant_message':
      return <AssistantMessage item={item as AssistantMessageItem} actions={actions} />;
    case 'workflow':
      return <WorkflowView item={item as WorkflowItem} />;
    case 'task':
      return (
        <div role="status" className="rk-workflow rk-single-task">
          <ul className="rk-tasks">
            <TaskView task={(item as { task: Task }).task} />
          </ul>
        </div>
      );
    case 'generated_image':
      return <GeneratedImageView item={item as GeneratedImageItem} />;
    case 'client_tool_call':
      return <ClientToolView item={item as ClientToolCallItem} />;
    case 'structured_input':
      return <StructuredInputView item={item as StructuredInputItem} actions={actions} />;
    case 'widget': {
      const widget = item as WidgetItem;
      return (
        <section className="rk-widget-item" aria-label="Widget">
          <Widget
            widget={widget.widget}
            idPrefix={`rk-${widget.id}`}
            onAction={(action) => actions.onAction(action, widget.id)}
          />
          {actions.features.copy && (widget.copy_text || widgetText(widget.widget)) ? (
            <div className="rk-message-actions">
              <CopyButton
                text={() => widget.copy_text ?? widgetText(widget.widget)}
                label="Copy widget text"
              />
            </div>
          ) : null}
        </section>
      );
    }
    default:
      return null;
  }
}
