#!/usr/bin/env node
// The README's main command: builds the reference app (apps/web) and what it depends on, then starts it on embedded
// defaults (PGlite under apps/web/.data and, without OPENAI_API_KEY, the offline demo model) and prints its URL.
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

/** Runs a command to completion, inheriting the terminal; resolves with its exit code. */
function run(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', ...options });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const bin = (folder, name) => join(folder, 'node_modules', '.bin', name);
if (!existsSync(bin(appDir, 'next'))) {
  console.error('apps/web has no dependencies installed: run `pnpm install` first.');
  process.exit(1);
}

const env = { ...environment, TURBO_TELEMETRY_DISABLED: '1', NEXT_TELEMETRY_DISABLED: '1' };
console.log('Building the RelayKit web app and the packages it uses…');
const built = await run(
  bin(root, 'turbo'),
  ['run', 'build', '--filter=@relaykit/web...', '--output-logs=errors-only'],
  {
    cwd: root,
    env,
  },
);
if (built !== 0) process.exit(built);

const offline = !environment.OPENAI_API_KEY;
// Loopback only unless RELAYKIT_HOSTNAME says otherwise (not HOSTNAME: containers set it to their id): the development sign-in must not be reachable from the network.
const hostname = environment.RELAYKIT_HOSTNAME?.trim() || '127.0.0.1';
const devSignIn = environment.RELAYKIT_ENABLE_DEV_SIGN_IN ?? '1';
const server = spawn(bin(appDir, 'next'), ['start', '--port', String(port), '--hostname', hostname], {
  cwd: appDir,
  stdio: ['inherit', 'pipe', 'inherit'],
  env: {
    ...env,
    PORT: String(port),
    RELAYKIT_ENABLE_DEV_SIGN_IN: devSignIn,
    OPENAI_AGENTS_DISABLE_TRACING: environment.OPENAI_AGENTS_DISABLE_TRACING ?? (offline ? '1' : '0'),
  },
});
server.stdout.pipe(process.stdout);

let announced = false;
server.stdout.on('data', (chunk) => {
  if (announced || !/ready/i.test(String(chunk))) return;
  announced = true;
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
