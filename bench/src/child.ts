// A child process running one side of one benchmark run: a producer or a worker of one system.
// It connects, reports `ready`, waits for `go`, runs the measured part and reports `result`.

import { performance } from "node:perf_hooks";
import type {
  BenchPayload,
  ChildJob,
  ChildMessage,
  ParentMessage,
  SystemName,
} from "./protocol.js";
import { delay, type Producer, type System } from "./systems/system.js";

/** Loads only the system under test, so a child's memory holds no other system's code. */
async function load(name: SystemName): Promise<System> {
  switch (name) {
    case "asynq-ts":
      return (await import("./systems/asynq-ts.js")).asynqTs;
    case "bullmq":
      return (await import("./systems/bullmq.js")).bullmq;
    case "bee-queue":
      return (await import("./systems/bee-queue.js")).beeQueue;
  }
}

/** Epoch ms with sub-ms precision, comparable across processes (as carried in payloads). */
function nowEpoch(): number {
  return performance.timeOrigin + performance.now();
}

/** A payload of about `bytes` bytes of JSON (at least the sequence number). */
function payloadOf(i: number, bytes: number, stamped: boolean): BenchPayload {
  const base: BenchPayload = stamped ? { i, t: nowEpoch() } : { i };
  if (bytes <= 0) return base;
  const overhead = JSON.stringify({ ...base, pad: "" }).length;
  return { ...base, pad: "x".repeat(Math.max(0, bytes - overhead)) };
}

function send(message: ChildMessage): void {
  if (process.send !== undefined) process.send(message);
  else if (message.type !== "ready") {
    const { latenciesMs, ...rest } = message as ChildMessage & { latenciesMs?: unknown };
    process.stdout.write(`${JSON.stringify(rest)}\n`);
  }
}

/**
 * Waits for the parent's message; run without a parent (for profiling: `node --cpu-prof
 * child.mjs '<job JSON>'`) it goes on at once and prints its result instead.
 */
function waitFor(type: ParentMessage["type"]): Promise<void> {
  if (process.send === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    const onMessage = (message: ParentMessage) => {
      if (message.type !== type) return;
      process.off("message", onMessage);
      resolve();
    };
    process.on("message", onMessage);
  });
}

/** Runs `body` as the measured part, reporting wall time, CPU and peak RSS. */
async function measured(
  tasks: number,
  body: () => Promise<readonly number[] | undefined>,
): Promise<void> {
  send({ type: "ready" });
  await waitFor("go");
  const cpu = process.cpuUsage();
  const started = performance.now();
  const latenciesMs = await body();
  const elapsedMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  send({
    type: "result",
    elapsedMs,
    tasks,
    cpuMicros: used.user + used.system,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    ...(latenciesMs === undefined ? {} : { latenciesMs }),
  });
  await waitFor("finish");
}

async function enqueueSingle(producer: Producer, count: number, inFlight: number, bytes: number) {
  let next = 0;
  const lane = async () => {
    while (next < count) await producer.enqueue(payloadOf(next++, bytes, false));
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
}

async function enqueueBulk(producer: Producer, count: number, batch: number, bytes: number) {
  for (let start = 0; start < count; start += batch) {
    const size = Math.min(batch, count - start);
    await producer.enqueueBulk(
      Array.from({ length: size }, (_, k) => payloadOf(start + k, bytes, false)),
    );
  }
}

/** Enqueues at a steady rate without waiting for earlier enqueues, stamping each payload. */
async function enqueuePaced(producer: Producer, count: number, perSecond: number, bytes: number) {
  const interval = 1000 / perSecond;
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < count; ) {
    const due = Math.min(count, Math.floor((performance.now() - started) / interval) + 1);
    while (i < due) inFlight.push(producer.enqueue(payloadOf(i++, bytes, true)));
    if (i < count) await delay(Math.max(0, started + i * interval - performance.now()));
  }
  await Promise.all(inFlight);
}

async function main(job: ChildJob): Promise<void> {
  const system = await load(job.system);
  const options = { url: job.url, retain: job.retain };
  if (job.role === "worker") {
    const latencies: number[] = [];
    const worker = await system.worker(
      { ...options, concurrency: job.concurrency },
      {
        onStart: job.latency
          ? (payload) => {
              if (payload.t !== undefined) latencies.push(nowEpoch() - payload.t);
            }
          : () => {},
      },
    );
    await measured(job.count, async () => {
      worker.start();
      await worker.completed(job.count);
      return job.latency ? latencies : undefined;
    });
    await worker.close();
    return;
  }
  const producer = await system.producer(options);
  await measured(job.count, async () => {
    switch (job.role) {
      case "enqueue-single":
        await enqueueSingle(producer, job.count, job.inFlight, job.payloadBytes);
        break;
      case "enqueue-bulk":
        await enqueueBulk(producer, job.count, job.batch, job.payloadBytes);
        break;
      case "enqueue-paced":
        await enqueuePaced(producer, job.count, job.perSecond, job.payloadBytes);
        break;
    }
    return undefined;
  });
  await producer.close();
}

main(JSON.parse(process.argv[2] ?? "{}") as ChildJob).then(
  () => process.exit(0),
  (error: unknown) => {
    send({
      type: "error",
      message: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
    setTimeout(() => process.exit(1), 100);
  },
);
