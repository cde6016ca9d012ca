// Idle wake-up latency on real Redis: how long from the start of an enqueue to the handler's
// start, on a server that was idle (waiting for work) when the task arrived. Measured in this
// one process (client, server and their connections share the event loop), with the monotonic
// clock. Prints percentiles; asserts only that every task started (no timing thresholds).
import { Task } from "@asynq-ts/core";
import { type RedisServerHandle, startRedisServer } from "@asynq-ts/testing/servers";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { delay, eventually, RedisWorld } from "./support.js";

/** Gap between a handler's start and the next enqueue: long enough for the server to go idle. */
const IDLE_GAP_MS = 20;

let redis: RedisServerHandle;
let world: RedisWorld | undefined;

beforeAll(async () => {
  redis = await startRedisServer();
});
afterEach(async () => {
  await world?.dispose();
  world = undefined;
});
afterAll(async () => {
  await redis?.stop();
});

/** The `p`-th percentile (nearest rank) of `sorted`. */
function percentile(sorted: readonly number[], p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? Number.NaN;
}

/** Enqueues `samples` tasks one at a time to an idle server; returns the latencies in ms. */
async function measure(w: RedisWorld, samples: number, config = {}): Promise<number[]> {
  const startedAt = new Map<string, bigint>();
  w.start(
    async (_task, ctx) => {
      startedAt.set(ctx.taskId, process.hrtime.bigint());
    },
    { concurrency: 1, ...config },
  );
  // Let the server reach its first wait (and subscribe) before measuring.
  await delay(200);
  const latencies: number[] = [];
  for (let i = 0; i < samples; i++) {
    const taskId = `wake-${i}`;
    const sent = process.hrtime.bigint();
    await w.client.enqueue(new Task("wake"), { taskId });
    await eventually(() => startedAt.has(taskId), `task ${taskId} to start`, 5_000, 1);
    latencies.push(Number((startedAt.get(taskId) ?? sent) - sent) / 1e6);
    await delay(IDLE_GAP_MS);
  }
  expect(startedAt.size).toBe(samples);
  await eventually(async () => (await w.stats()).processed === samples, "every task done");
  return latencies;
}

function summary(latencies: readonly number[]): string {
  const sorted = [...latencies].sort((a, b) => a - b);
  const f = (ms: number) => `${ms.toFixed(2)} ms`;
  return (
    `n=${sorted.length} p50=${f(percentile(sorted, 50))} p90=${f(percentile(sorted, 90))} ` +
    `p99=${f(percentile(sorted, 99))} max=${f(sorted.at(-1) ?? Number.NaN)}`
  );
}

it("starts every task enqueued to an idle server (notifications on)", async () => {
  world = new RedisWorld(redis.url);
  const latencies = await measure(world, 200);
  console.log(`idle wake-up, enqueue → handler start, notifications on: ${summary(latencies)}`);
  expect(latencies).toHaveLength(200);
});

it("still starts them without notifications, by polling every taskCheckInterval", async () => {
  world = new RedisWorld(redis.url, { notifications: false });
  const latencies = await measure(world, 10, { taskCheckInterval: 250 });
  console.log(
    "idle wake-up, enqueue → handler start, notifications off, taskCheckInterval 250 ms: " +
      summary(latencies),
  );
  expect(latencies).toHaveLength(10);
});
