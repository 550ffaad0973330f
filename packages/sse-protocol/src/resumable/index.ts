export { createMemoryStreamLog, type MemoryStreamLogOptions } from './drivers/memory';
export {
  createPostgresStreamLog,
  type PostgresStreamLog,
  type PostgresStreamLogOptions,
  STREAM_LOG_CHANNEL,
} from './drivers/postgres';
export { createRedisStreamLog, type RedisStreamLogOptions } from './drivers/redis';
export type { WriteBufferOptions } from './internal/buffered-writer';
export type {
  CreateStreamOptions,
  ReadStreamOptions,
  StreamLog,
  StreamLogEntry,
  StreamState,
  StreamStatus,
  StreamWriter,
} from './ports';
