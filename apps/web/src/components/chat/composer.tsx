'use client';

import { type FormEvent, type KeyboardEvent, useState } from 'react';

/** The message box: Enter sends, Shift+Enter adds a line; "Stop" replaces "Send" while a reply streams. */
export function Composer({
  streaming,
  onSend,
  onStop,
}: {
  streaming: boolean;
  onSend(text: string): void;
  onStop(): void;
}) {
  const [text, setText] = useState('');
  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (streaming || !text.trim()) return;
    onSend(text);
    setText('');
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };
  return (
    <form className="composer" onSubmit={submit}>
      <label htmlFor="message">Message</label>
      <textarea
        id="message"
        name="message"
        rows={3}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <div className="composer-actions">
        {streaming ? (
          <button type="button" onClick={onStop} className="secondary">
            Stop
          </button>
        ) : null}
        <button type="submit" disabled={streaming}>
          Send
        </button>
      </div>
    </form>
  );
}
