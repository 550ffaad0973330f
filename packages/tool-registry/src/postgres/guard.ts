import { ConfigurationError } from '@relaykit/sse-protocol';
import { loadModule, parseSync } from 'libpg-query';

/** The statement kinds `run_sql` accepts. */
export type ReadOnlyStatementKind = 'select' | 'explain' | 'show';

/** The verdict of {@link guardReadOnlySql}. */
export type SqlGuardResult =
  | {
      ok: true;
      kind: ReadOnlyStatementKind;
      /** The single statement, without the trailing `;`. */
      statement: string;
    }
  | {
      ok: false;
      /** `invalid_request` when the text is not valid SQL or too long; `forbidden` when it is SQL we refuse to run. */
      code: 'invalid_request' | 'forbidden' | 'payload_too_large';
      reason: string;
    };

/** Options of {@link guardReadOnlySql}. */
export interface SqlGuardOptions {
  /** Longest accepted statement in characters (default 20 000). */
  maxLength?: number;
  /** More function names to refuse, on top of {@link DENIED_FUNCTIONS} (lower-case, without schema). */
  deniedFunctions?: readonly string[];
}

/**
 * Functions a read-only query must never call: they read or write server files, reach other servers, run SQL
 * given as a string, change settings or roles, signal other backends, take locks, or write sequences.
 * Matched on the function's name whatever its schema.
 */
export const DENIED_FUNCTIONS: ReadonlySet<string> = new Set([
  'pg_read_file',
  'pg_read_binary_file',
  'pg_ls_dir',
  'pg_ls_logdir',
  'pg_ls_waldir',
  'pg_ls_tmpdir',
  'pg_ls_archive_statusdir',
  'pg_ls_logicalsnapdir',
  'pg_ls_logicalmapdir',
  'pg_ls_replslotdir',
  'pg_stat_file',
  'pg_file_write',
  'pg_file_rename',
  'pg_file_unlink',
  'pg_file_sync',
  'pg_logdir_ls',
  'lo_import',
  'lo_export',
  'lo_create',
  'lo_creat',
  'lo_unlink',
  'lo_open',
  'lo_put',
  'lo_from_bytea',
  'lowrite',
  'loread',
  'lo_get',
  'set_config',
  'pg_terminate_backend',
  'pg_cancel_backend',
  'pg_reload_conf',
  'pg_rotate_logfile',
  'pg_switch_wal',
  'pg_create_restore_point',
  'pg_promote',
  'pg_backup_start',
  'pg_backup_stop',
  'pg_log_backend_memory_contexts',
  'pg_import_system_collations',
  'pg_notify',
  'nextval',
  'setval',
  'txid_current',
  'pg_current_xact_id',
  'pg_export_snapshot',
  'query_to_xml',
  'query_to_xmlschema',
  'query_to_xml_and_xmlschema',
  'cursor_to_xml',
  'cursor_to_xmlschema',
  'table_to_xml',
  'table_to_xml_and_xmlschema',
  'schema_to_xml',
  'schema_to_xml_and_xmlschema',
  'database_to_xml',
  'database_to_xml_and_xmlschema',
  'pg_sleep_for',
  'pg_sleep_until',
  'http',
]);

/** Name prefixes of denied function families (dblink, advisory locks, replication, stats resets, HTTP extensions). */
export const DENIED_FUNCTION_PREFIXES: readonly string[] = [
  'dblink',
  'pg_advisory',
  'pg_try_advisory',
  'pg_create_logical_replication',
  'pg_create_physical_replication',
  'pg_drop_replication',
  'pg_replication_origin',
  'pg_logical_slot',
  'pg_replication_slot',
  'pg_stat_reset',
  'pg_wal_replay',
  'http_',
];

/** Schemas whose functions are refused outright (pg_net, pgsql-http, dblink installs). */
export const DENIED_FUNCTION_SCHEMAS: ReadonlySet<string> = new Set(['net', 'dblink', 'http']);

/** Relations a query may not read even when the role could (credentials and server configuration). */
export const DENIED_RELATIONS: ReadonlySet<string> = new Set([
  'pg_authid',
  'pg_shadow',
  'pg_user_mapping',
  'pg_user_mappings',
  'pg_hba_file_rules',
  'pg_ident_file_mappings',
  'pg_file_settings',
  'pg_largeobject',
]);

