/**
 * A local stand-in for the RPC part of Supabase's Data API (PostgREST), NOT PostgREST itself.
 *
 * It follows PostgREST's documented behaviour for `POST|GET|HEAD /rest/v1/rpc/<function>` closely enough that
 * `@supabase/supabase-js` `rpc()` works against it unmodified: JSON arguments are matched to the function's
 * named parameters (or passed whole to a single unnamed json/jsonb parameter), the caller's JWT is verified with the
 * project secret (HS256) and its `role` and claims are applied with `set_config(..., true)` in one transaction,
 * results are shaped like PostgREST's (scalar, object, array, 204 for void), and errors use PostgREST's body
 * `{code, message, details, hint}` with its SQLSTATE → HTTP status table (PGRST301/303 for JWT errors, PGRST202
 * for an unknown function). It does not serve the table query language (`from(...)`): those paths answer 501.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Row, type RpcDatabase, type TransactionRunner, transactionRunner } from './database';
import {
  BodyTooLargeError,
  bearerToken,
  checkApiKey,
  type RunningStandIn,
  readBody,
  sendJson,
  startStandIn,
} from './http';
import { mintSupabaseJwt, secretKey, verifySupabaseJwt } from './jwt';
import {
  isDatabaseError,
  type PostgrestErrorResponse,
  pgrst,
  postgrestErrorFromDatabase,
} from './postgrest-errors';

/** Options of {@link createSupabaseRpcServer}. */
export interface SupabaseRpcServerOptions {
  /** Where functions run: a `createTestDatabase()` / `createPGliteTestDatabase()` result, a postgres.js client or a PGlite. */
  database: RpcDatabase;
  /** The project's JWT secret; tokens are verified with it (HS256). */
  jwtSecret: string;
  /** Port on 127.0.0.1. Default 0 (any free port). */
  port?: number;
  /** Schemas callers may target with `Content-Profile`/`Accept-Profile`. Default `['public']` (the first is the default). */
  schemas?: string[];
  /** Role used when the request has no JWT or the JWT has no `role` claim. Default `anon`. */
  anonRole?: string;
  /** Reject requests without a valid `apikey` header, like Supabase's API gateway. Default `true`. */
  requireApiKey?: boolean;
  /** Largest accepted request body in bytes. Default 1 MiB. */
  maxBodyBytes?: number;
}

/** One RPC call the stand-in answered, for assertions. */
export interface RecordedRpcCall {
  method: string;
  function: string;
  schema: string;
  role: string;
  args: Record<string, unknown>;
  status: number;
}

/** A running RPC stand-in. */
export interface SupabaseRpcServer extends RunningStandIn {
  /** An `anon` API key signed with the project secret (pass it to `createClient(url, anonKey)`). */
  readonly anonKey: string;
  /** A `service_role` API key signed with the project secret. */
  readonly serviceRoleKey: string;
  /** Every RPC call answered, in order. */
  readonly calls: RecordedRpcCall[];
}

interface FunctionInput {
  name: string;
  type: string;
}

interface FunctionCandidate {
  name: string;
  returnsSet: boolean;
  returnsVoid: boolean;
  returnsComposite: boolean;
  requiredInputs: number;
  inputs: FunctionInput[];
}

const LOOKUP_SQL = `
select p.proname as name,
       p.proretset as returns_set,
       p.prorettype = 'void'::regtype as returns_void,
       (t.typtype = 'c' or p.prorettype = 'record'::regtype) as returns_composite,
       p.pronargs - p.pronargdefaults as required_inputs,
       coalesce((
         select json_agg(json_build_object('name', coalesce(p.proargnames[a.n], ''), 'type', format_type(a.type, null)) order by a.n)
         from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) with ordinality as a(type, n)
         where coalesce(p.proargmodes[a.n]::text, 'i') in ('i', 'b', 'v')
       ), '[]'::json)::text as inputs
from pg_catalog.pg_proc p
join pg_catalog.pg_namespace n on n.oid = p.pronamespace
join pg_catalog.pg_type t on t.oid = p.prorettype
where n.nspname = $1 and p.proname = $2 and p.prokind = 'f'`;

