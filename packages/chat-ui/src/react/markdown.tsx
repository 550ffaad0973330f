import { isValidElement, memo, type ReactNode } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { highlight } from 'sugar-high';
import { CopyButton } from './copy-button';

/** Fence names sugar-high highlights, by alias. Others are shown plain. */
const LANGUAGES: Record<string, string> = {
  js: 'javascript',
  javascript: 'javascript',
  jsx: 'javascript',
  mjs: 'javascript',
  ts: 'typescript',
  tsx: 'typescript',
  typescript: 'typescript',
  py: 'python',
  python: 'python',
  css: 'css',
  json: 'json',
  sh: 'shell',
  bash: 'shell',
  shell: 'shell',
  zsh: 'shell',
  sql: 'sql',
  html: 'html',
  xml: 'html',
  yaml: 'yaml',
  yml: 'yaml',
  go: 'go',
  rust: 'rust',
  rs: 'rust',
  java: 'java',
  c: 'c',
  cpp: 'cpp',
  cs: 'csharp',
  csharp: 'csharp',
  diff: 'diff',
  md: 'markdown',
  markdown: 'markdown',
  toml: 'toml',
  ruby: 'ruby',
  rb: 'ruby',
  php: 'php',
  kotlin: 'kotlin',
  swift: 'swift',
  graphql: 'graphql',
  dockerfile: 'dockerfile',
  lua: 'lua',
};

/** The text of a React node tree (the code inside `<pre><code>`). */
function textOf(node: ReactNode): string {
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (Array.isArray(node)) return node.map(textOf).join('');
  if (isValidElement(node)) return textOf((node.props as { children?: ReactNode }).children);
  return '';
}

/** A fenced code block: highlighted (sugar-high escapes the code; no HTML of the message is ever rendered), with a copy button. */
export function CodeBlock({ code, language }: { code: string; language?: string | undefined }) {
  const lang = language ? LANGUAGES[language.toLowerCase()] : undefined;
  const html = lang ? highlight(code, { lang: lang as never }) : undefined;
  return (
    <div className="rk-code">
      <div className="rk-code-bar">
        <span className="rk-code-language">{language ?? 'text'}</span>
        <CopyButton text={() => code} label="Copy code" />
      </div>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable code block must be reachable by keyboard */}
      <pre tabIndex={0}>
        {html ? (
          // biome-ignore lint/security/noDangerouslySetInnerHtml: sugar-high output: escaped code in spans
          <code data-language={lang} dangerouslySetInnerHTML={{ __html: html }} />
        ) : (
          <code>{code}</code>
        )}
      </pre>
    </div>
  );
}

const components: Components = {
  a: ({ href, children }) => (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow">
      {children}
    </a>
  ),
  pre: ({ children }) => {
    const child = Array.isArray(children) ? children[0] : children;
    const className = isValidElement(child) ? ((child.props as { className?: string }).className ?? '') : '';
    const language = /language-([\w+#-]+)/.exec(className)?.[1];
    return <CodeBlock code={textOf(child).replace(/\n$/, '')} language={language} />;
  },
  table: ({ children }) => (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a wide table scrolls; keyboard users must reach it
    <div className="rk-table" tabIndex={0}>
      <table>{children}</table>
    </div>
  ),
  input: ({ type, checked }) =>
    type === 'checkbox' ? (
      <input type="checkbox" checked={checked === true} disabled aria-label={checked ? 'Done' : 'Not done'} />
    ) : null,
  img: ({ src, alt }) => (typeof src === 'string' ? <img src={src} alt={alt ?? ''} loading="lazy" /> : null),
};

/**
 * Markdown of a message: GitHub-flavoured (tables, task lists, strikethrough, autolinks), code highlighted with a
 * copy button. Raw HTML in the text is never rendered, and links go through react-markdown's URL filter.
 */
export const Markdown = memo(function Markdown({ text }: { text: string }) {
  return (
    <div className="rk-markdown markdown">
      <ReactMarkdown skipHtml remarkPlugins={[remarkGfm]} components={components}>
        {text}
      </ReactMarkdown>
    </div>
  );
});
