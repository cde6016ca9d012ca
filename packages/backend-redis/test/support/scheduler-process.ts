// A scheduler process for the multi-instance test: runs a Scheduler on Redis with the shared
// `@every 1s` registration and appends a FireRecord per fire attempt to a Redis list. Prints
// "ready <schedulerId>" once started; shuts down gracefully on SIGTERM and exits 0.
//
//   node --import tsx --conditions=@asynq-ts/source scheduler-process.ts <redisUrl> <prefix>

import { type PostEnqueueHook, Scheduler } from "@asynq-ts/core";
import { Redis } from "ioredis";
import { createRedisBroker } from "../../src/index.js";
import {
  type FireRecord,
  fireRecordsKey,
  PERIODIC_OPTIONS,
  PERIODIC_SPEC,
  periodicTask,
  SCHEDULER_HEARTBEAT_MS,
} from "./scheduler-fixture.js";

const [url, prefix] = process.argv.slice(2);
if (url === undefined || prefix === undefined) {
  process.stderr.write("usage: scheduler-process.ts <redisUrl> <prefix>\n");
  process.exit(2);
}
// Without `--conditions=@asynq-ts/source` the workspace would resolve to a possibly stale dist.
if (!import.meta.resolve("@asynq-ts/core").endsWith("/src/index.ts")) {
  process.stderr.write("run with --conditions=@asynq-ts/source: @asynq-ts/core resolved to dist\n");
  process.exit(2);
}

const records = new Redis(url);
const broker = createRedisBroker({ url, prefix });

const recordFire: PostEnqueueHook = async (info, error, fire) => {
  const record: FireRecord = {
    pid: process.pid,
    fireAt: fire.fireAt,
    outcome: info !== null ? "enqueued" : fire.enqueuedByPeer ? "peer" : "error",
    taskId: info?.id ?? null,
    error: error === null ? null : error.message,
  };
  await records.rpush(fireRecordsKey(prefix), JSON.stringify(record));
};

const scheduler = new Scheduler(broker, {
  heartbeatInterval: SCHEDULER_HEARTBEAT_MS,
  logLevel: "error",
  postEnqueue: recordFire,
});
scheduler.register(PERIODIC_SPEC, periodicTask(), PERIODIC_OPTIONS);

const stopped = new Promise<void>((resolve) => {
  process.once("SIGTERM", () => resolve());
});
await scheduler.start();
process.stdout.write(`ready ${scheduler.id}\n`);
await stopped;
// Waits for fires under way (their postEnqueue records included) and removes the entries.
await scheduler.shutdown();
await broker.close();
records.disconnect();
