/** `@relaykit/sse-protocol/redis`: the Redis `StreamLog` driver (needs the optional peer `ioredis`). */
export { createRedisStreamLog, type RedisStreamLogOptions } from './resumable/drivers/redis';
