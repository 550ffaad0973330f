import { useEffect, useState } from 'react';
import { Icon } from './icons';

/** Writes `text` to the clipboard; resolves `false` where the Clipboard API is missing or refused. */
export async function copyText(text: string): Promise<boolean> {
  try {
    const clipboard = typeof navigator === 'undefined' ? undefined : navigator.clipboard;
    if (!clipboard) return false;
    await clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** A "Copy" button that says "Copied" for a moment after a successful copy. */
export function CopyButton({
  text,
  label,
  className,
}: {
  text: () => string;
  label: string;
  className?: string;
}) {
  const [copied, setCopied] = useState<boolean | null>(null);
  useEffect(() => {
    if (copied === null) return;
    const timer = setTimeout(() => setCopied(null), 2000);
    return () => clearTimeout(timer);
  }, [copied]);
  return (
    <button
      type="button"
      className={className ?? 'rk-icon-button'}
      aria-label={label}
      title={label}
      onClick={() => void copyText(text()).then(setCopied)}
    >
      <Icon name={copied ? 'check' : 'copy'} />
      <span className="rk-visually-hidden" aria-live="polite">
        {copied === true ? 'Copied' : copied === false ? 'Copy failed' : ''}
      </span>
    </button>
  );
}
