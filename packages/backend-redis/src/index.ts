// Public API of @asynq-ts/backend-redis: the Broker port on Redis, wire-compatible with Go asynq v0.26.
export { RedisBroker } from "./broker/redis-broker.js";
export type {
  IoredisClient,
  NodeRedisClient,
  NodeRedisCluster,
  RedisClientInput,
} from "./connection/index.js";
export {
  createRedisBroker,
  type RedisBrokerOptions,
} from "./create-redis-broker.js";
export { DEFAULT_PREFIX } from "./keys.js";
