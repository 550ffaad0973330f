'use client';

import { useEffect, useRef, useState } from 'react';

const CHATKIT_SCRIPT = 'https://cdn.platform.openai.com/deployments/chatkit/chatkit.js';

type ChatKitElement = HTMLElement & { setOptions(options: unknown): void };

let scriptLoading: Promise<void> | undefined;

/** Loads the CDN script once per page (a remount while it loads waits for the same script); a failure may be retried. */
function loadChatKitScript(): Promise<void> {
  scriptLoading ??= new Promise<void>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = CHATKIT_SCRIPT;
    script.async = true;
    script.onload = () => resolve();
    script.onerror = () => {
      script.remove();
      scriptLoading = undefined;
      reject(new Error('The ChatKit script could not be loaded.'));
    };
    document.head.append(script);
  }).then(() => customElements.whenDefined('openai-chatkit').then(() => undefined));
  return scriptLoading;
}

/**
 * The official `<openai-chatkit>` web component against this app's `/api/chatkit` (custom backend). Its script
 * loads from OpenAI's CDN and its iframe verifies the domain key with OpenAI, so it cannot run offline.
 */
export function OfficialChatKit({
  domainKey,
  metadata,
}: {
  domainKey: string;
  metadata: Record<string, unknown>;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let element: ChatKitElement | null = null;
    // Set by the cleanup: a mount still waiting for the CDN script must not append after it (no double component).
    let cancelled = false;
    const mount = async () => {
      if (!customElements.get('openai-chatkit')) await loadChatKitScript();
      if (cancelled) return;
      element = document.createElement('openai-chatkit') as ChatKitElement;
      element.style.height = '600px';
      ref.current?.append(element);
      element.setOptions({
        api: {
          url: '/api/chatkit',
          domainKey,
          fetch: (input: RequestInfo | URL, init?: RequestInit) => {
            const body = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
            const withMetadata = body
              ? JSON.stringify({ ...body, metadata: { ...body.metadata, ...metadata } })
              : init?.body;
            return fetch(input, { ...init, body: withMetadata, credentials: 'same-origin' });
          },
        },
      });
    };
    mount().catch(() => {
      if (!cancelled) setFailed(true);
    });
    return () => {
      cancelled = true;
      element?.remove();
    };
  }, [domainKey, metadata]);
  return (
    <div ref={ref} className="official-chatkit">
      {failed ? (
        <p role="alert">The official ChatKit component could not load (it needs OpenAI’s CDN).</p>
      ) : null}
    </div>
  );
}
