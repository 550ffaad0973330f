'use client';

import type { ThreadItem, WorkflowTask } from '../../client/chatkit-types';
import { itemText } from '../../client/thread-state';
import { Markdown } from './markdown';

/** Props of {@link MessageItem}. */
export interface MessageItemProps {
  item: ThreadItem;
  streaming: boolean;
  isLastAssistant: boolean;
  feedback: 'positive' | 'negative' | undefined;
  onFeedback(item: ThreadItem, kind: 'positive' | 'negative'): void;
  onRetry(): void;
}

function WorkflowStatus({ tasks, running }: { tasks: WorkflowTask[]; running: boolean }) {
  return (
    <div role="status" className="workflow">
      <span className="workflow-label">{running ? 'Working: workflow' : 'Workflow'}</span>
      <ul>
        {tasks.map((task, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: tasks are addressed by index in the protocol
          <li key={index} className={task.status_indicator === 'loading' ? 'task loading' : 'task'}>
            {task.title ?? task.content ?? task.type}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** One thread item: a user or assistant message (an `article`), or a tool workflow status line. */
export function MessageItem({
  item,
  streaming,
  isLastAssistant,
  feedback,
  onFeedback,
  onRetry,
}: MessageItemProps) {
  if (item.type === 'workflow') {
    const tasks = (item as { workflow: { tasks: WorkflowTask[] } }).workflow.tasks ?? [];
    return (
      <WorkflowStatus tasks={tasks} running={tasks.some((task) => task.status_indicator === 'loading')} />
    );
  }
  if (item.type === 'user_message') {
    return (
      <article aria-label="User message" className="message user">
        <p>{itemText(item)}</p>
      </article>
    );
  }
  if (item.type !== 'assistant_message') return null;
  const text = itemText(item);
  return (
    <article
      aria-label="Assistant message"
      className="message assistant"
      aria-busy={streaming && isLastAssistant}
    >
      <Markdown text={text} />
      {streaming && isLastAssistant ? null : (
        <div className="message-actions">
          <button
            type="button"
            aria-pressed={feedback === 'positive'}
            onClick={() => onFeedback(item, 'positive')}
          >
            Good response
          </button>
          <button
            type="button"
            aria-pressed={feedback === 'negative'}
            onClick={() => onFeedback(item, 'negative')}
          >
            Bad response
          </button>
          {isLastAssistant ? (
            <button type="button" onClick={onRetry}>
              Retry
            </button>
          ) : null}
        </div>
      )}
    </article>
  );
}