/** Schemas no tool of the pack writes to. */
export const SYSTEM_SCHEMAS: ReadonlySet<string> = new Set([
  'pg_catalog',
  'information_schema',
  'pg_toast',
  'auth',
  'storage',
  'extensions',
  'graphql',
  'graphql_public',
  'realtime',
  'vault',
  'pgsodium',
  'pgsodium_masks',
  'cron',
  'net',
  'supabase_functions',
  'supabase_migrations',
  '_realtime',
  '_analytics',
]);

/** Node types that modify data or the schema, wherever they hide (CTEs, subqueries, EXPLAIN). */
const WRITE_NODES = new Set([
  'InsertStmt',
  'UpdateStmt',
  'DeleteStmt',
  'MergeStmt',
  'CreateTableAsStmt',
  'CopyStmt',
  'IntoClause',
  'LockingClause',
]);

let ready: Promise<void> | undefined;
let loaded = false;

/** Loads the PostgreSQL parser (WebAssembly) once; {@link guardReadOnlySql} awaits it for you. */
export function loadSqlParser(): Promise<void> {
  ready ??= loadModule().then(
    () => {
      loaded = true;
    },
    (error: unknown) => {
      ready = undefined; // let a later call try again
      throw new ConfigurationError('The PostgreSQL parser (libpg-query WebAssembly) failed to load.', {
        cause: error,
      });
    },
  );
  return ready;
}

type Refusal = Extract<SqlGuardResult, { ok: false }>;

const refuse = (reason: string): Refusal => ({ ok: false, code: 'forbidden', reason });

function lastName(parts: unknown): { schema: string | undefined; name: string } {
  const names = Array.isArray(parts)
    ? parts.map((part) => ((part as { String?: { sval?: string } }).String?.sval ?? '').toLowerCase())
    : [];
  return {
    schema: names.length > 1 ? names[names.length - 2] : undefined,
    name: names[names.length - 1] ?? '',
  };
}

function checkFunction(funcname: unknown, extra: ReadonlySet<string>): Refusal | null {
  const { schema, name } = lastName(funcname);
  if (extra.has(name)) return refuse(`Calling ${name}() is not allowed on this database.`);
  if (schema !== undefined && DENIED_FUNCTION_SCHEMAS.has(schema)) {
    return refuse(`Calling functions of schema "${schema}" is not allowed.`);
  }
  if (DENIED_FUNCTIONS.has(name) || DENIED_FUNCTION_PREFIXES.some((prefix) => name.startsWith(prefix))) {
    return refuse(`Calling ${name}() is not allowed: it can change state or reach outside the database.`);
  }
  return null;
}

/** Walks every node of the parse tree; returns the first refusal. */
function walk(node: unknown, extra: ReadonlySet<string>): Refusal | null {
  if (Array.isArray(node)) {
    for (const child of node) {
      const found = walk(child, extra);
      if (found) return found;
    }
    return null;
  }
  if (node === null || typeof node !== 'object') return null;
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    if (WRITE_NODES.has(key)) {
      return refuse(
        key === 'LockingClause'
          ? 'Row-locking clauses (FOR UPDATE / FOR SHARE) are not allowed.'
          : key === 'IntoClause'
            ? 'SELECT ... INTO creates a table and is not allowed.'
            : `Statements that modify data (${key.replace(/Stmt$/, '').toUpperCase()}) are not allowed, even inside a CTE or subquery.`,
      );
    }
    if (key === 'intoClause' && value) return refuse('SELECT ... INTO creates a table and is not allowed.');
    if (key === 'lockingClause' && Array.isArray(value) && value.length > 0) {
      return refuse('Row-locking clauses (FOR UPDATE / FOR SHARE) are not allowed.');
    }
    if (key === 'FuncCall') {
      const found = checkFunction((value as { funcname?: unknown }).funcname, extra);
      if (found) return found;
    }
    if (key === 'RangeVar') {
      const relname = String((value as { relname?: string }).relname ?? '').toLowerCase();
      if (DENIED_RELATIONS.has(relname)) return refuse(`Reading ${relname} is not allowed.`);
    }
    const found = walk(value, extra);
    if (found) return found;
  }
  return null;
}

