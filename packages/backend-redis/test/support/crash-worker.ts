// A worker process for the crash test: runs a Server on Redis whose handler sleeps 5–100 ms and
// appends a start and an end record of every attempt to a Redis list (see crash-records.ts).
// Prints "ready" once started; shuts down gracefully on SIGTERM. The test SIGKILLs it mid-task.
//
//   node --import tsx --conditions=@asynq-ts/source crash-worker.ts <redisUrl> <prefix> <recordsKey>

import { type HandlerContext, Server, type Task } from "@asynq-ts/core";
import { Redis } from "ioredis";
import { createRedisBroker } from "../../src/index.js";
import type { AttemptRecord } from "./crash-records.js";

/** Handlers running at once in each worker. */
const CRASH_WORKER_CONCURRENCY = 8;

const [url, prefix, recordsKey] = process.argv.slice(2);
if (url === undefined || prefix === undefined || recordsKey === undefined) {
  process.stderr.write("usage: crash-worker.ts <redisUrl> <prefix> <recordsKey>\n");
  process.exit(2);
}

const records = new Redis(url);
const broker = createRedisBroker({ url, prefix });
let seq = 0;

async function record(entry: AttemptRecord): Promise<void> {
  await records.rpush(recordsKey as string, JSON.stringify(entry));
}

async function handle(_task: Task, ctx: HandlerContext): Promise<void> {
  const attempt = ++seq;
  const at = process.hrtime.bigint().toString();
  const wallAt = Date.now();
  const score = await records.zscore(`${prefix}:{${ctx.queue}}:lease`, ctx.taskId);
  await record({
    kind: "start",
    taskId: ctx.taskId,
    pid: process.pid,
    seq: attempt,
    retried: ctx.retryCount,
    at,
    wallAt,
    leaseUntilSec: score === null ? null : Number(score),
  });
  await new Promise((resolve) => setTimeout(resolve, 5 + Math.floor(Math.random() * 96)));
  const end = process.hrtime.bigint().toString();
  await record({ kind: "end", taskId: ctx.taskId, pid: process.pid, seq: attempt, at: end });
}

const server = new Server(broker, {
  concurrency: CRASH_WORKER_CONCURRENCY,
  // Recovered tasks are due at once, and the forwarder moves them to pending within 100 ms.
  retryDelay: () => 0,
  delayedTaskCheckInterval: 100,
  shutdownTimeout: 5_000,
  logLevel: "error",
});
const running = server.run(handle);
process.stdout.write("ready\n");
await running;
await broker.close();
records.disconnect();
