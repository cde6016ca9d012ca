import type { Redis } from "ioredis";
import { type ChildEntry, ChildRun } from "./child-runner.js";
import { LoadMeter } from "./machine-load.js";
import type { ChildJob, ResultMessage, SystemName } from "./protocol.js";
import { redisDelta, redisSnapshot } from "./redis-metrics.js";
import { quantile } from "./stats.js";
import type { Workload } from "./workloads.js";

/** How long the latency workload's worker sits idle before the first enqueue. */
const IDLE_BEFORE_LATENCY_MS = 500;

/** The private Redis the runs share. */
export interface BenchRedis {
  readonly url: string;
  readonly pid: number | undefined;
  /** An admin connection for FLUSHALL and INFO. */
  readonly admin: Redis;
}

/** Latency percentiles, ms. */
export interface LatencySummary {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

/** What one run of one workload on one system measured. */
export interface Measurement {
  readonly elapsedMs: number;
  readonly tasks: number;
  readonly tasksPerSecond: number;
  /** CPU of the measured child (producer for enqueue workloads, worker otherwise), µs/task. */
  readonly clientCpuMicrosPerTask: number;
  /** Peak RSS of the measured child, bytes. */
  readonly peakRssBytes: number;
  readonly redisCpuMicrosPerTask: number;
  /** Commands Redis executed per task, those run inside scripts included. */
  readonly redisCommandsPerTask: number;
  /** Script calls (EVALSHA, EVAL) per task. */
  readonly redisScriptCallsPerTask: number;
  /** Growth of Redis `used_memory` per task (enqueue workloads, tasks still queued). */
  readonly redisBytesPerTask: number | null;
  readonly latency: LatencySummary | null;
  /** Commands per task by name, with Redis µs per task spent in them. */
  readonly commandsPerTask: Readonly<Record<string, { calls: number; micros: number }>>;
  /** CPU used by other processes on the machine during the run, in cores. */
  readonly otherCores: number;
  /** CPU used by the benchmark's own processes (including Redis), in cores. */
  readonly ownCores: number;
}

/** Runs one workload once on one system, on a flushed Redis. */
export async function measureOnce(
  entry: ChildEntry,
  redis: BenchRedis,
  workload: Workload,
  system: SystemName,
): Promise<Measurement> {
  await redis.admin.flushall("SYNC");
  const common = { system, url: redis.url, retain: workload.retain } as const;
  const { count, payloadBytes } = workload;
  const started: ChildRun[] = [];
  const start = (job: ChildJob) => {
    const child = new ChildRun(entry, job);
    started.push(child);
    return child;
  };
  try {
    switch (workload.kind) {
      case "enqueue-single":
      case "enqueue-bulk": {
        const job: ChildJob =
          workload.kind === "enqueue-single"
            ? {
                ...common,
                role: "enqueue-single",
                count,
                inFlight: workload.inFlight,
                payloadBytes,
              }
            : { ...common, role: "enqueue-bulk", count, batch: workload.batch, payloadBytes };
        const producer = start(job);
        await producer.ready();
        return await measureChildren(redis, producer, [producer], () => producer.go(), true);
      }
      case "process": {
        const filler = start({
          ...common,
          role: "enqueue-bulk",
          count,
          batch: workload.batch,
          payloadBytes,
        });
        await filler.ready();
        filler.go();
        await filler.result();
        await filler.finish();
        const worker = start({
          ...common,
          role: "worker",
          count,
          concurrency: workload.concurrency,
          latency: false,
        });
        await worker.ready();
        return await measureChildren(redis, worker, [worker], () => worker.go(), false);
      }
      case "latency": {
        const worker = start({
          ...common,
          role: "worker",
          count,
          concurrency: workload.concurrency,
          latency: true,
        });
        const producer = start({
          ...common,
          role: "enqueue-paced",
          count,
          perSecond: workload.perSecond,
          payloadBytes,
        });
        await Promise.all([worker.ready(), producer.ready()]);
        return await measureChildren(
          redis,
          worker,
          [worker, producer],
          async () => {
            worker.go();
            await new Promise((resolve) => setTimeout(resolve, IDLE_BEFORE_LATENCY_MS));
            producer.go();
          },
          false,
        );
      }
    }
  } catch (error) {
    await Promise.all(started.map((child) => child.kill()));
    throw error;
  }
}

/**
 * Measures Redis and machine load around `begin` … the measured child's result, then lets every
 * child finish.
 */
async function measureChildren(
  redis: BenchRedis,
  measured: ChildRun,
  children: readonly ChildRun[],
  begin: () => void | Promise<void>,
  memory: boolean,
): Promise<Measurement> {
  const before = await redisSnapshot(redis.admin);
  const load = LoadMeter.start([process.pid, redis.pid, ...children.map((c) => c.pid)]);
  await begin();
  const results = await Promise.all(children.map((child) => child.result()));
  const reading = load.read();
  const delta = redisDelta(before, await redisSnapshot(redis.admin));
  await Promise.all(children.map((child) => child.finish()));
  const result = results[children.indexOf(measured)] as ResultMessage;
  const tasks = result.tasks;
  return {
    elapsedMs: result.elapsedMs,
    tasks,
    tasksPerSecond: (tasks / result.elapsedMs) * 1000,
    clientCpuMicrosPerTask: result.cpuMicros / tasks,
    peakRssBytes: result.peakRssBytes,
    redisCpuMicrosPerTask: delta.cpuMicros / tasks,
    redisCommandsPerTask: delta.commandCalls / tasks,
    redisScriptCallsPerTask: delta.scriptCalls / tasks,
    redisBytesPerTask: memory ? delta.usedMemory / tasks : null,
    latency: latencySummary(result.latenciesMs),
    commandsPerTask: Object.fromEntries(
      Object.entries(delta.commands).map(([name, stat]) => [
        name,
        { calls: stat.calls / tasks, micros: stat.micros / tasks },
      ]),
    ),
    otherCores: reading.otherCores,
    ownCores: reading.ownCores,
  };
}

function latencySummary(samples: readonly number[] | undefined): LatencySummary | null {
  if (samples === undefined || samples.length === 0) return null;
  return {
    p50: quantile(samples, 0.5),
    p95: quantile(samples, 0.95),
    p99: quantile(samples, 0.99),
    max: Math.max(...samples),
  };
}