const quoteIdentifier = (name: string) => `"${name.replaceAll('"', '""')}"`;

type Resolution =
  | { kind: 'named'; fn: FunctionCandidate; args: FunctionInput[] }
  | { kind: 'single-json'; fn: FunctionCandidate; type: string }
  | { kind: 'error'; error: PostgrestErrorResponse };

function resolveFunction(
  schema: string,
  name: string,
  keys: string[],
  candidates: FunctionCandidate[],
): Resolution {
  const named = candidates.filter((fn) => {
    const inputNames = new Set(fn.inputs.map((input) => input.name));
    if (!keys.every((key) => inputNames.has(key))) return false;
    return fn.inputs.slice(0, fn.requiredInputs).every((input) => keys.includes(input.name));
  });
  const single = candidates.filter(
    (fn) => fn.inputs.length === 1 && fn.inputs[0]?.name === '' && /^jsonb?$/.test(fn.inputs[0].type),
  );
  if (named.length === 1 && named[0] !== undefined) {
    const fn = named[0];
    return { kind: 'named', fn, args: fn.inputs.filter((input) => keys.includes(input.name)) };
  }
  if (named.length === 0 && single.length === 1 && single[0] !== undefined) {
    return { kind: 'single-json', fn: single[0], type: single[0].inputs[0]?.type ?? 'json' };
  }
  const qualified = `${schema}.${name}`;
  const sortedKeys = [...keys].sort();
  if (named.length > 1 || single.length > 1) {
    return {
      kind: 'error',
      error: pgrst(
        300,
        'PGRST203',
        `Could not choose the best candidate function between: ${(named.length > 1 ? named : single)
          .map(
            (fn) => `${qualified}(${fn.inputs.map((input) => `${input.name} => ${input.type}`).join(', ')})`,
          )
          .join(', ')}`,
        null,
        'Try renaming the parameters or the function itself in the database so function overloading can be resolved',
      ),
    };
  }
  return {
    kind: 'error',
    error: pgrst(
      404,
      'PGRST202',
      `Could not find the function ${qualified}(${sortedKeys.join(', ')}) in the schema cache`,
      `Searched for the function ${qualified} ${
        sortedKeys.length === 0
          ? 'without parameters'
          : `with parameter${sortedKeys.length === 1 ? '' : 's'} ${sortedKeys.join(', ')}`
      } or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.`,
      candidates.length > 0 ? `Perhaps you meant to call the function ${qualified}` : null,
    ),
  };
}

/** The SQL that calls the function and returns its result as JSON text (`body`) plus a row count (`n`). */
function callSql(schema: string, resolution: Exclude<Resolution, { kind: 'error' }>): string {
  const fn = resolution.fn;
  const target = `${quoteIdentifier(schema)}.${quoteIdentifier(fn.name)}`;
  let from = '';
  let call: string;
  if (resolution.kind === 'single-json') {
    call = `${target}($1::text::${resolution.type})`;
  } else if (resolution.args.length === 0) {
    call = `${target}()`;
  } else {
    const columns = resolution.args.map((arg) => `${quoteIdentifier(arg.name)} ${arg.type}`).join(', ');
    from = ` from json_to_record($1::text::json) as _args(${columns})`;
    call = `${target}(${resolution.args
      .map((arg) => `${quoteIdentifier(arg.name)} => _args.${quoteIdentifier(arg.name)}`)
      .join(', ')})`;
  }
  const source = from === '' ? ` from ${call}` : `${from} cross join lateral ${call}`;
  if (fn.returnsVoid) return `select ${call} as _void, null::text as body, 0 as n${from}`;
  if (fn.returnsSet && fn.returnsComposite) {
    return `select coalesce(json_agg(_r), '[]'::json)::text as body, count(*)::int as n${source} as _r`;
  }
  if (fn.returnsSet) {
    return `select coalesce(json_agg(_r._v), '[]'::json)::text as body, count(*)::int as n${source} as _r(_v)`;
  }
  if (fn.returnsComposite) return `select to_json(_r)::text as body, 1 as n${source} as _r`;
  return `select to_json(${call})::text as body, 1 as n${from}`;
}

