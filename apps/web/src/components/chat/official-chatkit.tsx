'use client';

import { useEffect, useRef, useState } from 'react';

const CHATKIT_SCRIPT = 'https://cdn.platform.openai.com/deployments/chatkit/chatkit.js';

type ChatKitElement = HTMLElement & { setOptions(options: unknown): void };

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
    const mount = async () => {
      if (!customElements.get('openai-chatkit')) {
        await new Promise<void>((resolve, reject) => {
          const script = document.createElement('script');
          script.src = CHATKIT_SCRIPT;
          script.async = true;
          script.onload = () => resolve();
          script.onerror = () => reject(new Error('The ChatKit script could not be loaded.'));
          document.head.append(script);
        });
        await customElements.whenDefined('openai-chatkit');
      }
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
    mount().catch(() => setFailed(true));
    return () => element?.remove();
  }, [domainKey, metadata]);
  return (
    <div ref={ref} className="official-chatkit">
      {failed ? (
        <p role="alert">The official ChatKit component could not load (it needs OpenAI’s CDN).</p>
      ) : null}
    </div>
  );
}
