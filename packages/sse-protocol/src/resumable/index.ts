// The memory driver and the port; the Redis and Postgres drivers are behind the `./redis` and `./postgres` subpaths.
export { createMemoryStreamLog, type MemoryStreamLogOptions } from './drivers/memory';
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
