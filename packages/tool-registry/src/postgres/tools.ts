import { ConfigurationError, postgresError, RequestError } from '@relaykit/sse-protocol';
import type { Sql } from 'postgres';
import { z } from 'zod';
import { defineTool, type ToolContext, type ToolDefinition } from '../define-tool';
import { type CallerRole, type CallerRoleOptions, runAsCaller } from './caller';
import { postgresJsConnection } from './drivers/postgres-js';
import { guardReadOnlySql, guardReadOnlySqlSync, SYSTEM_SCHEMAS } from './guard';
import type { SqlConnection, SqlTransaction } from './ports';

/** Options of {@link createPostgresTools}. */
export interface PostgresToolsOptions extends CallerRoleOptions {
  /**
   * A postgres.js client. Its user must be able to `SET ROLE` to the caller roles (the `postgres` user on Supabase).
   * Give either `sql` or `connection`.
   */
  sql?: Sql;
  /** Any {@link SqlConnection}, for example `pgliteConnection(db)` for an embedded PGlite. */
  connection?: SqlConnection;
  /** Schemas the tools may see and change (default `["public"]`); system schemas are refused. */
  schemas?: readonly string[];
  /** Most rows `run_sql` returns (default 100); `truncated` says when there were more. */
  maxRows?: number;
  /**
   * Most bytes of row JSON `run_sql` returns (default 65 536). Rows are serialized one by one and the result stops
   * before the row that would pass the cap (`truncated`, `truncatedBy: 'bytes'`); for a SELECT the database itself
   * drops the rows past the cap, so a huge value is never sent to the app.
   */
  maxResultBytes?: number;
  /**
   * Time limit of each tool call's statements in milliseconds (default 5 000): `statement_timeout` on Postgres (set
   * locally in the call's transaction), the worker's deadline on `pgliteWorkerConnection`.
   */
  statementTimeoutMs?: number;
  /** Longest accepted SQL text (default 20 000 characters). */
  maxSqlLength?: number;
  /**
   * The role and claims reads run as. Default `callerRoleFor`: `authenticatedRole` (default `authenticated`)
   * with the context's `claims` plus `sub` (`userId`) and `role` when the context has a user, otherwise `anonRole`
   * (default `anon`); Supabase's roles, so RLS policies using `auth.uid()` or `auth.jwt()` apply.
   */
  callerRole?: (context: ToolContext) => CallerRole;
}

/** A column of a `run_sql` result. */
export interface SqlResultColumn {
  name: string;
  /** The PostgreSQL type name when known, otherwise `oid:<number>`. */
  type: string;
}

/** The result of `run_sql`. */
export interface SqlQueryResult {
  columns: SqlResultColumn[];
  rows: Record<string, unknown>[];
  rowCount: number;
  /** Not every row of the result is here: there were more than `maxRows`, or they passed `maxResultBytes`. */
  truncated: boolean;
  /** Which cap cut the result, when `truncated`: `rows` (`maxRows`) or `bytes` (`maxResultBytes`). */
  truncatedBy?: 'rows' | 'bytes';
}

const IDENTIFIER = z
  .string()
  .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'Use lower-case letters, digits and "_", starting with a letter or "_".');

/** Column types `create_table` accepts. */
export const CREATE_TABLE_COLUMN_TYPES = [
  'text',
  'integer',
  'bigint',
  'smallint',
  'boolean',
  'uuid',
  'date',
  'timestamptz',
  'timestamp',
  'jsonb',
  'json',
  'numeric',
  'double precision',
  'real',
  'bytea',
  'text[]',
  'integer[]',
  'uuid[]',
] as const;

/** Column defaults `create_table` accepts. */
export const CREATE_TABLE_COLUMN_DEFAULTS = [
  'now()',
  'gen_random_uuid()',
  'auth.uid()',
  'true',
  'false',
  '0',
  "''",
] as const;

const TYPE_NAMES: Record<number, string> = {
  16: 'boolean',
  17: 'bytea',
  18: 'char',
  19: 'name',
  20: 'bigint',
  21: 'smallint',
  23: 'integer',
  25: 'text',
  26: 'oid',
  114: 'json',
  700: 'real',
  701: 'double precision',
  1042: 'character',
  1043: 'character varying',
  1082: 'date',
  1083: 'time',
  1114: 'timestamp',
  1184: 'timestamptz',
  1186: 'interval',
  1700: 'numeric',
  2950: 'uuid',
  3802: 'jsonb',
  1009: 'text[]',
  1007: 'integer[]',
  2951: 'uuid[]',
};

