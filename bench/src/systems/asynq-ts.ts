import { createRedisBroker } from "@asynq-ts/backend-redis";
import { Client, HOUR, Server, Task, type TaskOptions } from "@asynq-ts/core";
import { Redis } from "ioredis";
import type { BenchPayload } from "../protocol.js";
import {
  CompletionCounter,
  delay,
  type Producer,
  QUEUE,
  type System,
  type SystemOptions,
  TASK_TYPE,
  type Worker,
  type WorkerHooks,
} from "./system.js";

/** Retention of completed tasks when `retain` is on. */
const RETENTION = 24 * HOUR;

function taskOptions(options: SystemOptions): TaskOptions {
  return options.retain ? { queue: QUEUE, retention: RETENTION } : { queue: QUEUE };
}

function taskOf(payload: BenchPayload): Task {
  return new Task(TASK_TYPE, JSON.stringify(payload));
}

/** asynq-ts on its Redis broker (ioredis, Go asynq's layout), with default settings. */
export const asynqTs: System = {
  async producer(options) {
    const broker = createRedisBroker({ url: options.url });
    await broker.ping();
    const client = new Client(broker);
    const enqueueOptions = taskOptions(options);
    return {
      async enqueue(payload) {
        await client.enqueue(taskOf(payload), enqueueOptions);
      },
      async enqueueBulk(payloads) {
        const results = await client.enqueueBulk(payloads.map(taskOf), enqueueOptions);
        const failed = results.find((r) => !r.ok);
        if (failed !== undefined && !failed.ok) throw failed.error;
      },
      async close() {
        await client.close();
        await broker.close();
      },
    } satisfies Producer;
  },

  async worker(options, hooks: WorkerHooks) {
    const broker = createRedisBroker({ url: options.url });
    await broker.ping();
    const server = new Server(broker, {
      concurrency: options.concurrency,
      queues: { [QUEUE]: 1 },
      logLevel: "warn",
    });
    // asynq-ts has no completion event: after the last handler returned, the processed counter
    // (written by the same script that acknowledges a task) tells when every outcome is stored.
    const counter = new Redis(options.url);
    const processedKey = `${broker.prefix}:{${QUEUE}}:processed`;
    const handled = new CompletionCounter();
    return {
      start() {
        server.start(async (task) => {
          hooks.onStart(JSON.parse(task.text()) as BenchPayload);
          handled.add();
        });
      },
      async completed(count) {
        await handled.reach(count);
        while (Number((await counter.get(processedKey)) ?? 0) < count) await delay(1);
      },
      async close() {
        await server.shutdown();
        await broker.close();
        counter.disconnect();
      },
    } satisfies Worker;
  },
};
