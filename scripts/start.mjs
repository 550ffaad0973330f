#!/usr/bin/env node
// The README's main command: builds the reference app (apps/web) and the packages it uses (turbo, cached after the
// first run), showing what it builds and how long each step takes, starts it on embedded defaults (PGlite under
// apps/web/.data and, without OPENAI_API_KEY, the offline demo model), warms it with one request (the runtime starts
// on its first request) and only then prints its URL.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The caller's environment (read once; the app itself reads its configuration at request time). */
const environment = process.env;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const appDir = join(root, 'apps', 'web');
const port = Number(environment.PORT ?? 3000);
if (!Number.isInteger(port) || port < 1 || port > 65_535) {
  console.error(`PORT must be a port number, got "${environment.PORT}"`);
  process.exit(2);
}

const bin = (folder, name) => join(folder, 'node_modules', '.bin', name);
if (!existsSync(bin(appDir, 'next'))) {
  console.error('apps/web has no dependencies installed: run `pnpm install` first.');
  process.exit(1);
}

const env = { ...environment, TURBO_TELEMETRY_DISABLED: '1', NEXT_TELEMETRY_DISABLED: '1' };

/** `12.3 s` or `2 min 05 s`. */
function elapsed(since) {
  const seconds = (performance.now() - since) / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  return `${Math.floor(seconds / 60)} min ${String(Math.floor(seconds % 60)).padStart(2, '0')} s`;
}

/**
 * Runs turbo for the app and the packages it uses, printing one line per package as it starts building (or comes from
 * the cache) and a line every 20 s while a long step (the Next.js build) runs quietly.
 */
function build() {
  return new Promise((resolve) => {
    const started = performance.now();
    console.log('Building the RelayKit web app and the packages it uses (cached after the first run)…');
    const child = spawn(
      bin(root, 'turbo'),
      ['run', 'build', '--filter=@relaykit/web...', '--output-logs=hash-only'],
      { cwd: root, env: { ...env, FORCE_COLOR: '0' }, stdio: ['inherit', 'pipe', 'inherit'] },
    );
    let quietSince = performance.now();
    const heartbeat = setInterval(() => {
      if (performance.now() - quietSince >= 20_000) {
        console.log(`  … still building (${elapsed(started)})`);
        quietSince = performance.now();
      }
    }, 5_000);
    let pending = '';
    child.stdout.on('data', (chunk) => {
      pending += String(chunk);
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const task = /(@relaykit\/[\w-]+):build: cache (hit|miss|bypass)/.exec(line);
        if (task) {
          console.log(`  ${task[1]}: ${task[2] === 'hit' ? 'up to date (cache)' : 'building'}`);
          quietSince = performance.now();
        } else if (/Failed|ERROR|error TS/.test(line)) {
          console.log(line);
        }
      }
    });
    child.on('exit', (code, signal) => {
      clearInterval(heartbeat);
      if (code === 0) console.log(`Built in ${elapsed(started)}.`);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

const built = await build();
if (built !== 0) {
  console.error('The build failed; run `pnpm turbo run build --filter=@relaykit/web...` to see every log.');
  process.exit(built);
}

const offline = !environment.OPENAI_API_KEY;
// Loopback only unless RELAYKIT_HOSTNAME says otherwise (not HOSTNAME: containers set it to their id): the development sign-in must not be reachable from the network.
const hostname = environment.RELAYKIT_HOSTNAME?.trim() || '127.0.0.1';
const devSignIn = environment.RELAYKIT_ENABLE_DEV_SIGN_IN ?? '1';
/**
 * On embedded PGlite (no DATABASE_URL) what grows under many concurrent chats is V8's young generation, which V8 sizes
 * when the process starts (up to 128 MB): 2 MB semi-spaces keep the app's peak RSS under 400 MB (numbers in the
 * chatkit-store README). Added to the caller's NODE_OPTIONS unless they set a semi-space size themselves.
 */
const nodeOptions =
  environment.DATABASE_URL || /--max-semi-space-size/.test(environment.NODE_OPTIONS ?? '')
    ? environment.NODE_OPTIONS
    : [environment.NODE_OPTIONS, '--max-semi-space-size=2'].filter(Boolean).join(' ');
const server = spawn(bin(appDir, 'next'), ['start', '--port', String(port), '--hostname', hostname], {
  cwd: appDir,
  stdio: ['inherit', 'pipe', 'inherit'],
  env: {
    ...env,
    ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
    PORT: String(port),
    RELAYKIT_ENABLE_DEV_SIGN_IN: devSignIn,
    OPENAI_AGENTS_DISABLE_TRACING: environment.OPENAI_AGENTS_DISABLE_TRACING ?? (offline ? '1' : '0'),
  },
});
server.stdout.pipe(process.stdout);

/**
 * The app builds its runtime (database, migrations, the offline model) on its first request: make that request here,
 * so the first sign-in does not wait for it.
 */
async function warm() {
  const started = performance.now();
  console.log('Starting the runtime (database, migrations, model)…');
  const host = hostname === '0.0.0.0' || hostname === '::' ? '127.0.0.1' : hostname;
  try {
    const response = await fetch(`http://${host.includes(':') ? `[${host}]` : host}:${port}/api/health`, {
      signal: AbortSignal.timeout(300_000),
    });
    await response.body?.cancel();
    console.log(
      response.ok
        ? `Runtime ready in ${elapsed(started)}.`
        : `The health check answered ${response.status}; see the server log above (${elapsed(started)}).`,
    );
  } catch (error) {
    console.warn(`Could not warm the runtime: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const serverStarted = performance.now();
let announced = false;
server.stdout.on('data', async (chunk) => {
  if (announced || !/ready/i.test(String(chunk))) return;
  announced = true;
  console.log(`Server started in ${elapsed(serverStarted)}.`);
  await warm();
  console.log(`\nRelayKit web app: http://localhost:${port}`);
  console.log(
    offline
      ? 'Model: the offline demo model (OPENAI_API_KEY is not set; answers are scripted by the fake OpenAI server).'
      : `Model: OpenAI${environment.OPENAI_BASE_URL ? ` at ${environment.OPENAI_BASE_URL}` : ''}.`,
  );
  console.log(
    environment.DATABASE_URL
      ? 'Database: Postgres at DATABASE_URL.'
      : `Database: PGlite under ${environment.RELAYKIT_DATA_DIR ?? 'apps/web/.data'}.`,
  );
  const supabaseAuth = environment.SUPABASE_JWT_SECRET || environment.SUPABASE_JWKS_URL;
  if (devSignIn === '1' && !supabaseAuth && !environment.RELAYKIT_DEV_JWT_SECRET)
    console.warn(
      'WARNING: development sign-in enabled: anyone can sign tokens with the dev secret unless RELAYKIT_DEV_JWT_SECRET is set.',
    );
  console.log('Sign in with "Sign in as demo user" (development only). Ctrl-C stops the server.\n');
});

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (server.exitCode === null) server.kill(signal);
  });
}
server.on('exit', (code, signal) =>
  process.exit(code ?? (signal === 'SIGINT' || signal === 'SIGTERM' ? 0 : 1)),
);
