import BeeQueue from "bee-queue";
import type { BenchPayload } from "../protocol.js";
import { CompletionCounter, type Producer, QUEUE, type System, type Worker } from "./system.js";

/** bee-queue's redis options for a `redis://host:port` URL. */
function redisOf(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port) };
}

/**
 * bee-queue in its lean configuration (no job events, no job store in the process), removing
 * succeeded jobs unless `retain` is on (bee-queue keeps them by default).
 */
const LEAN = { getEvents: false, sendEvents: false, storeJobs: false } as const;

/** bee-queue. */
export const beeQueue: System = {
  async producer(options) {
    const queue = new BeeQueue<BenchPayload>(QUEUE, {
      redis: redisOf(options.url),
      isWorker: false,
      ...LEAN,
    });
    await queue.ready();
    return {
      async enqueue(payload) {
        await queue.createJob(payload).save();
      },
      async enqueueBulk(payloads) {
        const errors = await queue.saveAll(payloads.map((payload) => queue.createJob(payload)));
        if (errors.size > 0) throw [...errors.values()][0];
      },
      async close() {
        await queue.close();
      },
    } satisfies Producer;
  },

  async worker(options, hooks) {
    const completions = new CompletionCounter();
    const queue = new BeeQueue<BenchPayload>(QUEUE, {
      redis: redisOf(options.url),
      isWorker: true,
      removeOnSuccess: !options.retain,
      ...LEAN,
    });
    queue.on("succeeded", () => completions.add());
    queue.on("error", (error) => {
      process.stderr.write(`bee-queue error: ${error.message}\n`);
    });
    await queue.ready();
    return {
      start() {
        queue.process(options.concurrency, async (job) => {
          hooks.onStart(job.data);
        });
      },
      completed: (count) => completions.reach(count),
      async close() {
        await queue.close();
      },
    } satisfies Worker;
  },
};
