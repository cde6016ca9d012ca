import { type HandlerContext, type Middleware, Task } from "@asynq-ts/core";
import {
  DUE_AT_HEADER,
  ENQUEUED_AT_HEADER,
  enqueueTimeInterceptor,
  readyAt,
  ServerMetrics,
} from "@asynq-ts/metrics";
import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { parseExposition } from "./support/exposition.js";

const NOW = Date.UTC(2030, 0, 1);

function ctxOf(retryCount: number): HandlerContext {
  return {
    signal: new AbortController().signal,
    taskId: "id",
    queue: "q",
    retryCount,
    maxRetry: 5,
    writeResult: async () => {},
  };
}

function setup() {
  const registry = new Registry();
  const clock = { now: () => NOW };
  const metrics = new ServerMetrics({ registry, clock });
  const run = (middleware: Middleware, task: Task, retryCount: number, handler = async () => {}) =>
    middleware(handler)(task, ctxOf(retryCount));
  const scraped = async () => parseExposition(await registry.metrics());
  return { metrics, run, scraped };
}

const waitCount = (labels = { queue: "q", type: "t" }) =>
  ["asynq_task_queue_wait_seconds_count", labels] as const;

describe("ServerMetrics middleware", () => {
  it("measures the queue wait from the due time of a scheduled task", async () => {
    const { metrics, run, scraped } = setup();
    const headers = {
      [ENQUEUED_AT_HEADER]: String(NOW - 60_000),
      [DUE_AT_HEADER]: String(NOW - 2_000),
    };
    await run(metrics.middleware(), new Task("t", "", { headers }), 0);

    const s = await scraped();
    expect(s.value(...waitCount())).toBe(1);
    expect(s.value("asynq_task_queue_wait_seconds_sum", { queue: "q", type: "t" })).toBe(2);
  });

  it("observes no wait for retries or tasks without the header", async () => {
    const { metrics, run, scraped } = setup();
    const stamped = new Task("t", "", { headers: { [ENQUEUED_AT_HEADER]: String(NOW - 1_000) } });
    await run(metrics.middleware(), stamped, 1);
    await run(metrics.middleware(), new Task("t"), 0);

    const s = await scraped();
    expect(s.value(...waitCount())).toBeUndefined();
    expect(s.value("asynq_task_duration_seconds_count", { queue: "q", type: "t" })).toBe(2);
  });

  it("passes the handler's error through unchanged and counts it", async () => {
    const { metrics, run, scraped } = setup();
    const error = new Error("boom");
    await expect(
      run(metrics.middleware(), new Task("t"), 0, async () => {
        throw error;
      }),
    ).rejects.toBe(error);

    const s = await scraped();
    expect(
      s.value("asynq_task_outcomes_total", { queue: "q", type: "t", outcome: "retried" }),
    ).toBe(1);
    expect(s.value("asynq_task_failures_total", { queue: "q", type: "t", reason: "error" })).toBe(
      1,
    );
    expect(s.value("asynq_server_active_workers", { queue: "q" })).toBe(0);
  });

  it("counts a handler as active while it runs", async () => {
    const { metrics, run, scraped } = setup();
    let release: () => void = () => {};
    const running = run(
      metrics.middleware(),
      new Task("t"),
      0,
      () =>
        new Promise<void>((r) => {
          release = r;
        }),
    );
    expect((await scraped()).value("asynq_server_active_workers", { queue: "q" })).toBe(1);
    release();
    await running;
    expect((await scraped()).value("asynq_server_active_workers", { queue: "q" })).toBe(0);
  });
});

describe("enqueueTimeInterceptor", () => {
  it("stamps the enqueue time, and the due time of a scheduled task", () => {
    const headers: Record<string, string> = {};
    const outgoing = (processAt: number) => ({
      task: new Task("t"),
      queue: "q",
      taskId: "id",
      headers: {},
      now: NOW,
      processAt,
      setHeader: (name: string, value: string) => {
        headers[name] = value;
      },
    });
    enqueueTimeInterceptor()(outgoing(NOW));
    expect(headers).toStrictEqual({ [ENQUEUED_AT_HEADER]: String(NOW) });
    enqueueTimeInterceptor()(outgoing(NOW + 5_000));
    expect(headers).toStrictEqual({
      [ENQUEUED_AT_HEADER]: String(NOW),
      [DUE_AT_HEADER]: String(NOW + 5_000),
    });
  });

  it("is read back, ignoring malformed values", () => {
    expect(readyAt({ [ENQUEUED_AT_HEADER]: "1000" })).toBe(1000);
    expect(readyAt({ [ENQUEUED_AT_HEADER]: "1000", [DUE_AT_HEADER]: "2000" })).toBe(2000);
    expect(readyAt({ [ENQUEUED_AT_HEADER]: "soon" })).toBeUndefined();
    expect(readyAt({})).toBeUndefined();
  });
});
