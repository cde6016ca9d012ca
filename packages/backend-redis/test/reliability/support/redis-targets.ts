import type { Broker } from "@asynq-ts/core";
import {
  type RedisClusterHandle,
  type RedisServerHandle,
  startRedisCluster,
  startRedisServer,
} from "@asynq-ts/testing/servers";
import { Cluster, Redis } from "ioredis";
import { afterAll, beforeAll } from "vitest";
import { createRedisBroker } from "../../../src/index.js";

/** The Redis deployments the differential tests compare with the memory broker. */
export const TARGETS = ["standalone (ioredis)", "3-master Cluster (ioredis)"] as const;
export type Target = (typeof TARGETS)[number];

/**
 * Starts a standalone server and a 3-master Cluster for the file (stopped in `afterAll`), and
 * returns a factory of brokers over them, each under a fresh key prefix (an empty keyspace).
 */
export function useRedisTargets(): (target: Target) => Broker {
  let server: RedisServerHandle | undefined;
  let cluster: RedisClusterHandle | undefined;
  let standalone: Redis | undefined;
  let clustered: Cluster | undefined;
  let prefixes = 0;

  beforeAll(async () => {
    [server, cluster] = await Promise.all([startRedisServer(), startRedisCluster({ masters: 3 })]);
    standalone = new Redis(server.url);
    clustered = new Cluster([...cluster.nodes]);
  });
  afterAll(async () => {
    await Promise.allSettled([standalone?.quit(), clustered?.quit()]);
    await Promise.allSettled([server?.stop(), cluster?.stop()]);
  });

  return (target) => {
    const client = target === "standalone (ioredis)" ? standalone : clustered;
    if (client === undefined) throw new Error("Redis targets are used before beforeAll ran");
    return createRedisBroker({ client, prefix: `model${++prefixes}` });
  };
}
