/**
 * The package's browser harness: the scripted RelayKit server (`test/scripted-server.ts`) over real HTTP on a free
 * port, a page that renders `<Chat>` (bundled from the sources with esbuild, with `styles.css`), the system Chromium
 * through playwright-core, axe-core, and screenshots in `e2e/artifacts/` (gitignored).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type Browser, chromium, type Page } from 'playwright-core';
import { createScriptedServer, type ScriptedServer } from '../test/scripted-server';

const here = dirname(fileURLToPath(import.meta.url));
const packageRoot = resolve(here, '..');
/** Where screenshots go. */
export const artifactsDirectory = join(here, 'artifacts');

/** The flags Chromium needs on a headless machine without a GPU, sandbox or network. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** `RELAYKIT_CHROMIUM`, else Debian's `/usr/bin/chromium`. */
export const chromiumPath = process.env.RELAYKIT_CHROMIUM ?? '/usr/bin/chromium';

/** Why the browser tests cannot run here (a missing Chromium), or `undefined`. CI must have it. */
export function browserSkipReason(): string | undefined {
  if (existsSync(chromiumPath)) return undefined;
  const reason = `Chromium is not installed at ${chromiumPath} (apt-get install -y chromium, or set RELAYKIT_CHROMIUM)`;
  if (process.env.CI || process.env.RELAYKIT_REQUIRE_SERVICES === '1') throw new Error(reason);
  return reason;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
}

/** Bundles `e2e/app.tsx` (the page) for the browser: the package's sources, React in production mode. */
async function bundleApp(): Promise<string> {
  const result = await build({
    entryPoints: [join(here, 'app.tsx')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    write: false,
    minify: true,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
    alias: { '@relaykit/chat-ui': join(packageRoot, 'src', 'index.ts') },
  });
  return result.outputFiles[0]!.text;
}

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>chat-ui e2e</title>
<link rel="stylesheet" href="/styles.css">
<style>html, body { margin: 0; height: 100%; } body { font-family: system-ui, sans-serif; } #root { height: 100dvh; padding: 8px; box-sizing: border-box; }</style>
</head>
<body><main id="root"></main><script type="module" src="/app.js"></script></body>
</html>`;

/** The running test server. */
export interface TestServer {
  url: string;
  backend: ScriptedServer;
  close(): Promise<void>;
}

async function toRequest(
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  origin: string,
): Promise<Request> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers))
    if (typeof value === 'string') headers.set(name, value);
    else if (Array.isArray(value)) headers.set(name, value.join(', '));
  const hasBody = incoming.method !== 'GET' && incoming.method !== 'HEAD';
  const controller = new AbortController();
  // The client went away: the response closed before it was finished. (The request's own `close` fires as soon as
  // its body is read, with `destroyed` set, so it cannot tell a disconnect from a finished upload.)
  outgoing.once('close', () => {
    if (!outgoing.writableFinished) controller.abort();
  });
  return new Request(`${origin}${incoming.url}`, {
    method: incoming.method ?? 'GET',
    headers,
    signal: controller.signal,
    ...(hasBody ? { body: Readable.toWeb(incoming) as ReadableStream, duplex: 'half' } : {}),
  } as RequestInit);
}

async function send(response: Response, outgoing: ServerResponse): Promise<void> {
  outgoing.writeHead(response.status, Object.fromEntries(response.headers));
  if (!response.body) {
    outgoing.end();
    return;
  }
  const reader = response.body.getReader();
  outgoing.once('close', () => void reader.cancel().catch(() => {}));
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      outgoing.write(value);
    }
  } catch {
    // the client went away (Stop)
  }
  outgoing.end();
}

/** Starts the scripted server and the page on a free port of 127.0.0.1. */
export async function startTestServer(): Promise<TestServer> {
  const script = await bundleApp();
  const styles = readFileSync(join(packageRoot, 'src', 'styles.css'), 'utf8');
  let backend: ScriptedServer | undefined;
  const server: Server = createServer((incoming, outgoing) => {
    const path = (incoming.url ?? '/').split('?')[0];
    if (path === '/' || path === '/index.html') {
      outgoing.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
      return;
    }
    if (path === '/app.js') {
      outgoing.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(script);
      return;
    }
    if (path === '/styles.css') {
      outgoing.writeHead(200, { 'content-type': 'text/css; charset=utf-8' }).end(styles);
      return;
    }
    void (async () => {
      const request = await toRequest(incoming, outgoing, url);
      await send(await backend!.handle(request), outgoing);
    })().catch((error: unknown) => {
      if (!outgoing.headersSent) outgoing.writeHead(500);
      outgoing.end(String(error));
    });
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  backend = createScriptedServer({ origin: url, storyDelayMs: 40 });
  return {
    url,
    backend,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}

/** Saves a screenshot as `e2e/artifacts/<name>.png` and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(artifactsDirectory, { recursive: true });
  const path = join(artifactsDirectory, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

const axeScript = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** axe-core's `serious` and `critical` violations of the page, one line each. */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.addScriptTag({ path: axeScript });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(context: Document): Promise<{
            violations: {
              id: string;
              impact?: string | null;
              help: string;
              nodes: { target: unknown[] }[];
            }[];
          }>;
        };
      }
    ).axe;
    const result = await axe.run(document);
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? null,
      help: violation.help,
      targets: violation.nodes.map((node) => node.target.map(String).join(' ')),
    }));
  });
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `[${violation.impact}] ${violation.id}: ${violation.help} (${violation.targets.join(', ')})`,
    );
}

/** `[scrollWidth, innerWidth, scrollHeight, innerHeight]` of the page. */
export function pageSize(page: Page): Promise<[number, number, number, number]> {
  return page.evaluate(
    () =>
      [
        document.documentElement.scrollWidth,
        window.innerWidth,
        document.documentElement.scrollHeight,
        window.innerHeight,
      ] as [number, number, number, number],
  );
}
