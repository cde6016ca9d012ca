// Real Redis servers for tests: standalone and cluster, spawned on free loopback ports.

export {
  type RedisClusterHandle,
  type RedisClusterNode,
  type RedisClusterOptions,
  startRedisCluster,
} from "./redis-cluster.js";
export { RedisStartError } from "./redis-process.js";
export {
  type RedisSentinelAddress,
  type RedisSentinelGroupHandle,
  type RedisSentinelGroupOptions,
  startRedisSentinelGroup,
} from "./redis-sentinel.js";
export {
  type RedisServerHandle,
  type RedisServerOptions,
  startRedisServer,
  withRedisServer,
} from "./redis-server.js";
