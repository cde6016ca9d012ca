import { describeBrokerConformance } from "@asynq-ts/testing/conformance";
import { type RedisSentinelGroupHandle, startRedisSentinelGroup } from "@asynq-ts/testing/servers";
import { createSentinel } from "redis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createSentinelBroker,
  type NodeRedisSentinel,
  nodeRedisSentinelOptions,
} from "../src/index.js";

let group: RedisSentinelGroupHandle;
let sentinel: NodeRedisSentinel;
let brokers = 0;

beforeAll(async () => {
  group = await startRedisSentinelGroup();
  const created = createSentinel(
    nodeRedisSentinelOptions({ sentinels: group.sentinels, name: group.masterName }),
  );
  created.on("error", () => {});
  await created.connect();
  sentinel = created as unknown as NodeRedisSentinel;
});
afterAll(async () => {
  await sentinel?.destroy();
  await group?.stop();
});

describeBrokerConformance({
  name: "redis sentinel (node-redis)",
  // A fresh key prefix per broker gives every test its own keyspace on the shared master.
  createBroker: () => createSentinelBroker({ client: sentinel, prefix: `asynq-t${++brokers}` }),
  test: { describe, it, beforeEach, afterEach, expect },
});
