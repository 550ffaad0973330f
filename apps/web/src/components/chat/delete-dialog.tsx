'use client';

import { useEffect, useRef } from 'react';

/** A modal confirmation (native `<dialog>`: focus trap and Escape for free). */
export function DeleteDialog({
  title,
  onConfirm,
  onCancel,
}: {
  title: string;
  onConfirm(): void;
  onCancel(): void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog ref={ref} aria-labelledby="delete-dialog-title" onCancel={onCancel} className="dialog">
      <h2 id="delete-dialog-title">Delete “{title}”?</h2>
      <p>The thread and its messages are removed. This cannot be undone.</p>
      <div className="dialog-actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="danger" onClick={onConfirm}>
          Delete thread
        </button>
      </div>
    </dialog>
  );
}
