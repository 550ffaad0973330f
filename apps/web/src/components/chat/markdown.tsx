'use client';

import ReactMarkdown from 'react-markdown';

/** Assistant markdown: raw HTML is dropped (never rendered) and link URLs go through react-markdown's safe filter. */
export function Markdown({ text }: { text: string }) {
  return (
    <div className="markdown">
      <ReactMarkdown
        skipHtml
        components={{
          a: ({ href, children }) => (
            <a href={href} target="_blank" rel="noopener noreferrer nofollow">
              {children}
            </a>
          ),
        }}
      >
        {text}
      </ReactMarkdown>
    </div>
  );
}
