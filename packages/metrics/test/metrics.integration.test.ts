// Prometheus metrics end to end: a real Server on real Redis, scraped over node:http.
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createRedisBroker, type RedisBroker } from "@asynq-ts/backend-redis";
import {
  Client,
  Inspector,
  RevokeTaskError,
  ServeMux,
  Server,
  SkipRetryError,
  Task,
} from "@asynq-ts/core";
import {
  enqueueTimeInterceptor,
  metricsHandler,
  QueueMetricsCollector,
  ServerMetrics,
} from "@asynq-ts/metrics";
import { type RedisServerHandle, startRedisServer } from "@asynq-ts/testing/servers";
import { Redis } from "ioredis";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startExporter } from "../src/exporter.js";
import { type Exposition, scrape } from "./support/exposition.js";
import { until } from "./support/wait.js";

const CONCURRENCY = 4;
const STATES = ["active", "pending", "scheduled", "retry", "archived", "completed"] as const;

/** Handlers by task type, one per outcome the metrics must tell apart. */
function handlers(mux: ServeMux): ServeMux {
  return mux
    .handle("ok", async () => {})
    .handle("flaky", async (_task, ctx) => {
      if (ctx.retryCount === 0) throw new Error("first attempt fails");
    })
    .handle("skip", async () => {
      throw new SkipRetryError("bad payload");
    })
    .handle("exhaust", async () => {
      throw new Error("always fails");
    })
    .handle("revoke", async () => {
      throw new RevokeTaskError();
    })
    .handle(
      "slow",
      (_task, ctx) =>
        new Promise<void>((_, reject) => {
          ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason), { once: true });
        }),
    );
}

let redis: RedisServerHandle;
let redisClient: Redis;
let broker: RedisBroker;
let inspector: Inspector;
let server: Server;
let http: HttpServer;
let metricsUrl: string;

beforeAll(async () => {
  redis = await startRedisServer();
  // A client of our own: the broker's own URL client is not what these tests are about.
  redisClient = new Redis(redis.url);
  broker = createRedisBroker({ client: redisClient });
  inspector = new Inspector(broker);
  const registry = new Registry();
  new QueueMetricsCollector(inspector, { registry, cacheTtl: 0 });
  const metrics = new ServerMetrics({ registry, concurrency: CONCURRENCY });
  http = createServer(metricsHandler({ registry }));
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  metricsUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}/metrics`;

  const client = new Client(broker, { interceptors: [enqueueTimeInterceptor()] });
  for (let i = 0; i < 3; i++) await client.enqueue(new Task("ok"));
  await client.enqueue(new Task("flaky"));
  await client.enqueue(new Task("skip"));
  await client.enqueue(new Task("exhaust"), { maxRetry: 0 });
  await client.enqueue(new Task("revoke"));
  await client.enqueue(new Task("slow"), { timeout: 1_000, maxRetry: 0 });
  await client.enqueue(new Task("later"), { processIn: 3_600_000 });
  await client.enqueue(new Task("elsewhere"), { queue: "low" });
  await client.enqueue(new Task("elsewhere"), { queue: "low" });
  await inspector.pauseQueue("low");

  server = new Server(broker, {
    concurrency: CONCURRENCY,
    queues: { default: 1 },
    retryDelay: () => 0,
    delayedTaskCheckInterval: 50,
    logLevel: "error",
  });
  server.start(handlers(new ServeMux().use(metrics.middleware())));
  // 3 ok + 2 flaky attempts + skip + exhaust + revoke + slow.
  await until(async () => {
    const info = await inspector.queueInfo("default");
    return info.processedTotal === 9 && info.active === 0 && info.retry === 0;
  }, "processing of every task");
}, 60_000);

afterAll(async () => {
  await server?.shutdown();
  await new Promise((resolve) => http?.close(resolve));
  await broker?.close();
  await redisClient?.quit();
  await redis?.stop();
});

/** Asserts that the scrape's queue series are the Inspector's figures. */
async function expectQueueSeriesMatchInspector(scraped: Exposition): Promise<void> {
  const queues = await inspector.queues();
  expect(queues).toStrictEqual(["default", "low"]);
  for (const queue of queues) {
    const info = await inspector.queueInfo(queue);
    for (const state of STATES) {
      expect(scraped.value("asynq_tasks_enqueued_total", { queue, state }), state).toBe(
        info[state],
      );
    }
    expect(scraped.value("asynq_queue_size", { queue })).toBe(info.size);
    expect(scraped.value("asynq_tasks_processed_total", { queue })).toBe(info.processedTotal);
    expect(scraped.value("asynq_tasks_failed_total", { queue })).toBe(info.failedTotal);
    expect(scraped.value("asynq_queue_paused_total", { queue })).toBe(info.paused ? 1 : 0);
    expect(scraped.value("asynq_queue_latency_seconds", { queue })).toBeGreaterThanOrEqual(0);
    expect(scraped.value("asynq_queue_memory_usage_approx_bytes", { queue })).toBeGreaterThan(0);
  }
}

describe("queue metrics (Go asynq's names)", () => {
  it("match the Inspector's counts", async () => {
    const scraped = await scrape(metricsUrl);
    await expectQueueSeriesMatchInspector(scraped);
    // The figures themselves, so a collector and an Inspector that agree on wrong numbers fail.
    expect(
      scraped.value("asynq_tasks_enqueued_total", { queue: "default", state: "archived" }),
    ).toBe(3);
    expect(
      scraped.value("asynq_tasks_enqueued_total", { queue: "default", state: "scheduled" }),
    ).toBe(1);
    expect(scraped.value("asynq_tasks_enqueued_total", { queue: "low", state: "pending" })).toBe(2);
    expect(scraped.value("asynq_tasks_processed_total", { queue: "default" })).toBe(9);
    expect(scraped.value("asynq_tasks_failed_total", { queue: "default" })).toBe(4);
    expect(scraped.value("asynq_queue_paused_total", { queue: "low" })).toBe(1);
    expect(scraped.value("asynq_queue_latency_seconds", { queue: "low" })).toBeGreaterThan(0);
  });

  it("have Go asynq's metric types", async () => {
    const { types } = await scrape(metricsUrl);
    expect(types.get("asynq_tasks_enqueued_total")).toBe("gauge");
    expect(types.get("asynq_queue_size")).toBe("gauge");
    expect(types.get("asynq_tasks_processed_total")).toBe("counter");
    expect(types.get("asynq_tasks_failed_total")).toBe("counter");
    expect(types.get("asynq_queue_paused_total")).toBe("gauge");
  });

  it("are served the same by the standalone exporter", async () => {
    const exporter = await startExporter({
      uri: redis.url,
      port: 0,
      host: "127.0.0.1",
      cacheTtl: 0,
      defaultMetrics: false,
    });
    try {
      const scraped = await scrape(`http://127.0.0.1:${exporter.port}/metrics`);
      await expectQueueSeriesMatchInspector(scraped);
      expect(scraped.find("asynq_task_duration_seconds_count")).toStrictEqual([]);
    } finally {
      await exporter.close();
    }
  });
});