function jsonValue(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) {
    return `\\x${Array.from(value, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
  }
  if (Array.isArray(value)) return value.map(jsonValue);
  return value;
}

const utf8 = new TextEncoder();

/** The column names the byte-capped SELECT gives the caller's columns (positional, so duplicates and odd names are fine). */
const columnAlias = (index: number) => `relaykit_c${index + 1}`;

/**
 * The caller's SELECT, at most `maxRows + 1` rows, with each row's size added up in the database: a row past
 * `maxBytes` (running total of its text form) comes back with every column NULL, so the database never sends it.
 * `columns` is the number of result columns (from a `limit 0` probe).
 */
function byteCappedSelect(statement: string, columns: number, maxRows: number, maxBytes: number): string {
  const aliases = Array.from({ length: columns }, (_, index) => columnAlias(index));
  const kept = aliases.map(
    (alias) => `case when relaykit_bytes <= ${maxBytes} then ${alias} end as ${alias}`,
  );
  return `select ${[...kept, 'relaykit_bytes'].join(', ')} from (
  select relaykit_page.*,
    sum(octet_length(relaykit_page::text)) over (rows between unbounded preceding and current row) as relaykit_bytes
  from (select * from (\n${statement}\n) as relaykit_query${columns > 0 ? `(${aliases.join(', ')})` : ''} limit ${maxRows + 1}) as relaykit_page
) as relaykit_sized`;
}

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

/** The tools made by {@link createPostgresTools}. */
export interface PostgresTools {
  listTables: ToolDefinition;
  getSchema: ToolDefinition;
  runSql: ToolDefinition;
  createTable: ToolDefinition;
  dropTable: ToolDefinition;
  /** All five, ready for `registry.register(...pack.all)`. */
  all: ToolDefinition[];
}

/**
 * The database tool pack: `list_tables`, `get_schema`, `run_sql` (read), `create_table` (write, needs approval) and
 * `drop_table` (destructive: disabled unless a policy enables it, then always needs approval).
 * Reads run in a READ ONLY transaction as the caller's role with a statement timeout; `run_sql` is checked by
 * {@link guardReadOnlySql} first and returns at most `maxRows` rows. DDL runs as the connection's own role after
 * a human approved it, in a transaction with the same timeout, on validated identifiers and an allowlist of types.
 *
 * @throws ConfigurationError when an option is invalid or names a system schema.
 */
export function createPostgresTools(options: PostgresToolsOptions): PostgresTools {
  const given =
    options.connection ??
    (typeof options.sql === 'function' && typeof options.sql.begin === 'function'
      ? postgresJsConnection(options.sql)
      : undefined);
  if (!given) {
    throw new ConfigurationError(
      'createPostgresTools needs a postgres.js client as `sql` or a `connection`.',
    );
  }
  const connection: SqlConnection = given;
  // Without a working statement_timeout, sleeping is the one read-only way to hold the database hostage.
  const deniedFunctions = connection.enforcesStatementTimeout ? [] : ['pg_sleep'];
  const schemas = [...(options.schemas ?? ['public'])];
  if (schemas.length === 0) throw new ConfigurationError('schemas must name at least one schema.');
  for (const schema of schemas) {
    if (!IDENTIFIER.safeParse(schema).success)
      throw new ConfigurationError(`Schema name "${schema}" is invalid.`);
    if (SYSTEM_SCHEMAS.has(schema) || schema.startsWith('pg_')) {
      throw new ConfigurationError(`Schema "${schema}" is a system schema and cannot be exposed to tools.`);
    }
  }
  const maxRows = options.maxRows ?? 100;
  const maxResultBytes = options.maxResultBytes ?? 65_536;
  const statementTimeoutMs = options.statementTimeoutMs ?? 5_000;
  const maxSqlLength = options.maxSqlLength ?? 20_000;
  if (!Number.isInteger(maxRows) || maxRows < 1)
    throw new ConfigurationError('maxRows must be a positive integer.');
  if (!Number.isInteger(maxResultBytes) || maxResultBytes < 1)
    throw new ConfigurationError('maxResultBytes must be a positive integer.');
  if (!Number.isInteger(statementTimeoutMs) || statementTimeoutMs < 1) {
    throw new ConfigurationError('statementTimeoutMs must be a positive integer.');
  }
  const callerOptions = {
    statementTimeoutMs,
    ...(options.callerRole ? { callerRole: options.callerRole } : {}),
    ...(options.authenticatedRole === undefined ? {} : { authenticatedRole: options.authenticatedRole }),
    ...(options.anonRole === undefined ? {} : { anonRole: options.anonRole }),
  };
  for (const [name, role] of [
    ['authenticatedRole', options.authenticatedRole],
    ['anonRole', options.anonRole],
  ] as const)
    if (role !== undefined && (typeof role !== 'string' || role === ''))
      throw new ConfigurationError(`${name} must be a non-empty role name.`);
  const toolTimeoutMs = statementTimeoutMs + 5_000 + (connection.openTimeoutMs ?? 0);
  const schemaInput = z
    .enum(schemas as [string, ...string[]])
    .optional()
    .describe(`One of: ${schemas.join(', ')}. Defaults to ${schemas[0]}.`);

  /** Runs `fn` in a READ ONLY transaction as the caller, cancelling the statement when `signal` aborts. */
  function asCaller<T>(
    context: ToolContext,
    signal: AbortSignal,
    fn: (tx: SqlTransaction) => Promise<T>,
  ): Promise<T> {
    return runAsCaller(connection, context, fn, { ...callerOptions, readOnly: true, signal });
  }

  /** Runs DDL as the connection's own role, after a human approved it. */
  async function asOwner<T>(signal: AbortSignal, fn: (tx: SqlTransaction) => Promise<T>): Promise<T> {
    if (signal.aborted) throw new RequestError('cancelled', 'The call was cancelled.');
    try {
      return await connection.transaction(
        { readOnly: false, signal, timeoutMs: statementTimeoutMs },
        async (tx) => {
          await tx.query("select set_config('statement_timeout', $1, true)", [String(statementTimeoutMs)]);
          return fn(tx);
        },
      );
    } catch (error) {
      throw postgresError(error, { statement: 'caller' });
    }
  }

  const listTables = defineTool({
    name: 'list_tables',
    description:
      'List the tables and views you can read, with whether Row Level Security is on. Use it before writing SQL.',
    risk: 'read',
    timeoutMs: toolTimeoutMs,
    input: z.object({ schema: schemaInput }),
    execute: ({ schema }, context) =>
      asCaller(context, context.signal, async (tx) => {
        const { rows } = await tx.query(
          `select n.nspname as schema, c.relname as name,
                 case c.relkind when 'r' then 'table' when 'p' then 'table' when 'v' then 'view'
                   when 'm' then 'materialized_view' else 'foreign_table' end as kind,
                 c.relrowsecurity as rls_enabled
          from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
          where n.nspname = $1 and c.relkind in ('r', 'p', 'v', 'm', 'f')
            and has_table_privilege(c.oid, 'SELECT')
          order by c.relname`,
          [schema ?? schemas[0] ?? 'public'],
        );
        return {
          tables: rows.map((row) => ({
            schema: row.schema as string,
            name: row.name as string,
            kind: row.kind as string,
            rlsEnabled: row.rls_enabled as boolean,
          })),
        };
      }),
  });

  const getSchema = defineTool({
    name: 'get_schema',
    description:
      'Describe a table: its columns and types, primary key, foreign keys and other constraints, whether Row Level Security is on, and its policies.',
    risk: 'read',
    timeoutMs: toolTimeoutMs,
    input: z.object({ table: IDENTIFIER.describe('The table name.'), schema: schemaInput }),
    execute: ({ table, schema }, context) =>
      asCaller(context, context.signal, async (tx) => {
        const schemaName = schema ?? schemas[0] ?? 'public';
        const {
          rows: [relation],
        } = await tx.query(
          `select c.oid::int8::text as oid, c.relkind, c.relrowsecurity, c.relforcerowsecurity
          from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
          where n.nspname = $1 and c.relname = $2 and c.relkind in ('r', 'p', 'v', 'm', 'f')
            and has_table_privilege(c.oid, 'SELECT')`,
          [schemaName, table],
        );
        if (!relation) {
          throw new RequestError('not_found', `There is no table "${schemaName}.${table}" you can read.`);
        }
        const oid = relation.oid as string;
        const { rows: columns } = await tx.query(
          `select a.attname as name, format_type(a.atttypid, a.atttypmod) as type, not a.attnotnull as nullable,
                 pg_get_expr(d.adbin, d.adrelid) as default_value
          from pg_catalog.pg_attribute a
          left join pg_catalog.pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
          where a.attrelid = $1::oid and a.attnum > 0 and not a.attisdropped
          order by a.attnum`,
          [oid],
        );
        const { rows: constraints } = await tx.query(
          `select conname as name, contype as kind, pg_get_constraintdef(oid) as definition,
                 (select array_agg(a.attname order by k.ordinality) from unnest(conkey) with ordinality k(attnum, ordinality)
                    join pg_catalog.pg_attribute a on a.attrelid = conrelid and a.attnum = k.attnum) as columns
          from pg_catalog.pg_constraint where conrelid = $1::oid order by conname`,
          [oid],
        );
        const { rows: policies } = await tx.query(
          `select policyname as name, permissive, roles::text[] as roles, cmd as command, qual as using_expression,
                 with_check as check_expression
          from pg_catalog.pg_policies where schemaname = $1 and tablename = $2 order by policyname`,
          [schemaName, table],
        );
        const primary = constraints.find((row) => row.kind === 'p');
        return {
          schema: schemaName,
          table,
          rlsEnabled: relation.relrowsecurity as boolean,
          rlsForced: relation.relforcerowsecurity as boolean,
          columns: columns.map((row) => ({
            name: row.name as string,
            type: row.type as string,
            nullable: row.nullable as boolean,
            default: (row.default_value as string | null) ?? null,
          })),
          primaryKey: (primary?.columns as string[] | null) ?? [],
          foreignKeys: constraints
            .filter((row) => row.kind === 'f')
            .map((row) => ({
              name: row.name as string,
              columns: row.columns as string[],
              definition: row.definition as string,
            })),
          constraints: constraints
            .filter((row) => row.kind === 'u' || row.kind === 'c')
            .map((row) => ({
              name: row.name as string,
              kind: row.kind === 'u' ? 'unique' : 'check',
              definition: row.definition as string,
            })),
          policies: policies.map((row) => ({
            name: row.name as string,
            permissive: row.permissive === 'PERMISSIVE',
            roles: row.roles as string[],
            command: row.command as string,
            using: (row.using_expression as string | null) ?? null,
            check: (row.check_expression as string | null) ?? null,
          })),
        };
      }),
  });

  /**
   * The result the model sees: rows as JSON-ready objects, serialized one by one and kept while their JSON fits in
   * `maxResultBytes`. `moreRows` says rows past `maxRows` existed; `cutInDatabase` that the database dropped rows past
   * the byte cap already.
   */
  function queryResult(
    columns: SqlResultColumn[],
    rows: Record<string, unknown>[],
    found: { moreRows: boolean; cutInDatabase: boolean },
  ): SqlQueryResult {
    const kept: Record<string, unknown>[] = [];
    let bytes = 2; // the enclosing []
    let cutByBytes = found.cutInDatabase;
    for (const raw of rows.slice(0, maxRows)) {
      const row = Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, jsonValue(value)]));
      bytes += utf8.encode(JSON.stringify(row)).byteLength + 1;
      if (bytes > maxResultBytes) {
        cutByBytes = true;
        break;
      }
      kept.push(row);
    }
    const cutByRows = !cutByBytes && (found.moreRows || rows.length > maxRows);
    return {
      columns,
      rows: kept,
      rowCount: kept.length,
      truncated: cutByBytes || cutByRows,
      ...(cutByBytes ? { truncatedBy: 'bytes' as const } : cutByRows ? { truncatedBy: 'rows' as const } : {}),
    };
  }

  const runSql = defineTool({
    name: 'run_sql',
    description: `Run one read-only SQL statement (SELECT, EXPLAIN or SHOW) with your own permissions. At most ${maxRows} rows and ${maxResultBytes} bytes of JSON are returned ("truncated" says when there was more); writes, locks and multiple statements are refused.`,
    risk: 'read',
    timeoutMs: toolTimeoutMs,
    input: z.object({ sql: z.string().describe('One SELECT, EXPLAIN or SHOW statement.') }),
    execute: async ({ sql: text }, context): Promise<SqlQueryResult> => {
      const verdict = await guardReadOnlySql(text, { maxLength: maxSqlLength, deniedFunctions });
      if (!verdict.ok) throw new RequestError(verdict.code, verdict.reason);
      const probe =
        verdict.kind === 'select' ? `select * from (\n${verdict.statement}\n) as relaykit_query limit 0` : '';
      if (probe !== '') {
        const checked = guardReadOnlySqlSync(probe, { maxLength: maxSqlLength + 200, deniedFunctions });
        if (!checked.ok || checked.kind !== 'select') {
          throw new RequestError('forbidden', 'The statement cannot be run safely with a row limit.');
        }
      }
      return asCaller(context, context.signal, async (tx) => {
        const typeOf = (typeOid: number) => TYPE_NAMES[typeOid] ?? `oid:${typeOid}`;
        if (probe === '') {
          const result = await tx.query(verdict.statement);
          const columns = result.columns.map((column) => ({
            name: column.name,
            type: typeOf(column.typeOid),
          }));
          return queryResult(columns, result.rows, { moreRows: false, cutInDatabase: false });
        }
        // A SELECT: learn its columns without running it, then read at most maxRows + 1 rows, sized in the database.
        const shape = await tx.query(probe);
        const statement = byteCappedSelect(verdict.statement, shape.columns.length, maxRows, maxResultBytes);
        const wrapped = guardReadOnlySqlSync(statement, { maxLength: statement.length, deniedFunctions });
        if (!wrapped.ok || wrapped.kind !== 'select')
          throw new RequestError('forbidden', 'The statement cannot be run safely with a row limit.');
        const result = await tx.query(statement);
        const names = shape.columns.map((column) => column.name);
        const fitting: Record<string, unknown>[] = [];
        let cutInDatabase = false;
        for (const row of result.rows) {
          if (Number(row.relaykit_bytes) > maxResultBytes) {
            cutInDatabase = true;
            break;
          }
          fitting.push(Object.fromEntries(names.map((name, index) => [name, row[columnAlias(index)]])));
        }
        const types = new Map(result.columns.map((column) => [column.name, column.typeOid]));
        const columns = shape.columns.map((column, index) => ({
          name: column.name,
          type: typeOf(types.get(columnAlias(index)) ?? column.typeOid),
        }));
        return queryResult(columns, fitting, { moreRows: fitting.length > maxRows, cutInDatabase });
      });
    },
  });

  const createTable = defineTool({
    name: 'create_table',
    description:
      'Create a table (needs a human to approve). Row Level Security is enabled by default, so nobody but the service role can read it until policies are added.',
    risk: 'write',
    needsApproval: true,
    timeoutMs: toolTimeoutMs,
    input: z.object({
      schema: schemaInput,
      name: IDENTIFIER.describe('The new table name.'),
      columns: z
        .array(
          z.object({
            name: IDENTIFIER,
            type: z.enum(CREATE_TABLE_COLUMN_TYPES),
            nullable: z.boolean().optional(),
            primaryKey: z.boolean().optional(),
            default: z.enum(CREATE_TABLE_COLUMN_DEFAULTS).optional(),
          }),
        )
        .min(1)
        .max(100),
      enableRls: z.boolean().optional().describe('Defaults to true.'),
    }),
    execute: async (input, context) => {
      const schema = input.schema ?? schemas[0] ?? 'public';
      const names = new Set<string>();
      for (const column of input.columns) {
        if (names.has(column.name))
          throw new RequestError('invalid_request', `Column "${column.name}" is listed twice.`);
        names.add(column.name);
      }
      const primaryKey = input.columns
        .filter((column) => column.primaryKey)
        .map((column) => quote(column.name));
      const definitions = input.columns.map((column) =>
        [
          quote(column.name),
          column.type,
          column.nullable === false || column.primaryKey ? 'not null' : '',
          column.default ? `default ${column.default}` : '',
        ]
          .filter(Boolean)
          .join(' '),
      );
      if (primaryKey.length > 0) definitions.push(`primary key (${primaryKey.join(', ')})`);
      const qualified = `${quote(schema)}.${quote(input.name)}`;
      await asOwner(context.signal, async (tx) => {
        await tx.query(`create table ${qualified} (\n  ${definitions.join(',\n  ')}\n)`);
        if (input.enableRls !== false) await tx.query(`alter table ${qualified} enable row level security`);
      });
      return { created: `${schema}.${input.name}`, rlsEnabled: input.enableRls !== false };
    },
  });

  const dropTable = defineTool({
    name: 'drop_table',
    description:
      'Drop a table and all its data (destructive: disabled unless enabled by policy, and always needs approval).',
    risk: 'destructive',
    timeoutMs: toolTimeoutMs,
    input: z.object({
      schema: schemaInput,
      name: IDENTIFIER.describe('The table to drop.'),
      cascade: z.boolean().optional().describe('Also drop dependent objects (default false).'),
    }),
    execute: async (input, context) => {
      const schema = input.schema ?? schemas[0] ?? 'public';
      await asOwner(context.signal, async (tx) => {
        const { rows: found } = await tx.query(
          `select 1 from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
          where n.nspname = $1 and c.relname = $2 and c.relkind in ('r', 'p')`,
          [schema, input.name],
        );
        if (found.length === 0)
          throw new RequestError('not_found', `There is no table "${schema}.${input.name}".`);
        await tx.query(`drop table ${quote(schema)}.${quote(input.name)}${input.cascade ? ' cascade' : ''}`);
      });
      return { dropped: `${schema}.${input.name}` };
    },
  });

  const all = [listTables, getSchema, runSql, createTable, dropTable] as ToolDefinition[];
  return { listTables, getSchema, runSql, createTable, dropTable, all } as PostgresTools;
}