function statementKind(statement: Record<string, unknown>): ReadOnlyStatementKind | Refusal {
  const [type] = Object.keys(statement);
  if (type === 'SelectStmt') return 'select';
  if (type === 'VariableShowStmt') return 'show';
  if (type === 'ExplainStmt') {
    const explain = statement.ExplainStmt as { query?: Record<string, unknown>; options?: unknown[] };
    const analyze = (explain.options ?? []).some((option) => {
      const defname = (option as { DefElem?: { defname?: string } }).DefElem?.defname?.toLowerCase();
      return defname === 'analyze';
    });
    if (analyze) return refuse('EXPLAIN ANALYZE runs the statement and is not allowed; use EXPLAIN.');
    const inner = explain.query ? Object.keys(explain.query)[0] : undefined;
    if (inner !== 'SelectStmt') return refuse('EXPLAIN is only allowed for a SELECT.');
    return 'explain';
  }
  const name = (type ?? 'unknown').replace(/Stmt$/, '');
  return refuse(`Only a single SELECT, EXPLAIN or SHOW statement is allowed (got ${name}).`);
}

/**
 * Decides whether `text` is one read-only statement, using the real PostgreSQL parser (libpg-query), never
 * substring matching: exactly one SELECT (no `INTO`, no `FOR UPDATE/SHARE`, no data-modifying CTE, no denied
 * function or relation anywhere in the tree), EXPLAIN of such a SELECT (never ANALYZE), or SHOW.
 * This is one layer: `run_sql` also runs the statement in a READ ONLY transaction, with a statement timeout,
 * a row limit and the caller's role so RLS applies.
 */
export async function guardReadOnlySql(text: string, options: SqlGuardOptions = {}): Promise<SqlGuardResult> {
  await loadSqlParser();
  return guardReadOnlySqlSync(text, options);
}

/**
 * {@link guardReadOnlySql} once {@link loadSqlParser} has resolved.
 *
 * @throws ConfigurationError when the parser is not loaded yet.
 */
export function guardReadOnlySqlSync(text: string, options: SqlGuardOptions = {}): SqlGuardResult {
  if (!loaded) throw new ConfigurationError('Call and await loadSqlParser() before guardReadOnlySqlSync().');
  const maxLength = options.maxLength ?? 20_000;
  if (typeof text !== 'string')
    return { ok: false, code: 'invalid_request', reason: 'SQL must be a string.' };
  if (text.length > maxLength) {
    return {
      ok: false,
      code: 'payload_too_large',
      reason: `SQL is ${text.length} characters; the limit is ${maxLength}.`,
    };
  }
  if (text.includes('\u0000'))
    return { ok: false, code: 'invalid_request', reason: 'SQL must not contain NUL bytes.' };
  let tree: { stmts?: Array<{ stmt?: Record<string, unknown>; stmt_location?: number; stmt_len?: number }> };
  try {
    tree = parseSync(text) as typeof tree;
  } catch (error) {
    const message = error instanceof Error ? error.message : 'syntax error';
    return { ok: false, code: 'invalid_request', reason: `SQL does not parse: ${message}` };
  }
  const statements = (tree.stmts ?? []).filter((entry) => entry.stmt);
  if (statements.length !== 1) {
    return statements.length === 0
      ? { ok: false, code: 'invalid_request', reason: 'SQL contains no statement.' }
      : refuse(`Exactly one statement is allowed; got ${statements.length}.`);
  }
  const [entry] = statements as [
    { stmt: Record<string, unknown>; stmt_location?: number; stmt_len?: number },
  ];
  const kind = statementKind(entry.stmt);
  if (typeof kind !== 'string') return kind;
  const found = walk(entry.stmt, new Set((options.deniedFunctions ?? []).map((name) => name.toLowerCase())));
  if (found) return found;
  const location = entry.stmt_location ?? 0;
  const statement = entry.stmt_len ? text.slice(location, location + entry.stmt_len) : text.slice(location);
  return { ok: true, kind, statement: statement.trim() };
}
