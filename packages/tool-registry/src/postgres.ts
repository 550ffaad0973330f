/**
 * `@relaykit/tool-registry/postgres`: the database tool pack and the read-only SQL guard.
 * Needs the optional peer `postgres` (postgres.js).
 */
export {
  type CallerRole,
  type CallerRoleOptions,
  callerRoleFor,
  type RunAsCallerOptions,
  runAsCaller,
} from './postgres/caller';
export { type PGliteLike, pgliteConnection } from './postgres/drivers/pglite';
export {
  type PGliteWorkerConnection,
  type PGliteWorkerConnectionOptions,
  type PGliteWorkerDatabase,
  pgliteWorkerConnection,
} from './postgres/drivers/pglite-worker';
export { postgresJsConnection } from './postgres/drivers/postgres-js';
export {
  DENIED_FUNCTION_PREFIXES,
  DENIED_FUNCTION_SCHEMAS,
  DENIED_FUNCTIONS,
  DENIED_RELATIONS,
  guardReadOnlySql,
  guardReadOnlySqlSync,
  loadSqlParser,
  type ReadOnlyStatementKind,
  type SqlGuardOptions,
  type SqlGuardResult,
  SYSTEM_SCHEMAS,
} from './postgres/guard';
export type { SqlConnection, SqlRows, SqlTransaction } from './postgres/ports';
export {
  CREATE_TABLE_COLUMN_DEFAULTS,
  CREATE_TABLE_COLUMN_TYPES,
  createPostgresTools,
  type PostgresTools,
  type PostgresToolsOptions,
  type SqlQueryResult,
  type SqlResultColumn,
} from './postgres/tools';
