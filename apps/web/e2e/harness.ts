/**
 * The end-to-end harness: builds the app once, starts `next start` per variant (PGlite or real Postgres) on a free
 * port with a fresh data directory and the offline model, and launches the system Chromium through playwright-core.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, postgresAvailability, testDatabaseUrl } from '@relaykit/testing/postgres';
import { type Browser, chromium, type Page } from 'playwright-core';
import { E2EEnvironmentError, WebServerError } from './errors';

/** The environment the harness reads (the test process's own by default). */
export type HarnessEnvironment = Record<string, string | undefined>;

/** `apps/web`. */
export const webDirectory = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The monorepo root. */
export const repoRoot = resolve(webDirectory, '..', '..');
/** Where screenshots go: `apps/web/e2e/artifacts/<variant>/` (gitignored). */
export const artifactsDirectory = join(webDirectory, 'e2e', 'artifacts');

/** Whether this machine must run everything (CI): then a missing browser or database fails instead of skipping. */
export function servicesRequired(env: HarnessEnvironment = process.env): boolean {
  const ci = env.CI;
  return (
    env.RELAYKIT_REQUIRE_SERVICES === '1' || (ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0')
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Build

/** Builds the app with `pnpm --filter @relaykit/web build` unless `.next/BUILD_ID` is already there. */
export async function ensureWebBuild(): Promise<void> {
  if (existsSync(join(webDirectory, '.next', 'BUILD_ID'))) return;
  console.log('[e2e] apps/web has no .next/BUILD_ID: running pnpm --filter @relaykit/web build');
  const child = spawn('pnpm', ['--filter', '@relaykit/web', 'build'], {
    cwd: repoRoot,
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = collectLog(child);
  const code = await new Promise<number | null>((resolveExit, reject) => {
    child.once('error', reject);
    child.once('exit', resolveExit);
  });
  if (code !== 0 || !existsSync(join(webDirectory, '.next', 'BUILD_ID'))) {
    throw new WebServerError('internal', `building apps/web failed (exit ${code}):\n${log.tail()}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Server

/** A running `next start` of the built app. */
export interface WebServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The fresh `RELAYKIT_DATA_DIR` (removed by `stop()`). */
  readonly dataDirectory: string;
  /** The server's last log lines, for failure messages. */
  logTail(): string;
  /** Stops the whole process group (SIGTERM, then SIGKILL) and removes the data directory. Safe to call twice. */
  stop(): Promise<void>;
}

/** Options of {@link startWebServer}. */
export interface StartWebServerOptions {
  /** A short label used in the data directory's name and in messages. */
  name: string;
  /** Extra environment for the server (for example `DATABASE_URL`). */
  env?: Record<string, string>;
  /** How long to wait for `/api/health` to answer 200. Default 90 s. */
  healthTimeoutMs?: number;
}

/** Variables of the test process that must not reach the app: it runs offline, on its own data, as in production. */
const INHERITED_VARIABLES_TO_DROP = [
  /^OPENAI_/,
  /^SUPABASE_/,
  /^NEXT_PUBLIC_/,
  /^DATABASE_URL$/,
  /^RELAYKIT_(?!TEST_|REQUIRE_SERVICES)/,
  /^VITEST/,
  /^NODE_OPTIONS$/,
];

/** The app's environment: the test process's, minus {@link INHERITED_VARIABLES_TO_DROP}, in production mode. */
export function serverEnvironment(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || INHERITED_VARIABLES_TO_DROP.some((pattern) => pattern.test(key))) continue;
    env[key] = value;
  }
  return { ...env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', ...extra };
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolvePort(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

/**
 * Starts `next start` for the built app in its own process group with a fresh temporary `RELAYKIT_DATA_DIR`,
 * `RELAYKIT_ENABLE_DEV_SIGN_IN=1` and no `OPENAI_API_KEY` (so the app serves its offline demo model), and resolves
 * once `/api/health` answers 200.
 */
export async function startWebServer(options: StartWebServerOptions): Promise<WebServer> {
  const dataDirectory = mkdtempSync(join(tmpdir(), `relaykit-web-e2e-${options.name}-`));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const nextCli = createRequire(join(webDirectory, 'package.json')).resolve('next/dist/bin/next');
  const child = spawn(
    process.execPath,
    [nextCli, 'start', '--port', String(port), '--hostname', '127.0.0.1'],
    {
      cwd: webDirectory,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: serverEnvironment({
        PORT: String(port),
        RELAYKIT_DATA_DIR: dataDirectory,
        RELAYKIT_ENABLE_DEV_SIGN_IN: '1',
        ...options.env,
      }),
    },
  );
  const log = collectLog(child);
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const killOnExit = () => killGroup(child, 'SIGKILL');
  process.once('exit', killOnExit);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDirectory, { recursive: true, force: true });
  };

  try {
    await waitForHealth(url, child, log, options.healthTimeoutMs ?? 90_000);
  } catch (error) {
    await stop();
    throw error;
  }
  console.log(`[e2e] ${options.name}: next start is healthy at ${url} (data in ${dataDirectory})`);
  return { url, dataDirectory, logTail: () => log.tail(), stop };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

async function waitForHealth(
  url: string,
  child: ChildProcess,
  log: CollectedLog,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new WebServerError(
        'internal',
        `next start exited (${child.exitCode ?? child.signalCode}) before /api/health answered:\n${log.tail()}`,
      );
    }
    try {
      const response = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(5_000) });
      if (response.status === 200) return;
      last = `HTTP ${response.status}: ${(await response.text()).slice(0, 500)}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolveDelay) => setTimeout(resolveDelay, 150));
  }
  throw new WebServerError(
    'timeout',
    `${url}/api/health did not answer 200 within ${timeoutMs} ms (last: ${last}):\n${log.tail()}`,
  );
}

interface CollectedLog {
  tail(): string;
}

function collectLog(child: ChildProcess, keep = 200): CollectedLog {
  const lines: string[] = [];
  const push = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      lines.push(line);
      if (lines.length > keep) lines.shift();
    }
  };
  child.stdout?.on('data', push);
  child.stderr?.on('data', push);
  return { tail: () => lines.slice(-60).join('\n') };
}

// ---------------------------------------------------------------------------------------------------------------
// Variants

/** A storage configuration the whole suite runs against. */
export interface AppVariant {
  /** `pglite` (the embedded default) or `postgres` (`DATABASE_URL` set). */
  readonly name: 'pglite' | 'postgres';
  /** Why this variant is skipped on this machine, or `undefined` when it runs. */
  readonly skipReason: string | undefined;
  /** Creates the variant's backing store and returns the server environment plus its cleanup. */
  prepare(): Promise<PreparedVariant>;
}

/** What {@link AppVariant.prepare} hands to {@link startWebServer}. */
export interface PreparedVariant {
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

/**
 * The two variants: PGlite always; Postgres on a fresh database (`createTestDatabase`, which installs Supabase's
 * roles and auth schema) on the server every other Postgres test uses: `RELAYKIT_TEST_DATABASE_URL`, else
 * `DEFAULT_TEST_DATABASE_URL` (`postgres://postgres@127.0.0.1:5432/test`). A server that does not answer fails the
 * variant's `prepare()` with the reason.
 */
export function appVariants(env: HarnessEnvironment = process.env): AppVariant[] {
  const databaseUrl = testDatabaseUrl(env);
  return [
    {
      name: 'pglite',
      skipReason: undefined,
      prepare: async () => ({ env: {}, cleanup: async () => {} }),
    },
    {
      name: 'postgres',
      skipReason: undefined,
      prepare: async () => {
        const probe = await postgresAvailability({ url: databaseUrl, env, log: () => {} });
        if (!probe.available) throw new E2EEnvironmentError(`the Postgres e2e variant: ${probe.reason}`);
        const database = await createTestDatabase({
          url: databaseUrl,
          namePrefix: 'relaykit_web_e2e_',
          max: 1,
        });
        return { env: { DATABASE_URL: database.url }, cleanup: () => database.close() };
      },
    },
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// Browser

/** The flags Chromium needs on a headless CI machine without a GPU, sandbox or network. */
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

/** `RELAYKIT_CHROMIUM`, else the Debian package's `/usr/bin/chromium`. */
export function chromiumExecutable(env: HarnessEnvironment = process.env): string {
  return env.RELAYKIT_CHROMIUM ?? '/usr/bin/chromium';
}

/**
 * Why the browser tests cannot run here, or `undefined` when they can. Throws {@link E2EEnvironmentError} when the
 * browser is missing on a machine that must run everything (`CI` or `RELAYKIT_REQUIRE_SERVICES=1`).
 */
export function browserSkipReason(env: HarnessEnvironment = process.env): string | undefined {
  const executable = chromiumExecutable(env);
  if (existsSync(executable)) return undefined;
  const reason = `Chromium is not installed at ${executable} (apt-get install -y chromium, or set RELAYKIT_CHROMIUM)`;
  if (servicesRequired(env)) {
    throw new E2EEnvironmentError(
      `${reason}; CI / RELAYKIT_REQUIRE_SERVICES=1 forbids skipping the browser tests`,
    );
  }
  return reason;
}

/** Launches the system Chromium headless through playwright-core. */
export function launchChromium(env: HarnessEnvironment = process.env): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumExecutable(env), args: CHROMIUM_ARGS });
}

/** Saves a full-page screenshot as `artifacts/<variant>/<name>.png`, prints and returns its path. */
export async function saveScreenshot(page: Page, variant: string, name: string): Promise<string> {
  const directory = join(artifactsDirectory, variant);
  mkdirSync(directory, { recursive: true });
  const path = join(directory, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  console.log(`[e2e] screenshot: ${path}`);
  return path;
}

// ---------------------------------------------------------------------------------------------------------------
// A signed-in offline app

/** One offline server, one browser and one page signed in as the demo user: what the single-server suites share. */
export interface SignedInApp {
  readonly server: WebServer;
  readonly page: Page;
  /**
   * Runs `body`, then saves a screenshot as `artifacts/<name>/<step>.png`; on failure saves `failed-<step>.png` and
   * prints the server's last log lines before rethrowing.
   */
  step(step: string, body: () => Promise<void>): Promise<void>;
  /** Saves a screenshot as `artifacts/<name>/<shot>.png`. */
  screenshot(shot: string): Promise<string>;
  /** Closes the page, the browser and the server. Safe after a failed start. */
  close(): Promise<void>;
}

/**
 * Builds the app if needed, starts an offline server named `name` (its artifacts go to `artifacts/<name>/`), launches
 * Chromium and signs in as the demo user through the development sign-in page. The page waits 45 s by default.
 */
export async function startSignedInApp(name: string, env: Record<string, string> = {}): Promise<SignedInApp> {
  await ensureWebBuild();
  let browser: Browser | undefined;
  let server: WebServer | undefined;
  const close = async () => {
    await browser?.close();
    await server?.stop();
  };
  try {
    browser = await launchChromium();
    server = await startWebServer({ name, env });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(45_000);
    await page.goto(`${server.url}/chat`);
    await page.waitForURL((url) => url.pathname === '/sign-in');
    await page.getByRole('button', { name: 'Sign in as demo user', exact: true }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/chat'));
    await page.getByRole('textbox', { name: 'Message', exact: true }).waitFor();
    const started = server;
    const screenshot = (shot: string) => saveScreenshot(page, name, shot);
    return {
      server: started,
      page,
      screenshot,
      async step(step, body) {
        try {
          await body();
          await screenshot(step);
        } catch (error) {
          await screenshot(`failed-${step}`).catch(() => {});
          console.error(`[e2e] ${name} server log:\n${started.logTail()}`);
          throw error;
        }
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