function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Creates the request handler (used by {@link createSupabaseRpcServer} and the combined stand-in). */
export function createRpcHandler(
  options: SupabaseRpcServerOptions,
  calls: RecordedRpcCall[],
): (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<boolean> {
  const secret = secretKey(options.jwtSecret);
  const run: TransactionRunner = transactionRunner(options.database);
  const schemas = options.schemas ?? ['public'];
  const anonRole = options.anonRole ?? 'anon';
  const requireApiKey = options.requireApiKey ?? true;
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;

  const fail = (response: ServerResponse, error: PostgrestErrorResponse) =>
    sendJson(response, error.status, error.body, error.headers);

  return async (request, response, url) => {
    const match = /^(?:\/rest\/v1)?\/rpc\/([^/]+)$/.exec(url.pathname);
    if (match === null) {
      if (!url.pathname.startsWith('/rest/v1/')) return false;
      sendJson(response, 501, {
        code: 'RELAYKIT_STAND_IN',
        message:
          'This Supabase stand-in serves only /rest/v1/rpc/<function>; the table API is not implemented.',
        details: null,
        hint: null,
      });
      return true;
    }
    const functionName = decodeURIComponent(match[1] ?? '');
    const method = request.method ?? 'GET';

    if (requireApiKey && !(await checkApiKey(request, url, secret, response))) return true;

    if (!['GET', 'HEAD', 'POST'].includes(method)) {
      fail(response, pgrst(405, 'PGRST101', 'Only GET, HEAD or POST requests are allowed for functions'));
      return true;
    }

    const profile = headerValue(request, method === 'POST' ? 'content-profile' : 'accept-profile');
    const schema = profile ?? schemas[0] ?? 'public';
    if (!schemas.includes(schema)) {
      fail(
        response,
        pgrst(406, 'PGRST106', `The schema must be one of the following: ${schemas.join(', ')}`),
      );
      return true;
    }

    // Authenticate: no token → anon role; a token must verify with the project secret.
    const token = bearerToken(request);
    let claims: Record<string, unknown> = {};
    let authenticated = false;
    if (token !== undefined) {
      const verification = await verifySupabaseJwt(token, secret);
      if (!verification.ok) {
        const expired = verification.failure === 'expired';
        const message = expired
          ? 'JWT expired'
          : verification.failure === 'signature'
            ? 'JWSError JWSInvalidSignature'
            : verification.message;
        fail(
          response,
          pgrst(401, expired ? 'PGRST303' : 'PGRST301', message, null, null, {
            'www-authenticate': `Bearer error="invalid_token", error_description="${message}"`,
          }),
        );
        return true;
      }
      claims = verification.claims;
      authenticated = true;
    }
    const role = typeof claims.role === 'string' && claims.role !== '' ? claims.role : anonRole;

    // Arguments: the JSON body (POST) or the query string (GET/HEAD).
    let args: Record<string, unknown>;
    let rawBody = '';
    if (method === 'POST') {
      try {
        rawBody = (await readBody(request, maxBodyBytes)).toString('utf8');
      } catch (error) {
        if (error instanceof BodyTooLargeError) {
          sendJson(response, 413, { code: 'PGRST102', message: error.message, details: null, hint: null });
          return true;
        }
        throw error;
      }
      try {
        const parsed: unknown = rawBody.trim() === '' ? {} : JSON.parse(rawBody);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
          throw new Error('not an object');
        args = parsed as Record<string, unknown>;
      } catch {
        fail(response, pgrst(400, 'PGRST102', 'Empty or invalid json'));
        return true;
      }
    } else {
      args = {};
      for (const [key, value] of url.searchParams) if (key !== 'apikey') args[key] = value;
    }

    let status = 200;
    try {
      const outcome = await run(async (query) => {
        const candidates = (await query(LOOKUP_SQL, [schema, functionName])).map(
          (row: Row): FunctionCandidate => ({
            name: String(row.name),
            returnsSet: row.returns_set === true,
            returnsVoid: row.returns_void === true,
            returnsComposite: row.returns_composite === true,
            requiredInputs: Number(row.required_inputs),
            inputs: JSON.parse(String(row.inputs)) as FunctionInput[],
          }),
        );
        const resolution = resolveFunction(schema, functionName, Object.keys(args), candidates);
        if (resolution.kind === 'error') return resolution;
        if (method !== 'POST') await query('set transaction read only');
        await query(
          `select set_config('role', $1, true), set_config('request.jwt.claims', $2, true),
                  set_config('request.method', $3, true), set_config('request.path', $4, true),
                  set_config('request.headers', $5, true)`,
          [role, JSON.stringify(claims), method, url.pathname, JSON.stringify(request.headers)],
        );
        const usesArgs = resolution.kind === 'single-json' || resolution.args.length > 0;
        const [row] = await query(callSql(schema, resolution), usesArgs ? [JSON.stringify(args)] : []);
        return { kind: 'ok' as const, resolution, body: row?.body ?? null, n: Number(row?.n ?? 0) };
      });
      if (outcome.kind === 'error') {
        status = outcome.error.status;
        fail(response, outcome.error);
        return true;
      }
      const fn = outcome.resolution.fn;
      if (fn.returnsVoid) {
        status = 204;
        response.writeHead(204).end();
        return true;
      }
      const body = typeof outcome.body === 'string' ? outcome.body : 'null';
      const headers: Record<string, string> = {};
      if (fn.returnsSet) {
        // Like PostgREST: the total is only counted when the client asks for it (`Prefer: count=exact`).
        const counted = /count=(exact|planned|estimated)/.test(headerValue(request, 'prefer') ?? '');
        const total = counted ? String(outcome.n) : '*';
        headers['content-range'] = outcome.n === 0 ? `*/${total}` : `0-${outcome.n - 1}/${total}`;
      }
      if (method === 'HEAD') {
        response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', ...headers }).end();
      } else {
        sendJson(response, 200, undefined, headers, body);
      }
      return true;
    } catch (error) {
      if (!isDatabaseError(error)) throw error;
      const mapped = postgrestErrorFromDatabase(error, authenticated && role !== anonRole);
      status = mapped.status;
      fail(response, mapped);
      return true;
    } finally {
      calls.push({ method, function: functionName, schema, role, args, status });
    }
  };
}

/**
 * Starts the RPC stand-in on 127.0.0.1. Point supabase-js at it: `createClient(server.url, server.anonKey, {
 * global: { headers: { Authorization: `Bearer ${userJwt}` } } })`, then `supabase.rpc('fn', args)`.
 */
export async function createSupabaseRpcServer(options: SupabaseRpcServerOptions): Promise<SupabaseRpcServer> {
  const calls: RecordedRpcCall[] = [];
  const running = await startStandIn([createRpcHandler(options, calls)], { port: options.port ?? 0 });
  const [anonKey, serviceRoleKey] = await Promise.all([
    mintSupabaseJwt({ secret: options.jwtSecret, role: 'anon', expiresIn: 10 * 365 * 24 * 3600 }),
    mintSupabaseJwt({ secret: options.jwtSecret, role: 'service_role', expiresIn: 10 * 365 * 24 * 3600 }),
  ]);
  return { url: running.url, close: running.close, anonKey, serviceRoleKey, calls };
}