describe("server metrics", () => {
  it("count each attempt's outcome and failure reason by queue and type", async () => {
    const scraped = await scrape(metricsUrl);
    const outcomes = Object.fromEntries(
      scraped
        .find("asynq_task_outcomes_total", { queue: "default" })
        .map((s) => [`${s.labels.type}:${s.labels.outcome}`, s.value]),
    );
    expect(outcomes).toStrictEqual({
      "ok:succeeded": 3,
      "flaky:retried": 1,
      "flaky:succeeded": 1,
      "skip:archived": 1,
      "exhaust:archived": 1,
      "revoke:revoked": 1,
      "slow:archived": 1,
    });
    const failures = Object.fromEntries(
      scraped
        .find("asynq_task_failures_total", { queue: "default" })
        .map((s) => [`${s.labels.type}:${s.labels.reason}`, s.value]),
    );
    expect(failures).toStrictEqual({
      "flaky:error": 1,
      "skip:error": 1,
      "exhaust:error": 1,
      "slow:timed_out": 1,
    });
  });

  it("observe handler durations for every attempt", async () => {
    const scraped = await scrape(metricsUrl);
    const count = (type: string) =>
      scraped.value("asynq_task_duration_seconds_count", { queue: "default", type });
    expect([count("ok"), count("flaky"), count("skip"), count("slow")]).toStrictEqual([3, 2, 1, 1]);
    // The timed-out handler ran until its 1 s timeout aborted it.
    expect(
      scraped.value("asynq_task_duration_seconds_bucket", {
        queue: "default",
        type: "slow",
        le: "0.5",
      }),
    ).toBe(0);
    expect(
      scraped.value("asynq_task_duration_seconds_bucket", {
        queue: "default",
        type: "slow",
        le: "+Inf",
      }),
    ).toBe(1);
  });

  it("observe the queue wait of first attempts only, from the enqueue-time header", async () => {
    const scraped = await scrape(metricsUrl);
    const waits = Object.fromEntries(
      scraped
        .find("asynq_task_queue_wait_seconds_count")
        .map((s) => [`${s.labels.queue}:${s.labels.type}`, s.value]),
    );
    expect(waits).toStrictEqual({
      "default:ok": 3,
      "default:flaky": 1,
      "default:skip": 1,
      "default:exhaust": 1,
      "default:revoke": 1,
      "default:slow": 1,
    });
    const sum = scraped.value("asynq_task_queue_wait_seconds_sum", {
      queue: "default",
      type: "ok",
    });
    expect(sum).toBeGreaterThanOrEqual(0);
  });

  it("report active workers and the concurrency", async () => {
    const scraped = await scrape(metricsUrl);
    expect(scraped.value("asynq_server_active_workers", { queue: "default" })).toBe(0);
    expect(scraped.value("asynq_server_concurrency")).toBe(CONCURRENCY);
  });
});
