/**
 * `@relaykit/sse-protocol/postgres`: the Postgres `StreamLog` driver (needs the optional peer `postgres`). Apply
 * `sql/0001_stream_log.sql` (shipped in the package) to the database first.
 */
export {
  createPostgresStreamLog,
  type PostgresStreamLog,
  type PostgresStreamLogOptions,
  STREAM_LOG_CHANNEL,
} from './resumable/drivers/postgres';
