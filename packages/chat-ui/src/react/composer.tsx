import { type ClipboardEvent, type FormEvent, type KeyboardEvent, useId, useRef } from 'react';
import type { DraftAttachment } from '../state/controller';
import { Icon } from './icons';

/** Props of {@link Composer}. */
export interface ComposerProps {
  text: string;
  attachments: DraftAttachment[];
  running: boolean;
  allowCancel: boolean;
  placeholder: string;
  /** `accept` of the file picker; `null` hides the attach button. */
  accept: string | null;
  /** Blocks sending (e.g. a rate limit's wait time); the text stays editable. */
  blockedReason?: string | undefined;
  onText(text: string): void;
  onSend(): void;
  onStop(): void;
  onFiles(files: File[]): void;
  onRemoveAttachment(localId: string): void;
}

/** The message box: Enter sends, Shift+Enter adds a line; attachments upload as they are added; Stop while a reply streams. */
export function Composer(props: ComposerProps) {
  const id = useId();
  const fileInput = useRef<HTMLInputElement>(null);
  const uploading = props.attachments.some((attachment) => attachment.status === 'uploading');
  const ready =
    props.text.trim() !== '' || props.attachments.some((attachment) => attachment.status === 'ready');
  const canSend = ready && !uploading && !props.running && !props.blockedReason;
  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (canSend) props.onSend();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };
  const onPaste = (event: ClipboardEvent<HTMLTextAreaElement>) => {
    if (props.accept === null) return;
    const files = Array.from(event.clipboardData?.files ?? []);
    if (files.length > 0) {
      event.preventDefault();
      props.onFiles(files);
    }
  };
  return (
    <form className="rk-composer" onSubmit={submit}>
      <label htmlFor={`${id}-message`} className="rk-visually-hidden">
        Message
      </label>
      {props.attachments.length > 0 ? (
        <ul className="rk-draft-attachments" aria-label="Attachments">
          {props.attachments.map((attachment) => {
            const preview = attachment.attachment?.preview_url || attachment.localPreviewUrl;
            return (
              <li key={attachment.localId} className={`rk-draft-attachment rk-${attachment.status}`}>
                {preview && attachment.mimeType.startsWith('image/') ? (
                  <img src={preview} alt="" />
                ) : (
                  <Icon name="file" />
                )}
                <span className="rk-draft-name">{attachment.name}</span>
                <span className="rk-muted">
                  {attachment.status === 'uploading'
                    ? 'Uploading…'
                    : attachment.status === 'failed'
                      ? (attachment.error ?? 'Upload failed')
                      : 'Ready'}
                </span>
                <button
                  type="button"
                  className="rk-icon-button"
                  aria-label={`Remove ${attachment.name}`}
                  onClick={() => props.onRemoveAttachment(attachment.localId)}
                >
                  <Icon name="close" />
                </button>
              </li>
            );
          })}
        </ul>
      ) : null}
      <div className="rk-composer-box">
        <textarea
          id={`${id}-message`}
          name="message"
          rows={2}
          placeholder={props.placeholder}
          value={props.text}
          onChange={(event) => props.onText(event.target.value)}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
        />
        <div className="rk-composer-actions">
          {props.accept !== null ? (
            <>
              <input
                ref={fileInput}
                type="file"
                multiple
                accept={props.accept || undefined}
                className="rk-visually-hidden"
                tabIndex={-1}
                aria-hidden="true"
                onChange={(event) => {
                  const files = Array.from(event.target.files ?? []);
                  event.target.value = '';
                  if (files.length > 0) props.onFiles(files);
                }}
              />
              <button
                type="button"
                className="rk-icon-button"
                aria-label="Attach files"
                title="Attach files"
                onClick={() => fileInput.current?.click()}
              >
                <Icon name="paperclip" />
              </button>
            </>
          ) : null}
          {props.running ? (
            <button
              type="button"
              className="rk-button rk-button-ghost"
              onClick={props.onStop}
              disabled={!props.allowCancel}
            >
              <Icon name="stop" />
              Stop
            </button>
          ) : null}
          <button
            type="submit"
            className="rk-button"
            disabled={!canSend}
            aria-describedby={props.blockedReason ? `${id}-blocked` : undefined}
          >
            <Icon name="send" />
            Send
          </button>
        </div>
      </div>
      {props.blockedReason ? (
        <p id={`${id}-blocked`} className="rk-muted rk-blocked">
          {props.blockedReason}
        </p>
      ) : null}
    </form>
  );
}
