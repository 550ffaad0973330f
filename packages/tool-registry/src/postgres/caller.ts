import { ConfigurationError, isRelayKitError, postgresError } from '@relaykit/sse-protocol';
import type { ToolContext } from '../define-tool';
import type { SqlConnection, SqlTransaction } from './ports';

/** The database role and JWT claims a call runs with, so Row Level Security applies to the caller. */
export interface CallerRole {
  role: string;
  claims: Record<string, unknown>;
}

/** Which database roles callers run as (Supabase's by default). */
export interface CallerRoleOptions {
  /** The role of a caller with a user id (`context.userId`, else the `sub` claim). Default `authenticated`. */
  authenticatedRole?: string;
  /** The role of a caller without one. Default `anon`. */
  anonRole?: string;
}

/**
 * The role and claims a tool call runs with, from its {@link ToolContext}, the way PostgREST picks them from a
 * request's JWT: the caller's verified claims (`context.claims`, for example `AuthenticatedUser.claims` of
 * `@relaykit/agent-core`) with `sub` set to `context.userId` (when given) and `role` set to the role the call runs
 * as, `authenticatedRole` when there is a user and `anonRole` otherwise. `sub` and `role` always win over the claims,
 * so `auth.uid()` and `auth.role()` say what the database enforces.
 */
export function callerRoleFor(context: ToolContext, options: CallerRoleOptions = {}): CallerRole {
  const claims: Record<string, unknown> = { ...context.claims };
  const claimedSub = typeof claims.sub === 'string' && claims.sub !== '' ? claims.sub : undefined;
  const sub = context.userId !== undefined && context.userId !== '' ? context.userId : claimedSub;
  if (sub === undefined) {
    delete claims.sub;
    const role = options.anonRole ?? 'anon';
    return { role, claims: { ...claims, role } };
  }
  const role = options.authenticatedRole ?? 'authenticated';
  return { role, claims: { ...claims, sub, role } };
}

/** Options of {@link runAsCaller}. */
export interface RunAsCallerOptions extends CallerRoleOptions {
  /**
   * Whether the transaction is `READ ONLY` (default `true`). Pass `false` only from a tool whose risk is `write`:
   * the caller's RLS policies then decide which rows it may change.
   */
  readOnly?: boolean;
  /** Aborts the call; the driver cancels the running statement when it can. */
  signal?: AbortSignal;
  /** `statement_timeout` of the transaction, and the deadline of drivers that enforce it themselves (default 5 000). */
  statementTimeoutMs?: number;
  /** Picks the role and claims instead of {@link callerRoleFor} (then `authenticatedRole`/`anonRole` are unused). */
  callerRole?: (context: ToolContext) => CallerRole;
}

/**
 * Sets the caller's role and claims for the rest of the transaction (`set local`), as PostgREST does: `role`,
 * `request.jwt.claims`, and the per-claim settings Supabase's `auth.uid()`, `auth.role()` and `auth.email()` read
 * first (`request.jwt.claim.sub`, `.role`, `.email`; `''` when absent, so a value set on the session never leaks in).
 * `request.jwt.claim`, read first by `auth.jwt()`, is cleared the same way.
 */
const SET_CALLER_SQL = `select set_config('role', $1, true), set_config('request.jwt.claims', $2, true),
  set_config('request.jwt.claim.sub', $3, true), set_config('request.jwt.claim.role', $1, true),
  set_config('request.jwt.claim.email', $4, true), set_config('request.jwt.claim', '', true),
  set_config('statement_timeout', $5, true)`;

/**
 * Runs `fn` in one transaction as the caller: `set local role` to the caller's role (`authenticated` with the
 * caller's claims, or `anon`; see {@link callerRoleFor}) and the claims as `request.jwt.claims`, so every Row Level
 * Security policy using `auth.uid()`, `auth.jwt()` or `current_setting('request.jwt.claims')` applies to the user
 * the tool acts for. `READ ONLY` unless `readOnly: false`; `statement_timeout` is set locally.
 *
 * The caller comes from the tool's context: `userId` and `claims` of the {@link ToolContext} (with
 * `toAgentsTools`, the run's `context` — `run(agent, input, { context: { userId, claims } })`).
 *
 * Failures are typed: a statement that tries to write in a read-only transaction is `forbidden`; errors about the
 * statement keep the database's message (for the model); an outage never shows the driver's text; a role the
 * connection cannot switch to is `configuration` with a generic message (the database's is kept as `cause`).
 *
 * @throws RelayKitError as above.
 */
export async function runAsCaller<T>(
  connection: SqlConnection,
  context: ToolContext,
  fn: (tx: SqlTransaction) => Promise<T>,
  options: RunAsCallerOptions = {},
): Promise<T> {
  const statementTimeoutMs = options.statementTimeoutMs ?? 5_000;
  if (!Number.isInteger(statementTimeoutMs) || statementTimeoutMs < 1)
    throw new ConfigurationError('statementTimeoutMs must be a positive integer.');
  const { role, claims } = options.callerRole ? options.callerRole(context) : callerRoleFor(context, options);
  if (typeof role !== 'string' || role === '')
    throw new ConfigurationError('The caller role must be a non-empty role name.');
  let claimsJson: string;
  try {
    claimsJson = JSON.stringify(claims ?? {});
  } catch (error) {
    throw new ConfigurationError('The caller claims must be JSON.', { cause: error });
  }
  const claim = (name: string) => (typeof claims?.[name] === 'string' ? (claims[name] as string) : '');
  try {
    return await connection.transaction(
      { readOnly: options.readOnly ?? true, signal: options.signal, timeoutMs: statementTimeoutMs },
      async (tx) => {
        try {
          await tx.query(SET_CALLER_SQL, [
            role,
            claimsJson,
            claim('sub'),
            claim('email'),
            String(statementTimeoutMs),
          ]);
        } catch (error) {
          // A driver's own failure (a deadline, a cancel) stays what it is; the database refusing the role is setup.
          if (isRelayKitError(error)) throw error;
          throw new ConfigurationError(
            'The SQL tools cannot run as the caller: the connection cannot switch to the caller role.',
            { cause: error },
          );
        }
        return fn(tx);
      },
    );
  } catch (error) {
    // The caller's (the model's) own statement: errors about it keep the database's message, for the model.
    throw postgresError(error, { statement: 'caller' });
  }
}
