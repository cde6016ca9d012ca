// A wait that follows a dequeue which found nothing skips the check for waiting tasks while no
// notification arrived since (the subscription covers that gap). These cases pin that a task
// enqueued around that skip still wakes the wait. A broken skip makes a wait hang until its
// long timeout, failing the test by timeout.
import { Client, Task } from "@asynq-ts/core";
import { type RedisServerHandle, startRedisServer } from "@asynq-ts/testing/servers";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { createRedisBroker, type RedisBroker } from "../src/index.js";

const LONG_WAIT = 60_000;
const TEST_TIMEOUT = 20_000;

let redis: RedisServerHandle;
let worker: RedisBroker;
let producer: RedisBroker;
let queue: string;
let nextQueue = 0;

beforeAll(async () => {
  redis = await startRedisServer();
});
beforeEach(async () => {
  worker = createRedisBroker({ url: redis.url });
  producer = createRedisBroker({ url: redis.url });
  queue = `wake-${nextQueue++}`;
  // A first, short wait subscribes the worker to the queue's notifications.
  await worker.waitForTasks({ queues: [queue], timeout: 50 });
  const missed = await worker.dequeueBatch({
    queues: [queue],
    now: Date.now(),
    leaseUntil: Date.now() + 30_000,
    max: 10,
  });
  expect(missed).toEqual([]);
});
afterEach(async () => {
  await worker.close();
  await producer.close();
});
afterAll(async () => {
  await redis?.stop();
});

/**
 * Gives the worker's subscriber time to receive the enqueue's notification before the wait
 * starts listening: the case where only the check for waiting tasks can end the wait.
 */
function letNotificationArrive(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 100));
}

async function enqueueOne(): Promise<string> {
  const info = await new Client(producer).enqueue(new Task("t"), { queue });
  return info.id;
}

it(
  "wakes on a task enqueued while it waits",
  async () => {
    const woken = worker.waitForTasks({ queues: [queue], timeout: LONG_WAIT });
    const id = await enqueueOne();
    await woken;
    const [task] = await worker.dequeueBatch({
      queues: [queue],
      now: Date.now(),
      leaseUntil: Date.now() + 30_000,
      max: 10,
    });
    expect(task?.message.id).toBe(id);
  },
  TEST_TIMEOUT,
);

it(
  "returns for a task enqueued between the empty dequeue and the wait",
  async () => {
    const id = await enqueueOne();
    await letNotificationArrive();
    await worker.waitForTasks({ queues: [queue], timeout: LONG_WAIT });
    const [task] = await worker.dequeueBatch({
      queues: [queue],
      now: Date.now(),
      leaseUntil: Date.now() + 30_000,
      max: 10,
    });
    expect(task?.message.id).toBe(id);
  },
  TEST_TIMEOUT,
);

it(
  "checks for waiting tasks when the wait covers a queue the empty dequeue did not read",
  async () => {
    const other = `${queue}-other`;
    await worker.waitForTasks({ queues: [other], timeout: 50 });
    await producer.enqueue({
      message: {
        id: "silent",
        type: "t",
        payload: new Uint8Array(),
        headers: {},
        queue: other,
        maxRetry: 0,
        retried: 0,
        lastError: "",
        lastFailedAt: 0,
        timeout: 1_000,
        deadline: 0,
        retention: 0,
        completedAt: 0,
        group: "",
        uniqueKey: "",
      },
      placement: { state: "pending" },
      now: Date.now(),
    });
    await letNotificationArrive();
    await worker.waitForTasks({ queues: [queue, other], timeout: LONG_WAIT });
  },
  TEST_TIMEOUT,
);
