// Public API of @asynq-ts/backend-redis: the Broker port on Redis, wire-compatible with Go asynq v0.26.
export { RedisBroker } from "./broker/redis-broker.js";
export type {
  ClusterNodeAddress,
  RedisArg,
  RedisReply,
  Subscriber,
} from "./connection/connection.js";
export type {
  IoredisClient,
  NodeRedisClient,
  NodeRedisCluster,
  RedisClientInput,
  RedisConnection,
} from "./connection/index.js";
// For adapters that build on this package (Sentinel): wrap a client, then decorate it.
export { connectionForClient } from "./connection/index.js";
export {
  createRedisBroker,
  type RedisBrokerOptions,
} from "./create-redis-broker.js";
export { DEFAULT_PREFIX } from "./keys.js";
export type { LuaScript } from "./scripts/lua-script.js";
