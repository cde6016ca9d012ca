import { Worker as BullWorker, Queue } from "bullmq";
import type { BenchPayload } from "../protocol.js";
import {
  CompletionCounter,
  type Producer,
  QUEUE,
  type System,
  TASK_TYPE,
  type Worker,
} from "./system.js";

/** BullMQ's connection options for a `redis://host:port` URL. */
function connectionOf(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port) };
}

/**
 * BullMQ with default settings, except that completed jobs are removed unless `retain` is on
 * (BullMQ keeps them by default; asynq-ts deletes them by default).
 */
export const bullmq: System = {
  async producer(options) {
    const queue = new Queue<BenchPayload>(QUEUE, {
      connection: connectionOf(options.url),
      defaultJobOptions: { removeOnComplete: !options.retain },
    });
    await queue.waitUntilReady();
    return {
      async enqueue(payload) {
        await queue.add(TASK_TYPE, payload);
      },
      async enqueueBulk(payloads) {
        await queue.addBulk(payloads.map((data) => ({ name: TASK_TYPE, data })));
      },
      async close() {
        await queue.close();
      },
    } satisfies Producer;
  },

  async worker(options, hooks) {
    const completions = new CompletionCounter();
    const worker = new BullWorker<BenchPayload>(
      QUEUE,
      async (job) => {
        hooks.onStart(job.data);
      },
      {
        connection: connectionOf(options.url),
        concurrency: options.concurrency,
        autorun: false,
        ...(options.retain ? {} : { removeOnComplete: { count: 0 } }),
      },
    );
    worker.on("completed", () => completions.add());
    worker.on("error", (error) => {
      process.stderr.write(`bullmq worker error: ${error.message}\n`);
    });
    await worker.waitUntilReady();
    return {
      start() {
        worker.run().catch((error: unknown) => {
          process.stderr.write(`bullmq worker failed: ${String(error)}\n`);
        });
      },
      completed: (count) => completions.reach(count),
      async close() {
        await worker.close();
      },
    } satisfies Worker;
  },
};
