// Public API of @asynq-ts/backend-redis-sentinel: the Redis broker on a Sentinel-discovered master.
export type {
  NodeRedisNodeClient,
  NodeRedisSentinel,
  SentinelClientInput,
} from "./clients.js";
export { createSentinelBroker } from "./create-sentinel-broker.js";
export { ioredisSentinelOptions } from "./ioredis-sentinel.js";
export { nodeRedisSentinelOptions } from "./node-redis-sentinel.js";
export type {
  Durability,
  LibraryOverrides,
  SentinelAddress,
  SentinelBrokerOptions,
  SentinelBrokerSettings,
  SentinelConnectionSettings,
  SentinelDiscovery,
  SentinelLibrary,
} from "./options.js";
export { parseSentinelUrl } from "./sentinel-url.js";
