// The queue collector's cache and failure handling, on the memory broker with a fake clock.
import { createMemoryBroker } from "@asynq-ts/backend-memory";
import { type Broker, Client, Inspector, Task } from "@asynq-ts/core";
import { QueueMetricsCollector } from "@asynq-ts/metrics";
import { FakeClock } from "@asynq-ts/testing";
import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { parseExposition } from "./support/exposition.js";

/** A memory broker whose `listQueues` calls are counted and can be made to fail. */
function countingBroker() {
  const broker = createMemoryBroker();
  const state = { reads: 0, failWith: undefined as Error | undefined };
  const counting = new Proxy(broker, {
    get(target, property, receiver) {
      if (property === "listQueues") {
        return async () => {
          state.reads++;
          if (state.failWith !== undefined) throw state.failWith;
          return target.listQueues();
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  }) as Broker;
  return { broker: counting, state };
}

function setup(cacheTtl?: number) {
  const clock = new FakeClock();
  const { broker, state } = countingBroker();
  const registry = new Registry();
  const errors: unknown[] = [];
  new QueueMetricsCollector(new Inspector(broker, { clock }), {
    registry,
    clock,
    onError: (error) => errors.push(error),
    ...(cacheTtl === undefined ? {} : { cacheTtl }),
  });
  const client = new Client(broker, { clock });
  const pending = async (queue = "default") =>
    parseExposition(await registry.metrics()).value("asynq_tasks_enqueued_total", {
      queue,
      state: "pending",
    });
  return { clock, state, registry, errors, client, pending };
}

describe("QueueMetricsCollector", () => {
  it("serves scrapes within the cache TTL (5 s by default) from one read", async () => {
    const { clock, state, client, pending } = setup();
    await client.enqueue(new Task("t"));
    expect(await pending()).toBe(1);
    expect(state.reads).toBe(1);

    await client.enqueue(new Task("t"));
    clock.advance(4_999);
    expect(await pending()).toBe(1);
    expect(state.reads).toBe(1);

    clock.advance(1);
    expect(await pending()).toBe(2);
    expect(state.reads).toBe(2);
  });

  it("reads on every scrape with a TTL of 0", async () => {
    const { state, client, pending } = setup(0);
    await client.enqueue(new Task("t"));
    expect(await pending()).toBe(1);
    await client.enqueue(new Task("t"));
    expect(await pending()).toBe(2);
    expect(state.reads).toBe(2);
  });

  it("shares one read among concurrent scrapes", async () => {
    const { state, client, registry } = setup(0);
    await client.enqueue(new Task("t"));
    await Promise.all([registry.metrics(), registry.metrics(), registry.metrics()]);
    expect(state.reads).toBe(1);
  });

  it("leaves the queue series out while reading fails, and reads again next time", async () => {
    const { state, client, errors, pending, registry } = setup();
    await client.enqueue(new Task("t"));
    const outage = new Error("broker down");
    state.failWith = outage;
    const scraped = parseExposition(await registry.metrics());
    expect(scraped.samples).toStrictEqual([]);
    expect(errors).toStrictEqual([outage]);

    state.failWith = undefined;
    expect(await pending()).toBe(1);
    expect(state.reads).toBe(2);
  });

  it("leaves out memory usage when the broker cannot tell", async () => {
    const { client, registry } = setup();
    await client.enqueue(new Task("t"), { queue: "q" });
    const scraped = parseExposition(await registry.metrics());
    expect(scraped.value("asynq_queue_size", { queue: "q" })).toBe(1);
    expect(scraped.find("asynq_queue_memory_usage_approx_bytes")).toStrictEqual([]);
  });
});
